extension DotNetRegex {
    /// `[regex]::Escape`: `\ * + ? | { [ ( ) ^ $ . #` and white space (`\t \n \f \r` and space) get a
    /// backslash; `]` and `}` do not, as in .NET.
    static func escape(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\", "*", "+", "?", "|", "{", "[", "(", ")", "^", "$", ".", "#", " ":
                result.unicodeScalars.append("\\"); result.unicodeScalars.append(scalar)
            case "\t": result += "\\t"
            case "\n": result += "\\n"
            case "\u{0C}": result += "\\f"
            case "\r": result += "\\r"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// `[regex]::Unescape`: turns the escapes a pattern may contain (`\n`, `\t`, `\x41`, `\u0041`,
    /// octal, `\cX`, `\.`) back into characters. An escape .NET does not know throws as in .NET.
    static func unescape(_ text: String) throws -> String {
        guard text.contains("\\") else { return text }
        var scanner = DotNetPatternTranslator(pattern: text, options: [])
        return try scanner.unescapeAll()
    }
}

extension DotNetPatternTranslator {
    mutating func unescapeAll() throws -> String {
        var units: [UInt16] = []
        while pos < src.count {
            let ch = src[pos]
            pos += 1
            if ch == 0x5C {
                units.append(try scanCharEscape(inClass: true))
            } else {
                units.append(ch)
            }
        }
        return String(decoding: units, as: UTF16.self)
    }
}
