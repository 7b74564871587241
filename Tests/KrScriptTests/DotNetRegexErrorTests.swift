import Testing
@testable import KrScript

@Suite("DotNetRegex pattern errors")
struct DotNetRegexErrorTests {
    /// Messages as .NET 8's RegexParseException gives them.
    static let invalidPatterns: [(String, String)] = [
        ("x(", "Invalid pattern 'x(' at offset 2. Not enough )'s."),
        ("a)", "Invalid pattern 'a)' at offset 2. Too many )'s."),
        ("[a", "Invalid pattern '[a' at offset 2. Unterminated [] set."),
        ("*a", "Invalid pattern '*a' at offset 1. Quantifier '*' following nothing."),
        ("a**", "Invalid pattern 'a**' at offset 3. Nested quantifier '*'."),
        ("a\\", "Invalid pattern 'a\\' at offset 2. Illegal \\ at end of pattern."),
        (#"\q"#, #"Invalid pattern '\q' at offset 2. Unrecognized escape sequence \q."#),
        (#"(a)\2"#, #"Invalid pattern '(a)\2' at offset 5. Reference to undefined group number 2."#),
        (#"\k<x>"#, #"Invalid pattern '\k<x>' at offset 5. Reference to undefined group name 'x'."#),
        ("[z-a]", "Invalid pattern '[z-a]' at offset 4. [x-y] range in reverse order."),
        ("a{3,2}", "Invalid pattern 'a{3,2}' at offset 6. Illegal {x,y} with x > y."),
        (#"\x4"#, #"Invalid pattern '\x4' at offset 3. Insufficient hexadecimal digits."#),
        (#"\p{Foo}"#, #"Invalid pattern '\p{Foo}' at offset 7. Unknown property 'Foo'."#),
    ]

    @Test(arguments: invalidPatterns)
    func dotNetMessage(_ pattern: String, _ message: String) {
        let error = #expect(throws: DotNetRegexError.self) { try DotNetRegex(pattern: pattern) }
        #expect(error?.message == message)
    }

    @Test func badGroupName() {
        let error = #expect(throws: DotNetRegexError.self) { try DotNetRegex(pattern: "(?<>a)") }
        #expect(error?.message.hasPrefix("Invalid pattern '(?<>a)' at offset ") == true)
        #expect(error?.message.hasSuffix("Invalid group name: Group names must begin with a word character.") == true)
    }

    /// .NET constructs ICU cannot run are refused with a clear message instead of matching wrongly.
    @Test(arguments: ["(?<a-b>x)", "(?(x)a|b)", "(?<-a>x)"])
    func unsupportedConstructs(_ pattern: String) {
        #expect(throws: DotNetRegexError.self) { try DotNetRegex(pattern: pattern) }
    }
}
