import Testing
@testable import KrScript

@Suite("WildcardPattern (-like)")
struct WildcardPatternTests {
    /// (input, pattern, caseSensitive, expected)
    static let cases: [(String, String, Bool, Bool)] = [
        ("report.txt", "*.txt", false, true),
        ("Report.TXT", "*.txt", false, true),
        ("report.txt", "*.TXT", true, false),
        ("abc", "a?c", false, true),
        ("ac", "a?c", false, false),
        ("abc", "[ab]bc", false, true),
        ("cbc", "[ab]bc", false, false),
        ("Abc", "[ab]bc", false, true),
        ("Abc", "[ab]bc", true, false),
        ("abc", "A*", true, false),
        ("abc", "A*", false, true),
        ("file.json", "*.txt", false, false),
        ("m", "[a-z]", false, true),
        ("M", "[a-z]", false, true),
        ("M", "[a-z]", true, false),
        ("-", "[a-]", false, true),
        ("]", "[]]", false, true),
        ("*", "`*", false, true),
        ("a", "`*", false, false),
        ("a*b", "a`*b", false, true),
        ("a?", "a`?", false, true),
        ("[x]", "`[x`]", false, true),
        ("a`", "a`", false, true),
        ("", "*", false, true),
        ("", "", false, true),
        ("a", "", false, false),
        ("", "`", false, true),
        ("abc", "abc", false, true),
        ("ABC", "abc", false, true),
        ("abc", "ab", false, false),
        ("abcabcabd", "*abd", false, true),
        ("aaaaaaaaaaab", "*a*a*a*b", false, true),
        ("aaaaaaaaaaaa", "*a*a*a*b", false, false),
        ("mississippi", "m*iss*ppi", false, true),
        ("mississippi", "m*iss*x", false, false),
        ("ÉCOLE", "école", false, true),
        ("x.1", "x.[0-9]", false, true),
        ("x.a", "x.[0-9]", false, false),
        ("a.b", "a.b", false, true),
        ("axb", "a.b", false, false),
        ("a^b", "a[\\^]b", false, true),
        ("a\\b", "a[\\^]b", false, true),
    ]

    @Test(arguments: cases)
    func like(_ input: String, _ pattern: String, _ caseSensitive: Bool, _ expected: Bool) {
        #expect(WildcardPattern(pattern, caseSensitive: caseSensitive).matches(input) == expected)
    }

    @Test(arguments: ["[a", "a[bc", "[z-a]", "[]"])
    func invalidPatternsThrowLikePowerShell(_ pattern: String) {
        let error = #expect(throws: WildcardPatternError.self) { try WildcardPattern(validating: pattern) }
        #expect(error?.message == "The specified wildcard character pattern is not valid: \(pattern)")
        #expect(WildcardPattern(pattern).matches("a") == false)
    }

    static let wildcardDetection: [(String, Bool)] = [
        ("*.txt", true), ("a?c", true), ("[ab]", true), ("a]", true),
        ("plain", false), ("a`*", false), ("", false), ("`[x`]", false),
    ]

    @Test(arguments: wildcardDetection)
    func containsWildcard(_ pattern: String, _ expected: Bool) {
        #expect(WildcardPattern.containsWildcard(pattern) == expected)
    }

    @Test func escapeRoundTrips() {
        let literal = "a*b?[c]`d"
        #expect(WildcardPattern.escape(literal) == "a`*b`?`[c`]``d")
        #expect(WildcardPattern(WildcardPattern.escape(literal)).matches(literal))
    }

    @Test func longInputIsLinearEnough() {
        let input = String(repeating: "a", count: 20_000) + "b"
        #expect(WildcardPattern("*a*a*a*a*b").matches(input))
        #expect(!WildcardPattern("*a*a*a*a*c").matches(input))
    }
}
