import Testing
@testable import KrScript

/// What the parser tells the REPL about a chunk of input, and where it places syntax errors.
@Suite struct ParserTests {
    static let incompleteInputs: [String] = [
        "{",
        "if ($x) {",
        "if ($x) { 'a' } else {",
        "function f {",
        "function f { param(",
        "foreach ($i in 1..3) {",
        "while ($true) {",
        "switch ($x) {",
        "$sb = { 1; { 2 }",
        "(",
        "(1 + 2",
        "$x = (",
        "@(",
        "@(1, 2,\n3",
        "@{",
        "@{ a = 1",
        "@{ a = 1;\nb = 2",
        "'abc",
        "'it''s",
        "\"abc",
        "\"abc $x",
        "\"$(",
        "@\"\nabc",
        "@\"\nabc\n\"",
        "@'\nabc",
        "$s = @'\nline one\nline two",
        "1 |",
        "Get-Date |",
        "1..3 | ForEach-Object { $_ } |",
        "1 +",
        "1 -",
        "$x = 2 *",
        "$a -and",
        "$x -eq",
        "'a' -replace",
        "1,",
        "$x =",
        "try {}",
        "try { 'body' }",
        "try { 'a' }\n",
        "<# open comment",
        "$h.Method(1,",
    ]

    @Test(arguments: incompleteInputs)
    func openInputIsIncomplete(source: String) {
        #expect(ScriptEngine.inputState(of: source) == .incomplete)
    }

    static let completeInputs: [String] = [
        "",
        "   ",
        "# just a comment",
        "1",
        "1 + 2",
        "'abc'",
        "\"abc $x\"",
        "'it''s'",
        "{ }",
        "{ 'a' }",
        "(1 + 2)",
        "@(1, 2)",
        "@{ a = 1 }",
        "@\"\nabc\n\"@",
        "@'\nabc\n'@",
        "1 | ForEach-Object { $_ }",
        "try { 1 } catch { 2 }",
        "try { 1 } finally { 2 }",
        "function f { 'x' }",
        "if ($x) { 1 } else { 2 }",
        "<# closed #> 1",
        "$x = 1; $y = 2",
        "Get-Date `\n -Format o",
    ]

    @Test(arguments: completeInputs)
    func finishedInputIsComplete(source: String) {
        #expect(ScriptEngine.inputState(of: source) == .complete)
    }

    /// Real errors are complete too: more lines cannot fix them, so the REPL reports them at once.
    static let errorInputs: [String] = [
        "}",
        ")",
        "]",
        "1 +* 2",
        "1 2 +* 3",
        "if ($x) { 1 } }",
        "@{ a }",
        "function { }",
        "(1 + 2))",
        "$x = )",
        "foreach (x in $y) { }",
        "'a' 'b' +* 1",
    ]

    @Test(arguments: errorInputs)
    func brokenInputIsCompleteSoTheErrorIsShown(source: String) {
        #expect(ScriptEngine.inputState(of: source) == .complete)
        if case .success = Parser.check(source) {
            Issue.record("expected a syntax error for \(source.debugDescription)")
        }
    }

    /// (source, line, column) of the syntax error the parser reports.
    static let errorPositions: [(String, Int, Int)] = [
        ("1 +* 2", 1, 4),
        ("$x = 1\n$y = 1 +* 2", 2, 9),
        ("}", 1, 1),
        ("'ok'\n\n  )", 3, 3),
        ("$x = 1\nif ($x) {\n  'a'\n", 2, 9),
        ("'line 1'\n$s = 'never closed\nmore\n", 2, 6),
        ("\"x\"\n$t = \"never closed", 2, 6),
    ]

    @Test(arguments: errorPositions)
    func syntaxErrorsNameLineAndColumn(source: String, line: Int, column: Int) {
        guard case .failure(let e) = Parser.check(source, name: "s.ps1") else {
            Issue.record("expected a syntax error for \(source.debugDescription)")
            return
        }
        #expect(e.location.line == line, "\(e)")
        #expect(e.location.column == column, "\(e)")
        #expect(e.location.file.name == "s.ps1")
        #expect(!e.message.isEmpty)
    }

    /// The messages of common syntax errors say what is missing.
    static let errorMessages: [(String, String)] = [
        ("if ($x) {", "Missing closing '}'"),
        ("$x = 'abc", "string is missing the terminator"),
        ("$x = \"abc", "string is missing the terminator"),
        ("try { 1 }", "Catch or Finally"),
    ]

    @Test(arguments: errorMessages)
    func syntaxErrorMessagesSayWhatIsWrong(source: String, phrase: String) {
        guard case .failure(let e) = Parser.check(source) else {
            Issue.record("expected a syntax error for \(source.debugDescription)")
            return
        }
        #expect(e.message.localizedCaseInsensitiveContains(phrase), "\(e.message)")
    }

    @Test func parsingIsRepeatable() throws {
        let source = "function f($a) { $a * 2 }\n1..3 | ForEach-Object { f $_ }\n"
        for _ in 0..<3 {
            #expect(throws: Never.self) { try Parser.parseScript(SourceFile(name: "r.ps1", text: source)) }
        }
    }
}
