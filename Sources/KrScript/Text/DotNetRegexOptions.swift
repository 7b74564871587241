import Foundation

/// System.Text.RegularExpressions.RegexOptions: the subset krsh supports, with .NET's bit values
/// so that `[regex]::new('x', 3)` and `'IgnoreCase, Multiline'` mean the same thing.
struct DotNetRegexOptions: OptionSet, Hashable, Sendable {
    let rawValue: Int

    static let ignoreCase = DotNetRegexOptions(rawValue: 1)
    static let multiline = DotNetRegexOptions(rawValue: 2)
    static let explicitCapture = DotNetRegexOptions(rawValue: 4)
    static let singleline = DotNetRegexOptions(rawValue: 16)
    static let ignorePatternWhitespace = DotNetRegexOptions(rawValue: 32)
    static let cultureInvariant = DotNetRegexOptions(rawValue: 512)

    /// Names PowerShell accepts for RegexOptions, in the enum's declaration order (used in the error text).
    private static let enumNames = [
        "None", "IgnoreCase", "Multiline", "ExplicitCapture", "Compiled", "Singleline",
        "IgnorePatternWhitespace", "RightToLeft", "ECMAScript", "CultureInvariant", "NonBacktracking",
    ]

    /// Parses `'IgnoreCase'`, `'IgnoreCase, Multiline'` or a number, as PowerShell converts a string to
    /// RegexOptions. `Compiled` and `None` are accepted and change nothing; the options krsh cannot honour
    /// (RightToLeft, ECMAScript, NonBacktracking) are rejected rather than silently ignored.
    static func parse(_ text: String) throws -> DotNetRegexOptions {
        var result: DotNetRegexOptions = []
        for rawName in text.split(separator: ",") {
            let name = rawName.trimmingCharacters(in: .whitespaces)
            if let number = Int(name) {
                let supported = DotNetRegexOptions.all.rawValue | 8
                guard number >= 0, number & ~supported == 0 else { throw unsupported(text, name) }
                result.formUnion(DotNetRegexOptions(rawValue: number & ~8))
                continue
            }
            switch name.lowercased() {
            case "none", "compiled": break
            case "ignorecase": result.insert(.ignoreCase)
            case "multiline": result.insert(.multiline)
            case "explicitcapture": result.insert(.explicitCapture)
            case "singleline": result.insert(.singleline)
            case "ignorepatternwhitespace": result.insert(.ignorePatternWhitespace)
            case "cultureinvariant": result.insert(.cultureInvariant)
            case "righttoleft", "ecmascript", "nonbacktracking": throw unsupported(text, name)
            default:
                throw DotNetRegexError(message: "Cannot convert value \"\(text)\" to type "
                    + "\"System.Text.RegularExpressions.RegexOptions\". Error: \"Unable to match the identifier "
                    + "name \(name) to a valid enumerator name. Specify one of the following enumerator names "
                    + "and try again:\n\(enumNames.joined(separator: ", "))\"")
            }
        }
        return result
    }

    private static let all: DotNetRegexOptions = [
        .ignoreCase, .multiline, .explicitCapture, .singleline, .ignorePatternWhitespace, .cultureInvariant,
    ]

    private static func unsupported(_ text: String, _ name: String) -> DotNetRegexError {
        DotNetRegexError(message: "Cannot convert value \"\(text)\" to type "
            + "\"System.Text.RegularExpressions.RegexOptions\". Error: \"The regex option \(name) is not supported by krsh.\"")
    }
}

/// A pattern .NET would reject (message as .NET 8's RegexParseException) or that krsh cannot run.
struct DotNetRegexError: Error, Equatable, CustomStringConvertible, Sendable {
    let message: String
    /// UTF-16 offset into the pattern where the problem was found, when there is one.
    let offset: Int?

    init(message: String, offset: Int? = nil) {
        self.message = message
        self.offset = offset
    }

    /// `Invalid pattern 'x(' at offset 2. Not enough )'s.`
    static func invalidPattern(_ pattern: String, offset: Int, _ reason: String) -> DotNetRegexError {
        DotNetRegexError(message: "Invalid pattern '\(pattern)' at offset \(offset). \(reason)", offset: offset)
    }

    var description: String { message }
}
