import Foundation
import Testing
@testable import KrScript

/// "No input crashes the process": malformed and hostile scripts end with a clear, located error
/// (or run), never a crash or a hang. Inputs known to crash are listed in KnownBugsTests' header
/// comment and the test report instead: a crash would end this whole test run.
@Suite struct RobustnessTests {
    /// Every error line on stderr has the `FILE:LINE:COLUMN: error:` form.
    static func expectLocatedErrors(_ r: ScriptResult, file: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        for line in r.err.split(separator: "\n") where line.contains("error:") && line.contains(": error: ") == false {
            Issue.record("error without a location: \(line)", sourceLocation: sourceLocation)
        }
        for e in ReportedError.all(in: r.err) {
            #expect(e.file == file, "\(e)", sourceLocation: sourceLocation)
            #expect(e.line >= 1 && e.column >= 1, "\(e)", sourceLocation: sourceLocation)
        }
    }

    // MARK: malformed input

    static let malformed: [String] = [
        "} } } ) ) ] ]",
        "( ( ( [ [ { {",
        "@( @{ ( { '",
        "\"$(\"$(\"$(",
        "'''''",
        "@\"\n@\"\n@\"",
        "@'",
        "\"@",
        "'@",
        "$",
        "${",
        "${}",
        "$:",
        "$global:",
        "[",
        "[int",
        "[int]::",
        "[]",
        "[int]]]",
        "::",
        "..",
        "...",
        "1..",
        "..1",
        "-",
        "--",
        "++",
        "-- --",
        "1 ++ 2",
        "$x++ ++",
        "|",
        "| |",
        "1 | | 2",
        "&",
        "& &",
        ". .",
        "`",
        "``",
        "1 `",
        "#",
        "<#",
        "#>",
        "<# <# #>",
        ",",
        ",,",
        "1,,2",
        "=",
        "$x ==== 1",
        "= = =",
        "+= -= *=",
        "if",
        "if (",
        "if ()",
        "if () {}",
        "if (1) {} else",
        "if (1) {} elseif",
        "else",
        "elseif ($x) {}",
        "foreach",
        "foreach (",
        "foreach ($x)",
        "foreach ($x in)",
        "foreach ($x in $y)",
        "for (;;",
        "for (;;;) {}",
        "while",
        "while ()",
        "do",
        "do {}",
        "do {} until",
        "switch",
        "switch ()",
        "switch (1)",
        "switch (1) { 1 }",
        "switch -nope (1) {}",
        "try",
        "try {} catch",
        "try {} catch [",
        "try {} catch [int] [",
        "try {} finally",
        "catch {}",
        "finally {}",
        "function",
        "function f",
        "function f(",
        "function f($",
        "function f($a",
        "function f { param( }",
        "function f { param($a = ) }",
        "param(",
        "param([int] = 5)",
        "param($a) param($b)",
        "begin",
        "process {}",
        "throw throw",
        "return return",
        "break break",
        "exit exit",
        "1 = 2",
        "'a' = 1",
        "$null = = 1",
        "@{ = 1 }",
        "@{ a = }",
        "@{ a 1 }",
        "@{ a = 1 b = 2 }",
        "@{ ; ; }",
        "@(,)",
        "(,)",
        "[int]$",
        "[int]$x =",
        "$x.",
        "$x..",
        "$x.(",
        "$x.Method(",
        "$x.Method(,)",
        "$x[",
        "$x[]",
        "$x::",
        "$x?.",
        "$x ? :",
        "$x ? 1",
        "$x ?? ?? 1",
        "-f",
        "'{0}' -f",
        "-join",
        "-split",
        "-not",
        "!",
        "! ! !",
        "-bnot",
        "1 -notanoperator 2",
        "1 -",
        "\u{0}",
        "\u{FEFF}1",
        "$x = \"\u{0}\"",
        "\u{1F600}",
        "Write-Output \u{1F600}\u{1F600}",
        "$\u{1F600} = 1",
        "'unterminated \u{1F600}",
        "\r\r\r",
        "\r\n\r\n1\r\n",
        "\t\t\t",
        "1;;;;;;2",
        ";",
        "{;}",
        "&{",
        "&{}",
        ".{}",
        "@",
        "@@",
        "@x",
        "@$x",
        "2>",
        "1 2>&1 2>&1",
        ">",
        "1 > ",
        "1 >> ",
        "%",
        "?",
        "% {",
        "? {",
        ":label",
        ":label while",
        ":",
        "break :x",
        "[ordered]",
        "[ordered]1",
        "[pscustomobject]",
        "[hashtable]::",
        "[regex]::Match(",
        "class X {",
        "enum E {",
        "using namespace",
        "trap {",
        "data {",
        "workflow w {",
        "configuration c {",
        "$(",
        "$()",
        "@()",
        "$([",
        "\"$($x.\"",
        "\"${\"",
        "\"$(}\"",
        "'$(' + \")\"",
        "@\"\n$(\n\"@",
        "@\"\ntext\n \"@",
        "@'\ntext\n '@",
        "@\"text\"@",
    ]

    @Test(arguments: malformed)
    func malformedInputEndsCleanly(source: String) async {
        #expect(ScriptEngine.inputState(of: source) == .complete || ScriptEngine.inputState(of: source) == .incomplete)
        let r = await Script.run(source, file: "m.ps1", timeout: 20)
        #expect(!r.timedOut, "hung")
        Self.expectLocatedErrors(r, file: "m.ps1")
        if r.outcome == .failed {
            #expect(r.firstError != nil, "failed without a located error: \(r.err.debugDescription)")
        }
    }

    // MARK: runtime hazards

    /// (source, the exact stdout or nil for "ends with `after`", an error phrase, "*" for "an error
    /// is allowed" or nil for "no error")
    static let hazards: [(String, [String]?, String?)] = [
        ("[int]::MaxValue + 1", ["2147483648"], nil),
        ("[int]::MinValue - 1", ["-2147483649"], nil),
        ("[long]::MaxValue + 1", ["9.22337203685478E+18"], nil),
        ("[int]::MaxValue * 2", ["4294967294"], nil),
        ("$i = [int]::MaxValue; $i++; $i", ["2147483648"], nil),
        ("[int]::MinValue / -1", ["2147483648"], nil),
        ("[int]::MinValue % -1\n'after'", nil, "*"),
        ("-[long]::MinValue", ["9.22337203685478E+18"], nil),
        ("[long]::MinValue * -1", ["9.22337203685478E+18"], nil),
        ("[int]::MaxValue -shl 40\n1 -shl 64\n1 -shr -1", ["-256", "1", "0"], nil),
        ("1/0\n'after'", ["after"], "Attempted to divide by zero"),
        ("$z = 0; 5 % $z\n'after'", ["after"], "Attempted to divide by zero"),
        ("$null.Foo()\n'after'", ["after"], "null-valued expression"),
        ("$x = $null; $x.A.B.C.D\n'after'", ["after"], nil),
        ("$null[0]\n'after'", ["after"], "Cannot index into a null array"),
        ("$x = $null; $x[0] = 1\n'after'", ["after"], "Cannot index into a null array"),
        ("$s = 'abc'; $s[0] = 'z'\n'after'", ["after"], "Unable to index into an object of type System.String"),
        ("'abc' -match '('\n'after'", ["after"], "Invalid pattern"),
        ("'abc' -match '[z-a]'\n'after'", ["after"], "Invalid pattern"),
        ("'abc' -split '*'\n'after'", ["after"], "Invalid pattern"),
        ("'abc' -replace '(?<', 'x'\n'after'", ["after"], "Invalid pattern"),
        ("[regex]::new('\\p{Nope}')\n'after'", ["after"], "Invalid pattern"),
        ("'{0' -f 1\n'after'", ["after"], "Error formatting a string"),
        ("'{5}' -f 1\n'after'", ["after"], "Error formatting a string"),
        ("'{-1}' -f 1\n'after'", ["after"], "Error formatting a string"),
        ("'{0:Q}' -f 5\n'after'", ["after"], "Error formatting a string"),
        ("'}' -f 1\n'after'", ["after"], "Error formatting a string"),
        ("'{0,99999999}' -f 1\n'after'", ["after"], "Error formatting a string"),
        ("(5).ToString('X99999999999')\n'after'", ["after"], "Format specifier was invalid"),
        ("1..100000000 | Select-Object -First 1 | Out-Null\n'after'", ["after"], "*"),
        ("$a = 1..100000000\n'after'", ["after"], "*"),
        ("[datetime]::MaxValue.AddDays(1)\n'after'", ["after"], "un-representable DateTime"),
        ("[datetime]::new(10000, 1, 1)\n'after'", ["after"], "un-representable DateTime"),
        ("[Convert]::FromBase64String('!!!')\n'after'", ["after"], "not a valid Base-64 string"),
        ("'[' * 10000 | ConvertFrom-Json\n'after'", ["after"], "Conversion from JSON failed"),
        ("('[' * 3000) + (']' * 3000) | ConvertFrom-Json | Out-Null\n'after'", ["after"], "Conversion from JSON failed"),
        ("$h = @{}; $h.self = $h; \"$h\" | Out-Null; $h | ConvertTo-Json -Depth 5 | Out-Null\n'after'", ["after"], "*"),
        ("'x' * -1\n'after'", nil, "*"),
        ("$s = 'x' * 1000000; $s.Length", ["1000000"], nil),
        ("(@(0) * 100000).Count", ["100000"], nil),
        ("'a'.Split($null)", ["a"], nil),
        ("[char]70000\n'after'", ["after"], "Cannot convert value \"70000\" to type \"System.Char\""),
        ("[int][double]::NaN\n'after'", ["after"], "Cannot convert value \"NaN\""),
        ("$a = 1, 2, 3; $a[10] = 5\n'after'", ["after"], "Index was outside the bounds of the array"),
        ("no-such-command-at-all\n'after'", ["after"], "is not recognized"),
        ("& $null\n'after'", ["after"], "*"),
        ("& 'no such thing with spaces'\n'after'", ["after"], "is not recognized"),
        ("$sb = $null; $sb.Invoke()\n'after'", ["after"], "null-valued expression"),
        ("Write-Output -NoSuchParam 1\n'after'", ["after"], "A parameter cannot be found"),
        ("Write-Output -InputObject\n'after'", ["after"], "Missing an argument for parameter 'InputObject'"),
        ("Get-Random -Minimum 5 -Maximum 1\n'after'", ["after"], "cannot be greater than or equal to the Maximum"),
        ("function f($n) { if ($n -gt 0) { f ($n - 1) } else { 'bottom' } }\nf 100", ["bottom"], nil),
    ]

    @Test(arguments: hazards)
    func runtimeHazardEndsCleanly(source: String, output: [String]?, phrase: String?) async {
        let r = await Script.run(source, file: "h.ps1", timeout: 30)
        #expect(!r.timedOut, "hung")
        #expect(r.outcome == .completed, "\(r.err)")
        if let output {
            #expect(r.lines == output)
        } else {
            #expect(r.lines.last == "after")
        }
        Self.expectLocatedErrors(r, file: "h.ps1")
        switch phrase {
        case nil: #expect(r.err.isEmpty, "\(r.err)")
        case "*": break
        case let phrase?: #expect(r.firstError?.message.localizedCaseInsensitiveContains(phrase) == true, "\(r.err)")
        }
    }

    // MARK: size

    @Test func longStringLiteral() async {
        let body = String(repeating: "abcdefghij", count: 100_000)
        let r = await Script.run("$s = '\(body)'\n$s.Length")
        #expect(r.lines == ["1000000"])
    }

    @Test func manyLines() async {
        let source = (1...20_000).map { "$x\($0 % 10) = \($0)" }.joined(separator: "\n") + "\n$x0"
        let r = await Script.run(source, timeout: 60)
        #expect(r.lines == ["20000"])
    }

    @Test func manyStatementsOnOneLine() async {
        let source = String(repeating: "$n++;", count: 10_000) + "$n"
        let r = await Script.run(source, timeout: 60)
        #expect(r.lines == ["10000"])
    }

    @Test func longOperatorChain() async {
        let source = "1" + String(repeating: " + 1", count: 1_000)
        let r = await Script.run(source, timeout: 60)
        #expect(r.lines == ["1001"])
    }

    @Test func longHereString() async {
        let body = (1...10_000).map { "line \($0)" }.joined(separator: "\n")
        let r = await Script.run("$h = @'\n\(body)\n'@\n$h.Split(\"`n\").Count")
        #expect(r.lines == ["10000"])
    }

    @Test func longSyntaxErrorLine() async {
        let source = String(repeating: "1 + ", count: 5_000) + "* 2"
        let r = await Script.run(source, file: "long.ps1", timeout: 60)
        #expect(r.outcome == .failed)
        #expect(r.firstError?.line == 1)
    }

    @Test(arguments: ["(", "@(", "{", "$(", "@{a=", "[int]("])
    func moderateNestingWorks(open: String) async {
        let close: String
        switch open {
        case "{": close = "}"
        case "@{a=": close = "}"
        default: close = ")"
        }
        let depth = 100
        let source = String(repeating: open, count: depth) + "1" + String(repeating: close, count: depth) + "\n'done'"
        let r = await Script.run(source, file: "n.ps1", timeout: 60)
        #expect(!r.timedOut)
        #expect(r.outcome == .completed, "\(r.err)")
        #expect(r.lines.last == "done")
    }

    @Test(arguments: ["(", "{", "@(", "@{", "'", "\"", "@\"\n", "@'\n", "$(", "<#", "\"$(", "@{ a = @("])
    func unterminatedAtEndIsALocatedError(open: String) async {
        let source = "'first'\n" + "$x = " + open
        let r = await Script.run(source, file: "u.ps1")
        #expect(r.outcome == .failed)
        #expect(r.out.isEmpty, "nothing runs")
        #expect(r.firstError?.line == 2, "\(r.err)")
        #expect(ScriptEngine.inputState(of: source) == .incomplete)
    }

    @Test func interruptStopsAnEndlessLoop() async {
        let sink = CollectingSink()
        let engine = ScriptEngine(sink: sink)
        let outcome = await Script.onThread(timeout: 20) {
            let stopper = Thread {
                Thread.sleep(forTimeInterval: 0.3)
                engine.requestInterrupt()
            }
            stopper.start()
            return engine.runScript(source: "'start'\nwhile ($true) { }\n'never'", file: "loop.ps1", scriptRoot: "/tmp", arguments: [])
        }
        #expect(outcome != nil, "requestInterrupt did not stop `while ($true) { }`")
        #expect(sink.out == "start\n")
    }

    @Test func engineSurvivesManyRunsAfterErrors() async {
        let sink = CollectingSink()
        let engine = ScriptEngine(sink: sink)
        let outcome = await Script.onThread(timeout: 30) { () -> [RunOutcome] in
            var outcomes: [RunOutcome] = []
            outcomes.append(engine.runScript(source: "throw 'x'", file: "a.ps1", scriptRoot: "/tmp", arguments: []))
            outcomes.append(engine.runScript(source: "1 +* 2", file: "b.ps1", scriptRoot: "/tmp", arguments: []))
            outcomes.append(engine.runInteractive(source: "$kept = 41"))
            outcomes.append(engine.runInteractive(source: "$null.Foo()"))
            outcomes.append(engine.runInteractive(source: "$kept + 1"))
            return outcomes
        }
        #expect(outcome == [.failed, .failed, .completed, .completed, .completed])
        #expect(sink.out.hasSuffix("42\n"))
    }

    // MARK: fuzzing

    /// A small deterministic generator (SplitMix64): the same seed gives the same scripts everywhere.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Tokens for token soup. No loops, no function definitions and only small numbers, so that a
    /// random script cannot run for long.
    static let soupTokens: [String] = [
        "$x", "$y", "$null", "$true", "$_", "$args", "1", "0", "-1", "2", "2.5", "'s'", "\"d$x\"", "\"$($x)\"",
        "@(", "@{", "(", ")", "{", "}", "[", "]", ",", ";", "\n", "|", "+", "-", "*", "/", "%", "=", "+=",
        "-eq", "-match", "-replace", "-split", "-join", "-f", "-like", "-as", "-is", "-not", "!", "..", ".",
        "::", "?", ":", "??", "?.", "++", "--", "&", "`", "#", "<#", "#>", "@'\nx\n'@", "@\"\n$x\n\"@",
        "[int]", "[string]", "[math]", "[regex]", "[hashtable]", "[ordered]", "[char]", "[datetime]",
        "ForEach-Object", "Where-Object", "Select-Object", "-First", "Sort-Object", "ConvertTo-Json",
        "ConvertFrom-Json", "Write-Output", "Write-Error", "Measure-Object", "Group-Object",
        "if", "else", "elseif", "switch", "try", "catch", "finally", "throw", "return", "break", "continue",
        "param", "begin", "process", "end", "exit", "Length", "Count", "ToString()", "Substring(", "Split(",
        "'{0}'", "'('", "'[a-'", "$h", "$h.a", "$a[0]", "Keys", "Add(", "-ErrorAction", "Stop",
    ]

    @Test func tokenSoupNeverCrashesOrHangs() async {
        let outcome = await Script.onThread(timeout: 120) { () -> [String] in
            var rng = SplitMix(state: 0x5EED_0001)
            var problems: [String] = []
            let deadline = Date().addingTimeInterval(4)
            var count = 0
            while count < 3_000 && Date() < deadline {
                let length = Int.random(in: 1...20, using: &rng)
                let source = (0..<length).map { _ in Self.soupTokens.randomElement(using: &rng)! }.joined(separator: " ")
                _ = ScriptEngine.inputState(of: source)
                let sink = CollectingSink()
                let engine = ScriptEngine(sink: sink)
                let result = engine.runScript(source: "$x = 1; $h = @{ a = 1 }; $a = @(1, 2)\n" + source, file: "fuzz.ps1", scriptRoot: "/tmp", arguments: [])
                if result == .failed && ReportedError.first(in: sink.err) == nil {
                    problems.append("failed without a located error: \(source.debugDescription) -> \(sink.err.debugDescription)")
                }
                count += 1
            }
            return problems
        }
        #expect(outcome != nil, "a fuzz script hung")
        for problem in outcome ?? [] { Issue.record(Comment(rawValue: problem)) }
    }

    /// No [int]::MaxValue: `'abc' * [int]::MaxValue` and the like exhaust memory (see the report).
    static let values = [
        "$null", "$true", "0", "1", "-1", "2.5", "'abc'", "''", "'1'", "@()", "@(1, 2)", "@{}", "@{ a = 1 }",
        "[ordered]@{ b = 2 }", "[pscustomobject]@{ p = 1 }", "(1..3)", "{ 1 }", "$x", "$h", "$a", "[char]65",
        "'{0}'", "'('", "'[a-'", "100", "[double]::NaN", "1e300", "(Get-Date -Year 2020 -Month 1 -Day 1)",
    ]
    static let binaryOperators = [
        "+", "-", "*", "/", "%", "-eq", "-ne", "-gt", "-lt", "-like", "-match", "-replace", "-split", "-join", "-f",
        "-as", "-band", "-shl", "-contains", "-in", "??", "-and", "-or", "-ceq",
    ]
    static let members = [
        ".ToString()", ".Length", ".Count", ".GetType().Name", ".Trim()", ".Split(',')", ".Substring(1)", ".Substring(1, 100)",
        ".IndexOf('a')", ".Replace('a', 'b')", ".PadLeft(3)", ".ToCharArray()", ".Keys", ".Values", ".Add(1)", ".Clone()",
        ".Contains(1)", ".ContainsKey('a')", ".Where({ $_ })", ".ForEach({ $_ })", "[0]", "[-1]", "[1..2]", "[100]", "['a']",
        ".a", ".a.b", ".PSObject.Properties.Name", ".ToString('N2')", ".ToString('X')", ".Invoke()",
    ]
    static let commands = [
        "ForEach-Object { $_ }", "Where-Object { $_ }", "Select-Object -First 1", "Select-Object -Last 2", "Sort-Object",
        "Measure-Object", "Group-Object", "ConvertTo-Json -Compress", "ConvertFrom-Json", "Out-String", "Format-Table",
        "Format-List", "Out-Null", "Select-Object -Property a",
    ]

    static func expression(_ rng: inout SplitMix, depth: Int = 0) -> String {
        let pick = Int.random(in: 0..<10, using: &rng)
        if depth > 2 || pick < 4 { return values.randomElement(using: &rng)! }
        switch pick {
        case 4, 5:
            return "(\(expression(&rng, depth: depth + 1)) \(binaryOperators.randomElement(using: &rng)!) \(expression(&rng, depth: depth + 1)))"
        case 6, 7:
            return "(\(expression(&rng, depth: depth + 1)))\(members.randomElement(using: &rng)!)"
        case 8:
            return "[\(["int", "string", "double", "bool", "char", "array", "datetime", "hashtable"].randomElement(using: &rng)!)]\(expression(&rng, depth: depth + 1))"
        default:
            return "-not \(expression(&rng, depth: depth + 1))"
        }
    }

    static func statement(_ rng: inout SplitMix) -> String {
        let e = expression(&rng)
        switch Int.random(in: 0..<8, using: &rng) {
        case 0: return e
        case 1: return "$x = \(e)"
        case 2: return "\(e) | \(commands.randomElement(using: &rng)!)"
        case 3: return "if (\(e)) { \(expression(&rng)) } else { \(expression(&rng)) }"
        case 4: return "foreach ($i in \(e)) { \(expression(&rng)) }"
        case 5: return "switch (\(e)) { (\(expression(&rng))) { 'm' } default { 'd' } }"
        case 6: return "try { \(e) } catch { $_.Exception.Message } finally { 'f' }"
        default: return "\"$(\(e)) and $x\""
        }
    }

    /// Statement-shaped random scripts exercise the interpreter rather than the parser: each must run
    /// to its last line (errors are statement errors) and report every error with a place.
    @Test func generatedScriptsRunToTheEnd() async {
        let outcome = await Script.onThread(timeout: 120) { () -> [String] in
            var rng = SplitMix(state: 0x5EED_0002)
            var problems: [String] = []
            let deadline = Date().addingTimeInterval(5)
            var count = 0
            while count < 1_500 && Date() < deadline {
                let body = (0..<Int.random(in: 1...4, using: &rng)).map { _ in Self.statement(&rng) }.joined(separator: "\n")
                let source = "$x = 1; $h = @{ a = 1 }; $a = @(1, 2, 3)\n" + body + "\n'END'"
                let sink = CollectingSink()
                let engine = ScriptEngine(sink: sink)
                let result = engine.runScript(source: source, file: "gen.ps1", scriptRoot: "/tmp", arguments: [])
                if result != .completed || !sink.out.hasSuffix("END\n") {
                    problems.append("did not reach the end (\(result)): \(body.debugDescription) -> \(sink.err.prefix(300).debugDescription)")
                }
                for line in sink.err.split(separator: "\n") where line.hasPrefix("error:") {
                    problems.append("error without a location: \(line) in \(body.debugDescription)")
                }
                count += 1
            }
            return problems
        }
        #expect(outcome != nil, "a generated script hung")
        for problem in outcome ?? [] { Issue.record(Comment(rawValue: problem)) }
    }
}
