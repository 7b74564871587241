import Foundation
import Testing
@testable import KrScript

@Suite("DotNetRegex matching and groups")
struct DotNetRegexTests {
    @Test func matchGroupsByNumber() throws {
        let match = try #require(try DotNetRegex(pattern: #"(\w+)=(\w+)"#).firstMatch(in: "key=value"))
        #expect(match.success)
        #expect(match.value == "key=value")
        #expect(match.groups.map(\.value) == ["key=value", "key", "value"])
        #expect(match.group(number: 2)?.value == "value")
    }

    /// .NET numbers unnamed groups first, then named ones: `(?<y>a)(b)(?<z>c)(d)` is 0, 1=b, 2=d, 3=y, 4=z.
    @Test func dotNetGroupNumbering() throws {
        let regex = try DotNetRegex(pattern: "(?<y>a)(b)(?<z>c)(d)")
        #expect(regex.groupNames == ["0", "1", "2", "y", "z"])
        #expect(regex.groupNumbers == [0, 1, 2, 3, 4])
        let match = try #require(regex.firstMatch(in: "abcd"))
        #expect(match.groups.map(\.value) == ["abcd", "b", "d", "a", "c"])
        #expect(match.groups.map(\.number) == [0, 1, 2, 3, 4])
        #expect(match.group(named: "y")?.value == "a")
        #expect(match.group(named: "z")?.index == 2)
        #expect(match.group(named: "2")?.value == "d")
    }

    @Test func explicitNumberedGroupAndNameAfterIt() throws {
        // (?<2>...) takes number 2; the name then takes the next free number.
        let regex = try DotNetRegex(pattern: "(?<n>x)(a)(?<2>b)")
        #expect(regex.groupNames == ["0", "1", "2", "n"])
        let match = try #require(regex.firstMatch(in: "xab"))
        #expect(match.groups.map(\.value) == ["xab", "a", "b", "x"])
    }

    @Test func matchesStyleTable() throws {
        // `'2024-05-06' -match '(?<year>\d{4})-(?<month>\d{2})'` then $Matches.year, $Matches['month']
        let match = try #require(try PowerShellRegexOps.match("2024-05-06", pattern: #"(?<year>\d{4})-(?<month>\d{2})"#))
        #expect(match.successfulGroups.map(\.name) == ["0", "year", "month"])
        #expect(match.group(named: "year")?.value == "2024")
        #expect(match.group(named: "month")?.value == "05")
        let user = try #require(try PowerShellRegexOps.match("user-42", pattern: #"user-(\d+)"#))
        #expect(user.group(number: 1)?.value == "42")
        #expect(user.value == "user-42")
    }

    @Test func unmatchedGroupIsEmptyAndUnsuccessful() throws {
        let match = try #require(try DotNetRegex(pattern: "(a)|(b)").firstMatch(in: "b"))
        #expect(match.groups[1] == DotNetGroup(name: "1", number: 1, success: false, value: "", index: 0, length: 0))
        #expect(match.groups[2].success && match.groups[2].value == "b")
        #expect(match.successfulGroups.map(\.number) == [0, 2])
    }

    @Test func matchesStatic() throws {
        let all = try DotNetRegex(pattern: #"\d+"#).matches(in: "a1b22c333")
        #expect(all.map(\.value) == ["1", "22", "333"])
        #expect(all.map(\.index) == [1, 3, 6])
    }

    static let isMatchCases: [(String, String, DotNetRegexOptions, Bool)] = [
        ("ABC", "abc", [], false),
        ("ABC", "abc", .ignoreCase, true),
        ("ab\n", "b$", [], true),               // $ matches before a final \n
        ("ab\r\n", "b$", [], false),            // ... but \r is not a line end in .NET
        ("a\nb", "^b", [], false),
        ("a\nb", "^b", .multiline, true),
        ("a\nb", "a$", .multiline, true),
        ("a\nb", "a.b", [], false),
        ("a\nb", "a.b", .singleline, true),
        ("a\rb", "a.b", [], true),              // only \n is excluded from `.`
        ("ab\n", #"b\Z"#, [], true),
        ("ab\n", #"b\z"#, [], false),
        ("a b", "a b", .ignorePatternWhitespace, false),
        ("ab", "a b # comment", .ignorePatternWhitespace, true),
        ("a b", #"a\ b"#, .ignorePatternWhitespace, true),
        ("a b", "a[ ]b", .ignorePatternWhitespace, true),
        ("ABC", "(?i)abc", [], true),
        ("ABC", "(?i:a)BC", [], true),
        ("ABC", "a(?-i)BC", .ignoreCase, true),
        ("AbC", "a(?-i:B)C", .ignoreCase, false),
        ("hello", "[a-z-[aeiou]]{2}", [], true),
        ("ee", "^[a-z-[aeiou]]+$", [], false),
        ("[", "[[]", [], true),
        ("a-b", "a[+--]b", [], true),            // a range from + to -
        ("]", "[]a]", [], true),
        ("^", "[\\^]", [], true),
        ("&", "[&&]", [], true),
        ("a{b", "a{b", [], true),
        ("a{,2}", "a{,2}", [], true),
        ("x}", "x}", [], true),
        ("aa", "a{2}", [], true),
        ("aaa", "^a{2,}$", [], true),
        ("abab", #"(ab)\1"#, [], true),
        ("abab", #"(?<p>ab)\k<p>"#, [], true),
        ("abab", #"(?'p'ab)\k'p'"#, [], true),
        ("xx", #"(?<n>x)(y)?\k<n>"#, [], true),
        ("\u{0A}", #"\012"#, [], true),          // no group 12: octal
        ("\u{07}\u{1B}\u{0B}", #"\a\e\v"#, [], true),
        ("A", #"\x41"#, [], true),
        ("A", #"\u0041"#, [], true),
        ("\u{03}", #"\cC"#, [], true),
        ("é", #"\p{Ll}"#, [], true),
        ("α", #"\p{IsGreek}"#, [], true),
        ("a", #"\P{L}"#, [], false),
        ("", "", [], true),
        ("abc", "a(?#comment)b", [], true),
        ("ab", "(?x) a b", [], true),
        ("ab", "(a)(?n)(b)", [], true),
        ("aab", "(?<=a.*)b", [], true),          // unbounded look-behind, bounded for ICU
        ("😀", "^.$", [], true),
        ("😀x", "^[😀]x", [], true),
    ]

    @Test(arguments: isMatchCases)
    func isMatch(_ input: String, _ pattern: String, _ options: DotNetRegexOptions, _ expected: Bool) throws {
        #expect(try DotNetRegex(pattern: pattern, options: options).isMatch(input) == expected)
    }

    @Test func explicitCaptureOption() throws {
        let regex = try DotNetRegex(pattern: "(a)(?<n>b)", options: .explicitCapture)
        #expect(regex.groupNames == ["0", "n"])
        #expect(regex.firstMatch(in: "ab")?.groups.map(\.value) == ["ab", "b"])
        #expect(try DotNetRegex(pattern: "(a)(?n:(b))(c)").groupNames == ["0", "1", "2"])
    }

    @Test func firstMatchFrom() throws {
        let regex = try DotNetRegex(pattern: #"\d"#)
        #expect(regex.firstMatch(in: "1a2", from: 1)?.index == 2)
        #expect(regex.firstMatch(in: "1a2", from: 3) == nil)
        #expect(try DotNetRegex(pattern: "^a").firstMatch(in: "aa", from: 1) == nil)
        #expect(try DotNetRegex(pattern: #"\Ga"#).firstMatch(in: "ba", from: 1)?.index == 1)
        #expect(try DotNetRegex(pattern: "(?<=b)a").firstMatch(in: "ba", from: 1)?.index == 1)
    }

    @Test func utf16IndexesLikeDotNet() throws {
        let match = try #require(try DotNetRegex(pattern: "b+").firstMatch(in: "😀abbc"))
        #expect(match.index == 3)
        #expect(match.length == 2)
    }

    @Test func emptyMatchesAdvance() throws {
        #expect(try DotNetRegex(pattern: "x*").matches(in: "axb").map(\.index) == [0, 1, 2, 3])
        #expect(try DotNetRegex(pattern: "").matches(in: "ab").count == 3)
    }

    @Test func duplicateNamesShareOneGroup() throws {
        let regex = try DotNetRegex(pattern: "(?<v>a)|(?<v>b)")
        #expect(regex.groupNames == ["0", "v"])
        #expect(regex.firstMatch(in: "b")?.group(named: "v")?.value == "b")
    }

    @Test func escapeAndUnescape() throws {
        #expect(DotNetRegex.escape("a.b*c") == #"a\.b\*c"#)
        #expect(DotNetRegex.escape("1+1=2") == #"1\+1=2"#)
        #expect(DotNetRegex.escape("a b\t#]}") == ##"a\ b\t\#]}"##)
        #expect(DotNetRegex.escape(#"(x)[y]{z}|^$?\"#) == #"\(x\)\[y]\{z}\|\^\$\?\\"#)
        #expect(try DotNetRegex(pattern: DotNetRegex.escape("1+1")).isMatch("1+1=2"))
        #expect(try DotNetRegex.unescape(#"a\.b\*c\n\x41\u0042"#) == "a.b*c\nAB")
    }

    @Test func optionsParse() throws {
        #expect(try DotNetRegexOptions.parse("IgnoreCase") == .ignoreCase)
        #expect(try DotNetRegexOptions.parse("ignorecase, Multiline") == [.ignoreCase, .multiline])
        #expect(try DotNetRegexOptions.parse("Singleline,ExplicitCapture") == [.singleline, .explicitCapture])
        #expect(try DotNetRegexOptions.parse("None") == [])
        #expect(try DotNetRegexOptions.parse("3") == [.ignoreCase, .multiline])
        #expect(throws: DotNetRegexError.self) { try DotNetRegexOptions.parse("Bogus") }
        #expect(throws: DotNetRegexError.self) { try DotNetRegexOptions.parse("RightToLeft") }
    }

    @Test func cacheReusesAndBounds() throws {
        let cache = DotNetRegexCache(capacity: 2)
        let first = try cache.regex(pattern: "a", options: [])
        #expect(try cache.regex(pattern: "a", options: []) === first)
        #expect(try cache.regex(pattern: "a", options: .ignoreCase) !== first)
        _ = try cache.regex(pattern: "b", options: [])
        #expect(cache.count == 2)
        #expect(throws: DotNetRegexError.self) { try cache.regex(pattern: "(", options: []) }
        #expect(cache.count == 2)
    }

    @Test func concurrentUseOfCachedRegexes() {
        let wrong = LockedCounter()
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            for item in 0..<500 {
                let match = try? PowerShellRegexOps.match("k\(worker)=\(item)", pattern: #"(\w+)=(\d+)"#)
                if match?.group(number: 2)?.value != String(item) { wrong.increment() }
            }
        }
        #expect(wrong.value == 0)
    }
}

private final class LockedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
