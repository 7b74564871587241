import Testing
@testable import KrScript

@Suite("DotNetRegex replace and split, PowerShell operators")
struct DotNetRegexReplaceSplitTests {
    /// (input, pattern, replacement, expected) for Regex.Replace.
    static let replacements: [(String, String, String, String)] = [
        ("John Smith", #"(\w+) (\w+)"#, "$2, $1", "Smith, John"),
        ("2024-05-06", #"(?<y>\d+)-(?<m>\d+)-(?<d>\d+)"#, "${d}/${m}/${y}", "06/05/2024"),
        ("a  b   c", #"\s+"#, " ", "a b c"),
        ("abc", "b", "[$&]", "a[b]c"),
        ("abc", "b", "[$0]", "a[b]c"),
        ("abc", "b", "$$", "a$c"),
        ("abc", "b", "[$`]", "a[a]c"),
        ("abc", "b", "[$']", "a[c]c"),
        ("abc", "b", "[$_]", "a[abc]c"),
        ("abc", "(a)(b)", "$+", "bc"),
        ("abc", "b", "$", "a$c"),
        ("abc", "b", "$x", "a$xc"),
        ("abc", "(b)", "$2", "a$2c"),            // no group 2: literal
        ("abc", "(b)", "$12", "a$12c"),          // no group 12: literal, not $1 then "2"
        ("abc", "(b)", "${1}2", "ab2c"),
        ("abc", "(b)", "${nope}", "a${nope}c"),
        ("abc", "(?<x>b)", "${x}${x}", "abbc"),
        ("abc", "(?<x>b)", "$1", "abc"),         // a named group also has a number
        ("abc", "(b)", #"\1"#, #"a\1c"#),        // backslash is not special in replacements
        ("hello world", "o", "0", "hell0 w0rld"),
        ("aaa", "a*", "-", "--"),
        ("", "^$", "x", "x"),
        ("1234567", #"(?<=\d)(?=(\d{3})+$)"#, ",", "1,234,567"),
        ("Hello World", #"(?<first>\w+) (?<second>\w+)"#, "${second} ${first}", "World Hello"),
        ("path=${HOME}/x", #"\$\{(\w+)\}"#, "<$1>", "path=<HOME>/x"),
        ("line1\nline2\n", "(?m)^", "> ", "> line1\n> line2\n> "),
    ]

    @Test(arguments: replacements)
    func replace(_ input: String, _ pattern: String, _ replacement: String, _ expected: String) throws {
        #expect(try DotNetRegex(pattern: pattern).replace(in: input, replacement: replacement) == expected)
    }

    @Test func replaceCount() throws {
        let regex = try DotNetRegex(pattern: "a")
        #expect(regex.replace(in: "aaa", replacement: "b", count: 2) == "bba")
        #expect(regex.replace(in: "aaa", replacement: "b", count: 0) == "aaa")
    }

    @Test func replaceWithEvaluator() throws {
        let regex = try DotNetRegex(pattern: #"\d+"#)
        let doubled = regex.replace(in: "a1b22") { String(Int($0.value)! * 2) }
        #expect(doubled == "a2b44")
    }

    /// (input, pattern, maxCount, expected) for Regex.Split.
    static let splits: [(String, String, Int, [String])] = [
        ("a,b,c", ",", 0, ["a", "b", "c"]),
        ("a1b2c", #"(\d)"#, 0, ["a", "1", "b", "2", "c"]),
        ("a-b_c", #"(-)|(_)"#, 0, ["a", "-", "b", "_", "c"]),
        ("k=v=w", "=", 2, ["k", "v=w"]),
        ("a,b,c", ",", 1, ["a,b,c"]),
        ("abc", "x", 0, ["abc"]),
        (",a,", ",", 0, ["", "a", ""]),
        ("", ",", 0, [""]),
        ("abc", "", 0, ["", "a", "b", "c", ""]),
    ]

    @Test(arguments: splits)
    func split(_ input: String, _ pattern: String, _ maxCount: Int, _ expected: [String]) throws {
        #expect(try DotNetRegex(pattern: pattern).split(input, maxCount: maxCount) == expected)
    }

    // MARK: - PowerShell operators

    static let psSplits: [(String, String, Int, Bool, [String])] = [
        ("a,b,c", ",", 0, false, ["a", "b", "c"]),
        ("a1b22c", #"\d+"#, 0, false, ["a", "b", "c"]),
        ("a,b,c,d", ",", 2, false, ["a", "b,c,d"]),
        ("a,b,c,d", ",", -2, false, ["a,b,c", "d"]),
        ("a,b,c,d", ",", -1, false, ["a,b,c,d"]),
        ("a1b2c", #"(\d)"#, 0, false, ["a", "1", "b", "2", "c"]),
        ("aXbxc", "x", 0, false, ["a", "b", "c"]),
        ("aXbxc", "x", 0, true, ["aXb", "c"]),
    ]

    @Test(arguments: psSplits)
    func powerShellSplit(_ input: String, _ pattern: String, _ max: Int, _ caseSensitive: Bool, _ expected: [String]) throws {
        #expect(try PowerShellRegexOps.split(input, pattern: pattern, maxSubstrings: max, caseSensitive: caseSensitive) == expected)
    }

    @Test func splitSimpleMatch() throws {
        #expect(try PowerShellRegexOps.split("a.b.c", pattern: ".", simpleMatch: true) == ["a", "b", "c"])
    }

    static let unarySplits: [(String, [String])] = [
        ("  red   yellow blue ", ["red", "yellow", "blue"]),
        ("a\tb\nc", ["a", "b", "c"]),
        ("one", ["one"]),
        ("   ", [""]),
    ]

    @Test(arguments: unarySplits)
    func unarySplit(_ input: String, _ expected: [String]) {
        #expect(PowerShellRegexOps.unarySplit(input) == expected)
    }

    static let psReplaces: [(String, String, String, Bool, String)] = [
        ("hello world", "o", "0", false, "hell0 w0rld"),
        ("Hello", "h", "J", false, "Jello"),
        ("Hello", "h", "J", true, "Hello"),
        ("a-b-c", "-", "", false, "abc"),
        ("John Smith", #"(\w+) (\w+)"#, "$2, $1", false, "Smith, John"),
    ]

    @Test(arguments: psReplaces)
    func powerShellReplace(_ input: String, _ pattern: String, _ replacement: String, _ caseSensitive: Bool, _ expected: String) throws {
        #expect(try PowerShellRegexOps.replace(input, pattern: pattern, replacement: replacement, caseSensitive: caseSensitive) == expected)
    }

    @Test func powerShellMatchIsCaseInsensitiveByDefault() throws {
        #expect(try PowerShellRegexOps.match("ABC", pattern: "abc") != nil)
        #expect(try PowerShellRegexOps.match("ABC", pattern: "abc", caseSensitive: true) == nil)
        #expect(try PowerShellRegexOps.match("abc", pattern: #"\d"#) == nil)
    }
}
