import Foundation
import Testing
@testable import KrScript

/// A script and the exact stdout lines PowerShell 7.4 prints for it.
struct OutputCase: CustomTestStringConvertible, Sendable {
    let source: String
    let expected: [String]
    init(_ source: String, _ expected: [String]) {
        self.source = source
        self.expected = expected
    }
    var testDescription: String { source.count > 60 ? String(source.prefix(57)) + "..." : source }

    func check(sourceLocation: Testing.SourceLocation = #_sourceLocation) async {
        let r = await Script.run(source)
        #expect(r.outcome == .completed, "stderr: \(r.err)", sourceLocation: sourceLocation)
        #expect(r.err.isEmpty, "stderr: \(r.err)", sourceLocation: sourceLocation)
        #expect(r.lines == expected, sourceLocation: sourceLocation)
    }
}

/// Behaviour beyond the conformance corpus; every expectation is PowerShell 7.4's output.
@Suite struct InterpreterTests {
    static let scopes: [OutputCase] = [
        .init("$x = 1\nfunction f { $x = 2; \"in f: $x\" }\nf\n\"out: $x\"", ["in f: 2", "out: 1"]),
        .init("$x = 1\nfunction f { $script:x = 5 }\nf\n$x", ["5"]),
        .init("function outer { $v = 'outer'; inner }\nfunction inner { \"inner sees $v\" }\nouter", ["inner sees outer"]),
        .init("$x = 'global'\nfunction Show { $x }\nfunction Wrap { $x = 'wrapped'; Show }\nWrap\nShow", ["wrapped", "global"]),
        .init("$g = 1\nfunction Change { $g = 2; $global:g2 = 'set' }\nChange\n$g\n$g2", ["1", "set"]),
        .init("$sb = { $y = 5 }\n. $sb\n$y\n& { $z = 6 }\n$null -eq $z", ["5", "True"]),
        .init("function Counter { $script:n++ }\n$n = 0\nCounter; Counter; Counter\n$n", ["3"]),
        .init("function f { $local:v = 'l'; g }\nfunction g { \"g sees [$v]\" }\nf", ["g sees [l]"]),
        .init("$a = 1\n& { $a = 2; & { $a = 3; $a }; $a }\n$a", ["3", "2", "1"]),
        .init("function Set-Outer { Set-Variable -Name sv -Value 9 -Scope Script }\nSet-Outer\n$sv", ["9"]),
        .init("${my var} = 4\n${my var} + 1", ["5"]),
        .init("$X = 'upper'\n$x", ["upper"]),
    ]

    @Test(arguments: scopes) func scoping(c: OutputCase) async { await c.check() }

    static let closures: [OutputCase] = [
        .init("$x = 10\n$sb = { $x }.GetNewClosure()\n$x = 20\n& $sb", ["10"]),
        .init("function mk($n) { { param($a) $a * $n }.GetNewClosure() }\n$double = mk 2\n$triple = mk 3\n& $double 5\n& $triple 5", ["10", "15"]),
        .init("$fns = foreach ($i in 1..3) { { $i }.GetNewClosure() }\n$fns | ForEach-Object { & $_ }", ["1", "2", "3"]),
        .init("$fns = foreach ($i in 1..3) { { $i } }\n$i = 'late'\n$fns | ForEach-Object { & $_ }", ["late", "late", "late"]),
        .init("$sb = { param($a, $b) \"$a-$b\" }\n$sb.Invoke(1, 2)\n& $sb -b 4 -a 3", ["1-2", "3-4"]),
        .init("$sb = { \"args: $($args -join ',')\" }\n& $sb x y", ["args: x,y"]),
        .init("$h = @{ run = { param($v) $v * 2 } }\n& $h.run 21", ["42"]),
        .init("$sb = { 1; 2 }\n$r = & $sb\n$r.Count", ["2"]),
    ]

    @Test(arguments: closures) func closuresAndScriptBlocks(c: OutputCase) async { await c.check() }

    static let pipelines: [OutputCase] = [
        .init("function p { begin { 'begin' } process { \"p:$_\" } end { 'end' } }\n1,2 | p", ["begin", "p:1", "p:2", "end"]),
        .init("function Sum { begin { $t = 0 } process { $t += $_ } end { $t } }\n1..10 | Sum", ["55"]),
        .init("function W { param([Parameter(ValueFromPipeline)]$v) process { \"v=$v\" } }\n1,2 | W", ["v=1", "v=2"]),
        .init("1..4 | ForEach-Object -Begin { $acc = 100 } -Process { $acc += $_ } -End { $acc }", ["110"]),
        .init("1..3 | ForEach-Object { $_ } -End { 'done' }", ["1", "2", "3", "done"]),
        .init("$log = [System.Collections.Generic.List[string]]::new()\n1..10 | ForEach-Object { $log.Add(\"saw $_\"); $_ } | Select-Object -First 2\n$log.Count", ["1", "2", "2"]),
        .init("$i = 0\n1..1000000 | ForEach-Object { $script:i++; $_ } | Select-Object -First 3\n$i", ["1", "2", "3", "3"]),
        .init("function Gen { foreach ($i in 1..100) { $script:gen = $i; $i } }\nGen | Select-Object -First 3\n$gen", ["1", "2", "3", "3"]),
        .init("$seen = [System.Collections.Generic.List[int]]::new()\n& { foreach ($i in 1..100) { $seen.Add($i); $i } } | Select-Object -First 2\n$seen.Count", ["1", "2", "2"]),
        .init("(1..10 | Where-Object { $_ % 2 } | ForEach-Object { $_ * $_ } | Select-Object -First 3) -join ','", ["1,9,25"]),
        .init("1..3 | ForEach-Object { if ($_ -eq 2) { return }; $_ }", ["1", "3"]),
        .init("foreach ($x in 1..3) { 1..3 | ForEach-Object { if ($_ -eq 2) { continue }; \"$x$_\" } }\n'end'", ["11", "21", "31", "end"]),
        .init("1..5 | Select-Object -Last 2", ["4", "5"]),
        .init("1..5 | Select-Object -Skip 3", ["4", "5"]),
        .init("1..5 | Select-Object -First 2 -Skip 1", ["2", "3"]),
        .init("'a', 'b', 'a' | Select-Object -Unique", ["a", "b"]),
        .init("3, 1, 2 | Sort-Object -Descending", ["3", "2", "1"]),
        .init("(1..10 | Measure-Object -Sum).Sum", ["55"]),
        .init("'x' | ForEach-Object { $PSItem.ToUpper() }", ["X"]),
        .init("1, 2 | ForEach-Object { $_; $_ * 10 }", ["1", "10", "2", "20"]),
        .init("@(1, @(2, 3)) | ForEach-Object { \"[$_]\" }", ["[1]", "[2 3]"]),
        .init("function f { $input | ForEach-Object { $_ + 1 } }\n1, 2 | f", ["2", "3"]),
        .init("$r = 1..3 | ForEach-Object { $_ }\n$r.GetType().Name", ["Object[]"]),
        .init("$r = 5 | ForEach-Object { $_ }\n$r.GetType().Name", ["Int32"]),
    ]

    @Test(arguments: pipelines) func pipelineBehaviour(c: OutputCase) async { await c.check() }

    static let switches: [OutputCase] = [
        .init("switch (1, 2, 3) { 2 { 'two' } default { \"d$_\" } }", ["d1", "two", "d3"]),
        .init("switch ('abc') { 'ABC' { 'ci' } }", ["ci"]),
        .init("switch -CaseSensitive ('abc') { 'ABC' { 'cs' } default { 'none' } }", ["none"]),
        .init("switch (@()) { default { 'never' } }\n'done'", ["done"]),
        .init("switch ($null) { $null { 'null' } default { 'd' } }", ["null"]),
        .init("switch (5) { { $_ -gt 3 } { 'big' } { $_ -gt 4 } { 'bigger' } }", ["big", "bigger"]),
        .init("switch (1, 2, 3) { 2 { 'two'; break } default { \"d$_\" } }", ["d1", "two"]),
        .init("switch (1, 2, 3) { 2 { continue } default { \"d$_\" } }", ["d1", "d3"]),
        .init("switch -Wildcard ('foo.txt') { '*.txt' { 'text' } '*.*' { 'any' } }", ["text", "any"]),
        .init("switch -Regex ('abc123') { '(\\d+)' { $Matches[1] } }", ["123"]),
        .init("$r = switch (3) { 1 { 'a' } 3 { 'c' } }\n$r", ["c"]),
        .init("switch (4) { 1 { 'a' } }\n'no match prints nothing'", ["no match prints nothing"]),
        .init("switch ('5') { 5 { 'number matches string' } }", ["number matches string"]),
        .init("switch (2) { 2 { 'first' } 2 { 'second' } }", ["first", "second"]),
        .init("switch -Exact ('a*') { 'a*' { 'exact' } }", ["exact"]),
        .init(":outer foreach ($i in 1..3) { switch ($i) { 2 { break outer } default { $i } } }\n'after'", ["1", "after"]),
        .init("$x = 'b'\nswitch ($x) { 'a' { 1 } 'b' { 2 } 'c' { 3 } }", ["2"]),
        .init("switch (1..3) { { $_ % 2 } { \"odd $_\" } }", ["odd 1", "odd 3"]),
    ]

    @Test(arguments: switches) func switchStatement(c: OutputCase) async { await c.check() }

    static let strings: [OutputCase] = [
        .init("'Hello'.Substring(1, 3)", ["ell"]),
        .init("'a,b,,c'.Split(',').Count", ["4"]),
        .init("'  x '.Trim().Length", ["1"]),
        .init("'abc'.IndexOf('c')", ["2"]),
        .init("'Hello'.IndexOf('z')", ["-1"]),
        .init("'abc'.Replace('b', 'X')", ["aXc"]),
        .init("'abc'.PadLeft(5, '*')", ["**abc"]),
        .init("'x'.PadRight(3) + '|'", ["x  |"]),
        .init("'a-b-c'.LastIndexOf('-')", ["3"]),
        .init("'Hello'.StartsWith('he')", ["False"]),
        .init("'Hello'.EndsWith('lo')", ["True"]),
        .init("'Hello'.Contains('ell')", ["True"]),
        .init("'Hello'.Contains('ELL')", ["False"]),
        .init("'xxhixx'.Trim('x')", ["hi"]),
        .init("'  pad  '.TrimStart() + '|'", ["pad  |"]),
        .init("'a.b.c'.Split('.', 2)", ["a", "b.c"]),
        .init("'Hello'[0]\n'Hello'[-1]\n'Hello'[1..3] -join ''", ["H", "o", "ell"]),
        .init("[string]::IsNullOrEmpty('')\n[string]::IsNullOrWhiteSpace('  ')", ["True", "True"]),
        .init("[string]::Join('-', @('a', 'b', 'c'))", ["a-b-c"]),
        .init("'ab' * 3", ["ababab"]),
        .init("'x' + 1 + 2\n\"$(1 + 2)x\"", ["x12", "3x"]),
        .init("'abc' -replace 'B', 'X'\n'abc' -creplace 'B', 'X'", ["aXc", "abc"]),
        .init("'John Smith' -replace '(\\w+) (\\w+)', '$2, $1'", ["Smith, John"]),
        .init("'a,b;c' -split '[,;]'", ["a", "b", "c"]),
        .init("'abc' -eq 'ABC'\n'abc' -ceq 'ABC'\n'10' -lt '9'\n10 -lt '9'", ["True", "False", "True", "False"]),
        .init("'hello world' -split ' ' | ForEach-Object { $_.Substring(0, 1).ToUpper() + $_.Substring(1) }", ["Hello", "World"]),
        .init("$n = 'World'\n\"Hello, $n! $($n.Length) chars\"", ["Hello, World! 5 chars"]),
        .init("$h = @{ k = 'v' }\n\"val: $($h.k) raw: $h.k\"", ["val: v raw: System.Collections.Hashtable.k"]),
        .init("\"tab:`t|nl:`n|\"", ["tab:\t|nl:", "|"]),
        .init("'It''s'", ["It's"]),
        .init("\"a`\"b\"", ["a\"b"]),
        .init("$a = 1, 2, 3\n\"$a\"", ["1 2 3"]),
        .init("'abc'.ToCharArray().Count", ["3"]),
        .init("'{0}|{1}' -f 'a', 'b'", ["a|b"]),
        .init("('a' -join ',').GetType().Name", ["String"]),
    ]

    @Test(arguments: strings) func stringBehaviour(c: OutputCase) async { await c.check() }

    static let conversions: [OutputCase] = [
        .init("[int]'42' + 1", ["43"]),
        .init("[int]'  12  '", ["12"]),
        .init("[int]2.5\n[int]3.5\n[int]-2.5\n[int]-3.5", ["2", "4", "-2", "-4"]),
        .init("[int]'0x10'", ["16"]),
        .init("[double]'1e3'", ["1000"]),
        .init("[bool]'false'\n[bool]''\n[bool]0\n[bool]'0'", ["True", "False", "False", "True"]),
        .init("[bool]@()\n[bool]@(0)\n[bool]@(0, 0)", ["False", "False", "True"]),
        .init("[string]$null\n([string]$null).Length", ["", "0"]),
        .init("'0x1F' -as [int]\n$null -eq ('abc' -as [int])", ["31", "True"]),
        .init("[int][char]'A'\n[char]65", ["65", "A"]),
        .init("[long]'9999999999'", ["9999999999"]),
        .init("$x = [int]'5'; $x.GetType().Name", ["Int32"]),
        .init("([int[]]@('1', '2')).GetType().Name", ["Int32[]"]),
        .init("(1, 2 -as [string[]]).GetType().Name", ["String[]"]),
        .init("[string[]]@(1, 2) -join '|'", ["1|2"]),
        .init("5 / 2\n(5 / 2).GetType().Name\n6 / 2\n(6 / 2).GetType().Name", ["2.5", "Double", "3", "Int32"]),
        .init("2147483647 + 1\n(2147483647 + 1).GetType().Name", ["2147483648", "Double"]),
        .init("[int]::MaxValue + 1", ["2147483648"]),
        .init("0.1 + 0.2\n1/3", ["0.3", "0.333333333333333"]),
        .init("'5' + 3\n5 + '3'\n'5' * 3\n3 * '5'", ["53", "8", "555", "15"]),
        .init("1kb\n1.5mb\n0x10\n1e3", ["1024", "1572864", "16", "1000"]),
        .init("-7 % 3\n7 % -3", ["-1", "1"]),
        .init("5 -band 3\n5 -bor 3\n5 -bxor 3\n-bnot 0", ["1", "7", "6", "-1"]),
        .init("[int]$i = 5\n$i = '7'\n$i.GetType().Name", ["Int32"]),
        .init("[datetime]'2024-01-15' | ForEach-Object { $_.Year }\n([datetime]'2024-01-15').DayOfWeek", ["2024", "Monday"]),
        .init("(42).ToString('D5')\n(3.14159).ToString('F2')", ["00042", "3.14"]),
        .init("1 -is [int]\n'1' -is [string]\n1.0 -is [double]\n$null -is [object]", ["True", "True", "True", "False"]),
    ]

    @Test(arguments: conversions) func typeConversions(c: OutputCase) async { await c.check() }

    /// (source, phrases the error message must contain)
    static let conversionErrors: [(String, [String])] = [
        ("[int]'abc'", ["Cannot convert value \"abc\" to type \"System.Int32\"", "Error:"]),
        ("[int]'99999999999'", ["Cannot convert value \"99999999999\" to type \"System.Int32\"", "too large or too small for an Int32"]),
        ("[byte]300", ["Cannot convert value \"300\" to type \"System.Byte\"", "too large or too small"]),
        ("[datetime]'not a date'", ["Cannot convert value \"not a date\" to type \"System.DateTime\""]),
        ("[int]::Parse('x')", ["Exception calling \"Parse\" with \"1\" argument(s)"]),
        ("function f([int]$n) { $n }\nf -n abc", ["Cannot process argument transformation on parameter 'n'", "Cannot convert value \"abc\" to type \"System.Int32\""]),
        ("[int[]]$a = 1, 'x'", ["Cannot convert value \"x\" to type \"System.Int32\""]),
    ]

    @Test(arguments: conversionErrors)
    func conversionErrorMessages(source: String, phrases: [String]) async {
        let r = await Script.run(source)
        #expect(r.out.isEmpty)
        guard let e = r.firstError else {
            Issue.record("no error line in \(r.err.debugDescription)")
            return
        }
        for phrase in phrases {
            #expect(e.message.contains(phrase), "\(e.message)")
        }
    }

    static let hashtables: [OutputCase] = [
        .init("$h = @{ a = 1 }\n$h.A\n$h['A']\n$h.Count", ["1", "1", "1"]),
        .init("$h = @{ a = 1 }\n$h.Count = 'key'\n$h.Count\n$h['count']\n$h.Keys.Count", ["key", "key", "2"]),
        .init("$h = @{ count = 'c' }\n$h.Count\n@($h).Count\n$h.Keys.Count", ["c", "1", "1"]),
        .init("$h = @{ Keys = 'k' }\n$h.Keys", ["k"]),
        .init("$h = [ordered]@{ z = 1; a = 2; m = 3 }\n$h.Keys -join ','\n$h.GetType().Name", ["z,a,m", "OrderedDictionary"]),
        .init("$h = @{ a = 1 }\n$null -eq $h.b\n$h.ContainsKey('A')", ["True", "True"]),
        .init("$h = @{ a = 1; b = 2 }\n$h.Remove('A')\n$h.Count", ["1"]),
        .init("$h = @{}\n$h[1] = 'int'\n$h['1'] = 'str'\n$h.Count\n$h[1]", ["2", "int"]),
        .init("$h = @{ b = 2; a = 1 }\n($h.GetEnumerator() | Sort-Object Name | ForEach-Object { \"$($_.Key)=$($_.Value)\" }) -join ';'", ["a=1;b=2"]),
        .init("$h = @{ a = 1 }\n$h2 = $h\n$h2.a = 5\n$h.a\n$h3 = $h.Clone()\n$h3.a = 9\n$h.a", ["5", "5"]),
        .init("$h = @{ a = @{ b = @{ c = 'deep' } } }\n$h.a.b.c\n$h['a']['b']['c']", ["deep", "deep"]),
        .init("$h = @{ 'Content-Type' = 'x' }\n$h.'content-type'", ["x"]),
        .init("$h = @{}\n$h.Count\n$h.Count = 7\n$h.Count\n$h.Keys.Count", ["0", "7", "1"]),
        .init("$h = @{ a = 1 } + @{ b = 2 }\n$h.Count", ["2"]),
        .init("$h = [ordered]@{ b = 1 }\n$h.a = 2\n$h['c'] = 3\n$h.Keys -join ','", ["b,a,c"]),
        .init("$o = [ordered]@{ b = 1; a = 2 }\n[pscustomobject]$o | ConvertTo-Json -Compress", ["{\"b\":1,\"a\":2}"]),
        .init("$h = @{ a = 1 }\n$h.a++\n$h.a += 10\n$h.a", ["12"]),
        .init("$h = @{ list = @(1, 2) }\n$h.list += 3\n$h.list.Count", ["3"]),
        .init("$h = @{}\n$h.Add('a', 1)\n$h.ContainsValue(1)", ["True"]),
        .init("$s = [hashtable]::Synchronized(@{})\n$s.GetType().FullName", ["System.Collections.Hashtable+SyncHashtable"]),
        .init("$s = [hashtable]::Synchronized(@{ A = 1 })\n$s.a\n$s.Count\n$s.IsSynchronized", ["1", "1", "True"]),
        .init("$h = @{ a = 1 }\n$h -is [hashtable]\n$h.GetType().FullName", ["True", "System.Collections.Hashtable"]),
    ]

    @Test(arguments: hashtables) func hashtableSemantics(c: OutputCase) async { await c.check() }

    static let json: [OutputCase] = [
        .init("[pscustomobject]@{ a = 1; b = 'x' } | ConvertTo-Json", ["{", "  \"a\": 1,", "  \"b\": \"x\"", "}"]),
        .init("@{ list = @(1, 'two', $true, $null, 1.5) } | ConvertTo-Json -Compress", ["{\"list\":[1,\"two\",true,null,1.5]}"]),
        .init("'tab\t\"quote\" \\ back' | ConvertTo-Json", ["\"tab\\t\\\"quote\\\" \\\\ back\""]),
        .init("'{\"a\":1,\"b\":[1,2,{\"c\":null}],\"d\":\"x\"}' | ConvertFrom-Json | ConvertTo-Json -Compress -Depth 5", ["{\"a\":1,\"b\":[1,2,{\"c\":null}],\"d\":\"x\"}"]),
        .init("$j = '{\"a\":1.5,\"b\":true,\"c\":\"2020\",\"d\":12345678901,\"e\":1}' | ConvertFrom-Json\n$j.a.GetType().Name\n$j.b.GetType().Name\n$j.c.GetType().Name\n$j.d.GetType().Name\n$j.e.GetType().Name", ["Double", "Boolean", "String", "Int64", "Int64"]),
        .init("$o = '{\"name\":\"n\",\"items\":[{\"id\":1},{\"id\":2}]}' | ConvertFrom-Json\n$o.name\n$o.items.Count\n$o.items[1].id\n$o.items.id -join ','", ["n", "2", "2", "1,2"]),
        .init("'[1,2,3]' | ConvertFrom-Json | ForEach-Object { $_ * 2 }", ["2", "4", "6"]),
        .init("'\"str\"' | ConvertFrom-Json\n'null' | ConvertFrom-Json", ["str"]),
        .init("ConvertTo-Json @(1, 2, 3) -Compress\n1, 2 | ConvertTo-Json -Compress\n1 | ConvertTo-Json -Compress -AsArray", ["[1,2,3]", "[1,2]", "[1]"]),
        .init("$null | ConvertTo-Json", ["null"]),
        .init("@{ a = 'é€😀<>&''' } | ConvertTo-Json -Compress", ["{\"a\":\"é€😀<>&'\"}"]),
        .init("'{\"a\":\"\\u00e9\\n\"}' | ConvertFrom-Json | ForEach-Object { $_.a.Length }", ["2"]),
        .init("@{ a = [int]::MaxValue; b = [long]::MaxValue } | ConvertTo-Json -Compress | ConvertFrom-Json | ForEach-Object { $_.b }", ["9223372036854775807"]),
        .init("$s = [ordered]@{ x = 1; y = [ordered]@{ z = @(1, 2) } } | ConvertTo-Json -Depth 5\n$back = $s | ConvertFrom-Json\n$back.y.z -join ','\n($back | ConvertTo-Json -Depth 5) -eq $s", ["1,2", "True"]),
        .init("[pscustomobject]@{ when = [datetime]'2024-01-15T10:20:30' } | ConvertTo-Json -Compress", ["{\"when\":\"2024-01-15T10:20:30\"}"]),
        .init("@{ a = @{ b = 1 } } | ConvertTo-Json -Depth 10 -Compress", ["{\"a\":{\"b\":1}}"]),
    ]

    @Test(arguments: json) func jsonRoundTrips(c: OutputCase) async { await c.check() }

    static let formatting: [OutputCase] = [
        .init("'{0:N2}' -f 1234.5678", ["1,234.57"]),
        .init("'{0:D5}' -f 42", ["00042"]),
        .init("'{0,-5}|' -f 'ab'\n'{0,5}|' -f 'ab'", ["ab   |", "   ab|"]),
        .init("'{0:X}' -f 255\n'{0:x4}' -f 255", ["FF", "00ff"]),
        .init("'{1}{0}' -f 'a', 'b'", ["ba"]),
        .init("'{0:yyyy-MM-dd}' -f [datetime]'2020-05-06'", ["2020-05-06"]),
        .init("'{{literal}} {0}' -f 'x'", ["{literal} x"]),
        .init("'{0:0.00}' -f 2\n'{0:#,##0}' -f 1234567", ["2.00", "1,234,567"]),
        .init("'{0} {1}' -f @('a', 'b')", ["a b"]),
        .init("'{0:F1}' -f 0.05", ["0.1"]),
        .init("'[{0,8:F2}]' -f 3.14159", ["[    3.14]"]),
        .init("'{0}' -f $null", [""]),
        .init("'{0:E2}' -f 12345.678", ["1.23E+004"]),
    ]

    @Test(arguments: formatting) func formatOperator(c: OutputCase) async { await c.check() }

    static let math: [OutputCase] = [
        .init("[math]::Round(2.5)\n[math]::Round(3.5)\n[math]::Round(-2.5)", ["2", "4", "-2"]),
        .init("[math]::Round(2.345, 2)\n[math]::Round(1.005, 2)", ["2.34", "1"]),
        .init("[math]::Round(2.5, [MidpointRounding]::AwayFromZero)", ["3"]),
        .init("[math]::Round(1.23456, 3)", ["1.235"]),
        .init("[math]::Floor(-1.5)\n[math]::Ceiling(1.2)\n[math]::Truncate(-1.7)", ["-2", "2", "-1"]),
        .init("[math]::Abs(-3)\n[math]::Max(3, 7)\n[math]::Min(3, 7)", ["3", "7", "3"]),
        .init("[math]::Pow(2, 10)\n[math]::Sqrt(16)", ["1024", "4"]),
        .init("[math]::PI", ["3.14159265358979"]),
        .init("[int][math]::Floor(7 / 2)", ["3"]),
    ]

    @Test(arguments: math) func mathStatics(c: OutputCase) async { await c.check() }

    static let objectAndPathStatics: [OutputCase] = [
        .init("$h = @{a=1}; $g = $h; [object]::ReferenceEquals($h, $g); [object]::ReferenceEquals($h, @{a=1})", ["True", "False"]),
        .init("[object]::ReferenceEquals($null, $null); [object]::ReferenceEquals(1, 1); [object]::Equals('a', 'A')", ["True", "False", "False"]),
        .init("[System.IO.Path]::Combine('/a', 'b', 'c.txt'); [System.IO.Path]::Combine('/a', '/rooted')", ["/a/b/c.txt", "/rooted"]),
        .init("[IO.Path]::GetFileName('/x/y.tar.gz'); [IO.Path]::GetExtension('/x/y.tar.gz'); [IO.Path]::GetFileNameWithoutExtension('/x/y.txt'); [IO.Path]::GetDirectoryName('/x/y.txt')",
              ["y.tar.gz", ".gz", "y", "/x"]),
        .init("[System.IO.Path]::GetTempPath().EndsWith('/')", ["True"]),
        .init("$o = [pscustomobject]@{a=1}; $o.Count; $o.Length; (Get-Date).Count; $null.Count; @($o).Count", ["1", "1", "1", "0", "1"]),
        // Floating-point division is IEEE 754 (only integer and decimal division by zero throw).
        .init("(1.0 / 0) -eq [double]::PositiveInfinity\n(-1.0 / 0) -eq [double]::NegativeInfinity\n[double]::IsNaN(0.0 / 0)\n[double]::IsNaN(5.0 % 0)", ["True", "True", "True", "True"]),
        .init("$h = [ordered]@{ z = 'first'; a = 'second' }\n$h[0]\n$h[1]\n$h['a']\n$null -eq $h[2]", ["first", "second", "second", "True"]),
        .init("'a.b' -split '.', 0, 'SimpleMatch'\n'aXbxc' -split 'x', 0, 'SimpleMatch,IgnoreCase'", ["a", "b", "a", "b", "c"]),
    ]
    @Test(arguments: objectAndPathStatics) func objectAndPathHelpers(c: OutputCase) async { await c.check() }

    @Test func absOfIntMinValueOverflows() async {
        let r = await Script.run("[math]::Abs([int]::MinValue)\n'after'\n1 / 0")
        #expect(r.lines == ["after"])
        #expect(r.err.contains("Negating the minimum value of a twos complement number is invalid"), "\(r.err)")
        #expect(r.err.contains("Attempted to divide by zero."), "\(r.err)")
    }

    @Test func removeItemDeletesFilesFoldersAndPatterns() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("sub"), withIntermediateDirectories: true)
        for name in ["a.txt", "b.txt", "c.log", "sub/d.txt"] { try Data("x".utf8).write(to: dir.appendingPathComponent(name)) }
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = await Script.run("""
            Remove-Item '\(dir.path)/*.txt'
            ('a.txt', 'b.txt', 'c.log', 'sub/d.txt' | ForEach-Object { Test-Path "\(dir.path)/$_" }) -join ','
            Remove-Item '\(dir.path)/sub'
            Remove-Item '\(dir.path)/sub' -Recurse
            Remove-Item '\(dir.path)/missing.txt'
            Test-Path '\(dir.path)/sub'
            """)
        #expect(r.lines == ["False,False,True,True", "False"], "stderr: \(r.err)")
        #expect(r.err.contains("has children and -Recurse was not given"))
        #expect(r.err.contains("Cannot find path '\(dir.path)/missing.txt' because it does not exist."))
    }

    static let collections: [OutputCase] = [
        .init("$l = [System.Collections.Generic.List[int]]::new()\n$l.Add(3); $l.Add(1); $l.Add(2)\n$l.Count\n$l.Sort()\n$l -join ','\n$l.Contains(2)\n$l.IndexOf(2)", ["3", "1,2,3", "True", "1"]),
        .init("$l = [System.Collections.Generic.List[int]]::new()\n$l.Add(1)\n$l.Remove(1)\n$l.Remove(1)\n$l.Count", ["True", "False", "0"]),
        .init("$l = [System.Collections.Generic.List[int]]::new()\n$l.GetType().FullName", ["System.Collections.Generic.List`1[System.Int32]"]),
        .init("$l = [System.Collections.Generic.List[int]]::new()\n$l.Add('7')\n$l[0].GetType().Name", ["Int32"]),
        .init("$l = [System.Collections.Generic.List[string]]::new()\n$l.Add(5)\n$l[0].GetType().Name", ["String"]),
        .init("$l = [System.Collections.Generic.List[string]]::new()\n$l.AddRange([string[]]@('a', 'b'))\n$l.Insert(0, 'first')\n$l -join ','\n$l.ToArray().Count", ["first,a,b", "3"]),
        .init("$l = [System.Collections.Generic.List[object]]::new()\n$l.Add(1)\n$l.Add('a')\n$l | ForEach-Object { \"<$_>\" }", ["<1>", "<a>"]),
        .init("$l = [System.Collections.Generic.List[int]]::new()\n$null = $l.Add(1)\n$l.Add(2) | Out-Null\n$l.Count", ["2"]),
        .init("$d = [System.Collections.Concurrent.ConcurrentDictionary[string,int]]::new()\n$d.AddOrUpdate('k', 1, { param($k, $v) $v + 1 })\n$d.AddOrUpdate('k', 1, { param($k, $v) $v + 1 })\n$d['k']\n$d.Count", ["1", "2", "2", "1"]),
        .init("$d = [System.Collections.Concurrent.ConcurrentDictionary[string,int]]::new()\n$d.TryAdd('k', 5)\n$d.TryAdd('k', 6)\n$d['k']", ["True", "False", "5"]),
        .init("$d = [System.Collections.Concurrent.ConcurrentDictionary[string,int]]::new()\n$d.GetOrAdd('z', 9)\n$d.GetOrAdd('z', 10)", ["9", "9"]),
        .init("$d = [System.Collections.Concurrent.ConcurrentDictionary[string,int]]::new()\n$d['a'] = 1\n$d.ContainsKey('a')\n$d.GetType().Name", ["True", "ConcurrentDictionary`2"]),
        .init("$a = [System.Collections.ArrayList]::new()\n$a.Add('x')\n$a.Add('y')\n$a.Count", ["0", "1", "2"]),
        .init("$a = 1..5\n$a[1..2] -join ','\n$a[-2..-1] -join ','\n$a.Count\n$a.Length", ["2,3", "4,5", "5", "5"]),
        .init("@().Count\n@(1).Count\n$null.Count", ["0", "1", "0"]),
        .init("(1, 2, 3).Where({ $_ -gt 1 }) -join ','\n(1, 2, 3).ForEach({ $_ * 10 }) -join ','", ["2,3", "10,20,30"]),
        .init("$a = 1..3\n$b = $a\n$b[0] = 99\n$a[0]\n$c = $a + 4\n$c.Count\n$a.Count", ["99", "4", "3"]),
        .init(",(1, 2) | ForEach-Object { $_.Count }\n@(@(1, 2)).Count\n@(1, @(2, 3)).Count", ["2", "2", "2"]),
        .init("$x = @()\n$x += 1\n$x += 2\n$x -join ','", ["1,2"]),
        .init("(1, 2, 3) -contains 2\n2 -in 1, 2, 3\n(1, 2, 3, 2) -eq 2", ["True", "True", "2", "2"]),
        .init("$null -eq @()\n(@() -eq $null).Count", ["False", "0"]),
        .init("$a = 1, 2, 3\n$a[10]\n$a[-10]\n'end'", ["end"]),
    ]

    @Test(arguments: collections) func collectionTypes(c: OutputCase) async { await c.check() }

    static let errorsAndFlow: [OutputCase] = [
        .init("try { Write-Error 'x' -ErrorAction Stop } catch { \"caught: $($_.Exception.Message)\" }", ["caught: x"]),
        .init("$ErrorActionPreference = 'Stop'\ntry { Write-Error 'x' } catch { \"caught $_\" }", ["caught x"]),
        .init("Write-Error 'x' -ErrorAction SilentlyContinue\n$?\n'after'", ["False", "after"]),
        .init("Write-Error 'quiet' -ErrorAction SilentlyContinue\n'after'", ["after"]),
        .init("Write-Error 'ignored' -ErrorAction Ignore\n'after'", ["after"]),
        .init("foreach ($i in 1..5) { try { if ($i -eq 2) { continue }; if ($i -eq 4) { break }; \"i=$i\" } finally { \"f$i\" } }\n'end'", ["i=1", "f1", "f2", "i=3", "f3", "f4", "end"]),
        .init("function g { try { return 'r' } finally { 'fin' } }\ng", ["r", "fin"]),
        .init("function g { try { throw 'boom' } catch { return \"c:$_\" } finally { 'fin' }; 'not reached' }\ng", ["c:boom", "fin"]),
        .init("try { try { throw 'inner' } finally { 'inner finally' } } catch { \"outer caught $_\" }", ["inner finally", "outer caught inner"]),
        .init("try { throw 'a' } catch { try { throw 'b' } catch { \"nested $_\" }; \"outer $_\" }", ["nested b", "outer a"]),
        .init("try { 1 / 0 } catch [System.DivideByZeroException] { 'dbz' } catch { 'other' }", ["dbz"]),
        .init("try { [int]'x' } catch [System.Management.Automation.RuntimeException] { 'rte' } catch { 'other' }", ["rte"]),
        .init("try { throw [System.ArgumentException]::new('bad arg') } catch [System.ArgumentException] { \"AE: $($_.Exception.Message)\" }", ["AE: bad arg"]),
        .init("try { throw 'x' } catch { $_.GetType().Name; $_.Exception.GetType().Name }", ["ErrorRecord", "RuntimeException"]),
        .init("try { $null.Foo() } catch { $_.Exception.GetType().Name }", ["RuntimeException"]),
        .init("$x = try { 'v' } finally { }\n$x", ["v"]),
        .init("$e = $null\ntry { throw 'boom' } catch { $e = $_ }\n$e.Exception.Message\n$e.InvocationInfo.ScriptLineNumber", ["boom", "2"]),
        .init("1\n$?", ["1", "True"]),
        .init("'a' | ForEach-Object { $_ }\n$?", ["a", "True"]),
        .init("try { throw } catch { 'rethrow without object is caught' }", ["rethrow without object is caught"]),
        .init("try { try { throw 'orig' } catch { throw } } catch { \"outer: $_\" }", ["outer: orig"]),
        .init("function f { [CmdletBinding()] param() Write-Error 'e1'; 'still' }\ntry { f -ErrorAction Stop } catch { \"stopped: $_\" }", ["stopped: e1"]),
        .init("$c = 0\nwhile ($true) { $c++; if ($c -ge 5) { break } }\n$c", ["5"]),
        .init(":outer foreach ($i in 1..3) { foreach ($j in 1..3) { if ($j -eq 2) { continue outer }; \"$i$j\" } }", ["11", "21", "31"]),
        .init("$i = 0\ndo { $i++ } until ($i -ge 3)\n$i\ndo { $i-- } while ($i -gt 0)\n$i", ["3", "0"]),
        .init("for ($i = 0; $i -lt 3; $i++) { $i }", ["0", "1", "2"]),
        .init("function Ret { return 1; 2 }\nRet", ["1"]),
        .init("function One { 'x' }\n(One).GetType().Name\nfunction Many { 1; 2 }\n(Many).GetType().Name", ["String", "Object[]"]),
        .init("function Empty { }\n$null -eq (Empty)", ["True"]),
        .init("function Arr { , @(1, 2) }\n(Arr).Count", ["2"]),
        .init("function Named($first, $second) { \"$first|$second\" }\nNamed -second 2 -first 1\nNamed 1 2\nNamed -s 2 1", ["1|2", "1|2", "1|2"]),
        .init("function Sw([switch]$On) { if ($On) { 'on' } else { 'off' } }\nSw\nSw -On\nSw -On:$false", ["off", "on", "off"]),
        .init("function A { $args.Count; $args[0] }\nA a b c", ["3", "a"]),
        .init("$x = if ($true) { 'yes' } else { 'no' }\n$x", ["yes"]),
        .init("$v = $null\n$v ?? 'default'\n$v ??= 'set'\n$v", ["default", "set"]),
        .init("$t = $true ? 'T' : 'F'\n$t", ["T"]),
        .init("$o = $null\n${o}?.Length\n$null.Length\n'ok'", ["0", "ok"]),
    ]

    @Test(arguments: errorsAndFlow) func errorsAndControlFlow(c: OutputCase) async { await c.check() }

    @Test func writeErrorIsNonTerminatingButReported() async {
        let r = await Script.run("function f { Write-Error 'inner'; 'f continues' }\nf\n'after'", file: "we.ps1")
        #expect(r.outcome == .completed)
        #expect(r.lines == ["f continues", "after"])
        #expect(r.firstError?.message == "inner")
        #expect(r.firstError?.line == 1)
    }

    @Test func dollarQuestionIsFalseAfterAFailedStatement() async {
        let r = await Script.run("$null.Foo()\n$?")
        #expect(r.lines == ["False"])
    }

    @Test func ErrorActionStopOnAdvancedFunctionEndsTheScript() async {
        let r = await Script.run("function t { [CmdletBinding()] param() Write-Error 'e1'; 'still' }\nt -ErrorAction Stop\n'after'")
        #expect(r.outcome == .failed)
        #expect(r.lines.isEmpty)
        #expect(r.firstError?.message == "e1")
    }
}
