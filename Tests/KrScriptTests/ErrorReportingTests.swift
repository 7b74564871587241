import Testing
@testable import KrScript

/// "Every error prints one line to stderr first: FILE:LINE:COLUMN: error: MESSAGE, then the offending
/// source line and a caret" (CLI.md), checked through `ScriptEngine.runScript`.
@Suite struct ErrorReportingTests {
    /// The caret line puts `^` under `column` (1-based, Unicode scalars), tabs kept as tabs.
    static func expectCaret(_ e: ReportedError, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        guard let source = e.sourceLine, let caret = e.caretLine else {
            Issue.record("no source line and caret after \(e)", sourceLocation: sourceLocation)
            return
        }
        let expected = String(String.UnicodeScalarView(source.unicodeScalars.prefix(e.column - 1).map { $0 == "\t" ? "\t" : " " })) + "^"
        #expect(caret == expected, "caret \(caret.debugDescription) for \(e)", sourceLocation: sourceLocation)
    }

    // MARK: syntax errors

    @Test func syntaxErrorHasFileLineColumnSourceLineAndCaret() async {
        let r = await Script.run("'first line runs?'\n$x = 1 +* 2\n'third'\n", file: "bad.ps1")
        #expect(r.outcome == .failed)
        #expect(r.out.isEmpty, "nothing runs before a syntax error")
        let lines = r.err.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.count >= 3)
        #expect(lines.first?.hasPrefix("bad.ps1:2:9: error: ") == true, "\(r.err)")
        #expect(lines.dropFirst().first == "$x = 1 +* 2")
        #expect(lines.dropFirst(2).first == "        ^")
    }

    /// (source, line of the error) for syntax errors anywhere in a file: nothing may run.
    static let syntaxErrors: [(String, Int)] = [
        ("'a'\n'b'\nif ($true) {\n  'c'\n", 3),
        ("Write-Output 'x'\n$s = 'never closed\n", 2),
        ("Write-Output 'x'\n$s = \"never closed\n", 2),
        ("Write-Output 'x'\n(1 + 2\n", 2),
        ("'x'\n@(1, 2\n", 2),
        ("'x'\n@{ a = 1\n", 2),
        ("'x'\ntry { 'y' }\n", 2),
        ("'x'\n}\n", 2),
        ("'x'\n'y'\n$a = )\n", 3),
        ("'x'\n$h = @'\nnever closed\n", 2),
        ("'x'\nfunction {\n}\n", 2),
        ("'x'\nforeach ($i 1..3) { }\n", 2),
        ("'x'\n$a[0\n", 2),
    ]

    @Test(arguments: syntaxErrors)
    func syntaxErrorStopsEverythingAndNamesTheLine(source: String, line: Int) async {
        let r = await Script.run(source, file: "syntax.ps1")
        #expect(r.outcome == .failed)
        #expect(r.out.isEmpty, "output before a syntax error: \(r.out.debugDescription)")
        guard let e = r.firstError else {
            Issue.record("no FILE:LINE:COLUMN error line in \(r.err.debugDescription)")
            return
        }
        #expect(e.file == "syntax.ps1")
        #expect(e.line == line, "\(e)")
        #expect(e.column >= 1)
        Self.expectCaret(e)
    }

    // MARK: runtime errors

    /// Statement-terminating errors: reported with their place, and the script goes on.
    static let statementErrors: [(String, Int, String)] = [
        ("'a'\n$null.Foo()\n'b'", 2, "null-valued expression"),
        ("'a'\n$n = 0\n1 / $n\n'b'", 3, "divide by zero"),
        ("'a'\nno-such-command-xyz\n'b'", 2, "'no-such-command-xyz' is not recognized"),
        ("'a'\n[int]'abc'\n'b'", 2, "Cannot convert value \"abc\" to type \"System.Int32\""),
        ("'a'\n'x' -match '('\n'b'", 2, "Invalid pattern"),
        ("'a'\n'{0' -f 1\n'b'", 2, "Error formatting a string"),
        ("'a'\n'{5}' -f 1\n'b'", 2, "Error formatting a string"),
        ("'a'\n$null[0]\n'b'", 2, "Cannot index into a null array"),
        ("'a'\n'abc'.NoSuchMethod()\n'b'", 2, "does not contain a method named 'NoSuchMethod'"),
        ("'a'\n[No.Such.Type]::Foo()\n'b'", 2, "Unable to find type [No.Such.Type]"),
        ("'a'\nWrite-Error 'custom failure'\n'b'", 2, "custom failure"),
        ("'a'\nGet-Date -NoSuchParameter\n'b'", 2, "A parameter cannot be found that matches parameter name 'NoSuchParameter'"),
        ("'a'\n@{} + 1\n'b'", 2, "A hash table can only be added to another hash table"),
        ("'a'\n$a = 1, 2\n$a[5] = 0\n'b'", 3, "Index was outside the bounds of the array"),
        ("'a'\n'{\"a\":' | ConvertFrom-Json\n'b'", 2, "Conversion from JSON failed"),
        ("'a'\n[datetime]'not a date'\n'b'", 2, "Cannot convert value \"not a date\" to type \"System.DateTime\""),
    ]

    @Test(arguments: statementErrors)
    func statementErrorIsReportedAndTheScriptGoesOn(source: String, line: Int, phrase: String) async {
        let r = await Script.run(source, file: "stmt.ps1")
        #expect(r.outcome == .completed)
        #expect(r.lines == ["a", "b"])
        guard let e = r.firstError else {
            Issue.record("no FILE:LINE:COLUMN error line in \(r.err.debugDescription)")
            return
        }
        #expect(e.file == "stmt.ps1")
        #expect(e.line == line, "\(e)")
        #expect(e.message.localizedCaseInsensitiveContains(phrase), "\(e.message)")
        Self.expectCaret(e)
    }

    /// Script-terminating errors: the output before them is kept, the run fails, the line is named.
    static let terminatingErrors: [(String, [String], Int, String)] = [
        ("'before'\nthrow 'boom'\n'after'", ["before"], 2, "boom"),
        ("function f {\n  'in f'\n  throw 'from f'\n}\n'before'\nf\n'after'", ["before", "in f"], 3, "from f"),
        ("$ErrorActionPreference = 'Stop'\n'before'\n$null.Foo()\n'after'", ["before"], 3, "null-valued"),
        ("'before'\nWrite-Error 'stop here' -ErrorAction Stop\n'after'", ["before"], 2, "stop here"),
        ("1..3 | ForEach-Object {\n  if ($_ -eq 2) { throw \"at $_\" }\n  $_\n}\n'after'", ["1"], 2, "at 2"),
        ("$ErrorActionPreference = 'Stop'\n'x'\nno-such-command-xyz\n'y'", ["x"], 3, "not recognized"),
        ("try { throw 'inner' } finally { 'cleanup' }\n'after'", ["cleanup"], 1, "inner"),
        ("try { 'a' } catch { }\nthrow [System.ArgumentException]::new('bad arg')", ["a"], 2, "bad arg"),
    ]

    @Test(arguments: terminatingErrors)
    func terminatingErrorKeepsEarlierOutputAndNamesTheLine(source: String, output: [String], line: Int, phrase: String) async {
        let r = await Script.run(source, file: "term.ps1")
        #expect(r.outcome == .failed)
        #expect(r.lines == output)
        guard let e = r.firstError else {
            Issue.record("no FILE:LINE:COLUMN error line in \(r.err.debugDescription)")
            return
        }
        #expect(e.file == "term.ps1")
        #expect(e.line == line, "\(e)")
        #expect(e.message.localizedCaseInsensitiveContains(phrase), "\(e.message)")
        Self.expectCaret(e)
    }

    @Test func everyStatementErrorIsReported() async {
        let r = await Script.run("1, 2, 3 | ForEach-Object { $_.Nope() }\n'end'", file: "many.ps1")
        #expect(r.outcome == .completed)
        #expect(r.lines == ["end"])
        let errors = ReportedError.all(in: r.err)
        #expect(errors.count == 3)
        #expect(errors.allSatisfy { $0.line == 1 && $0.file == "many.ps1" })
    }

    @Test func columnsCountCharactersNotBytes() async {
        let r = await Script.run("\"é😀\" + $null.Foo()", file: "u.ps1")
        let e = r.firstError
        #expect(e?.line == 1)
        #expect(e?.column == 14)
        if let e { Self.expectCaret(e) }
    }

    @Test func caretKeepsTabsSoItLinesUp() async {
        let r = await Script.run("'a'\n\t\t$null.Foo()\n", file: "tabs.ps1")
        guard let e = r.firstError else {
            Issue.record("no error line in \(r.err.debugDescription)")
            return
        }
        #expect(e.line == 2)
        #expect(e.caretLine?.hasPrefix("\t\t") == true)
        Self.expectCaret(e)
    }

    @Test func errorInsideAFunctionNamesTheFunctionLineNotTheCall() async {
        let source = "function Get-Thing {\n  param($x)\n  $x.Missing()\n}\nGet-Thing $null\n'after'"
        let r = await Script.run(source, file: "fn.ps1")
        #expect(r.outcome == .completed)
        #expect(r.lines == ["after"])
        #expect(r.firstError?.line == 3)
    }

    @Test func errorInAStoredScriptBlockNamesItsOwnLine() async {
        let source = "$sb = {\n  param($v)\n  $v.Trim()\n}\n\n& $sb $null\n'after'"
        let r = await Script.run(source, file: "sb.ps1")
        #expect(r.lines == ["after"])
        #expect(r.firstError?.line == 3)
    }

    @Test func throwInsideCatchReportsTheRethrowLine() async {
        let source = "try {\n  throw 'first'\n} catch {\n  throw \"again: $_\"\n}"
        let r = await Script.run(source, file: "re.ps1")
        #expect(r.outcome == .failed)
        #expect(r.firstError?.line == 4)
        #expect(r.firstError?.message.contains("again: first") == true)
    }

    @Test func errorsGoToErrNotOut() async {
        let r = await Script.run("Write-Error 'to stderr'\n'to stdout'", file: "s.ps1")
        #expect(r.out == "to stdout\n")
        #expect(r.err.contains("to stderr"))
        #expect(!r.out.contains("to stderr"))
    }

    @Test func colourIsOffByDefault() async {
        let r = await Script.run("throw 'plain'", file: "c.ps1")
        #expect(!r.err.contains("\u{1B}["))
    }

    // MARK: exit

    @Test(arguments: [(Int32(0), "exit 0"), (3, "exit 3"), (7, "function f { exit 7 }\nf\n'not reached'"), (42, "& { exit 42 }")])
    func exitEndsTheRunWithItsCode(code: Int32, source: String) async {
        let r = await Script.run(source)
        #expect(r.outcome == .exited(code))
        #expect(!r.out.contains("not reached"))
    }

    @Test func exitKeepsEarlierOutput() async {
        let r = await Script.run("'one'\n'two'\nexit 5\n'three'")
        #expect(r.outcome == .exited(5))
        #expect(r.lines == ["one", "two"])
    }

    @Test func exitInsideTryStillRunsFinally() async {
        let r = await Script.run("try { 'body'; exit 4 } finally { 'finally' }\n'after'")
        #expect(r.outcome == .exited(4))
        #expect(r.lines == ["body", "finally"])
    }

    // MARK: interactive chunks

    @Test func interactiveChunksShareStateAndNameTheirSource() async {
        let sink = CollectingSink()
        let engine = ScriptEngine(sink: sink)
        let outcomes = await Script.onThread(timeout: 20) { () -> [RunOutcome] in
            [
                engine.runInteractive(source: "$n = 41\nfunction Add-One($v) { $v + 1 }"),
                engine.runInteractive(source: "Add-One $n"),
                engine.runInteractive(source: "$null.Foo()"),
                engine.runInteractive(source: "1 +* 2"),
                engine.runInteractive(source: "throw 'stop'"),
                engine.runInteractive(source: "'still here'"),
            ]
        }
        #expect(outcomes == [.completed, .completed, .completed, .failed, .failed, .completed])
        #expect(sink.out == "42\nstill here\n")
        let errors = ReportedError.all(in: sink.err)
        #expect(errors.count == 3)
        #expect(errors.allSatisfy { $0.file == "<interactive>" && $0.line == 1 })
    }

    @Test func incompleteChunkRunDirectlyIsAnErrorNotAHang() async {
        let sink = CollectingSink()
        let engine = ScriptEngine(sink: sink)
        let outcome = await Script.onThread(timeout: 20) { engine.runInteractive(source: "if ($true) {") }
        #expect(outcome == .failed)
        #expect(ReportedError.first(in: sink.err)?.line == 1)
    }
}
