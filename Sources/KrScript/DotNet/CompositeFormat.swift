// .NET composite formatting (String.Format / PowerShell -f): `{index[,alignment][:formatString]}`
// with `{{` / `}}` escapes, following the parser of .NET 8's StringBuilder.AppendFormat.

enum CompositeFormat {
    private static let indexLimit = 1_000_000
    private static let widthLimit = 1_000_000

    /// Expands `format`; `render(index, spec)` produces the text of argument `index` with the
    /// item's format string (nil when the item has none). Errors mirror .NET's FormatException.
    static func format(_ format: String, argumentCount: Int,
                       render: (_ index: Int, _ formatSpec: String?) throws -> String) throws -> String {
        let chars = Array(format.utf16)
        var result: [UInt16] = []
        var pos = 0
        let open = UInt16(dnAscii: "{"), close = UInt16(dnAscii: "}")
        let space = UInt16(dnAscii: " "), comma = UInt16(dnAscii: ","), colon = UInt16(dnAscii: ":")
        let minus = UInt16(dnAscii: "-")
        let badFormat = DotNetFormatError.invalidCompositeFormat(DotNetFormatError.inputStringNotCorrect)

        func digit(_ c: UInt16?) -> Int? {
            guard let c, c >= UInt16(dnAscii: "0"), c <= UInt16(dnAscii: "9") else { return nil }
            return Int(c - UInt16(dnAscii: "0"))
        }
        /// The next character of the hole; running off the end is a format error.
        func moveNext() throws -> UInt16 {
            pos += 1
            guard pos < chars.count else { throw badFormat }
            return chars[pos]
        }

        while pos < chars.count {
            let ch = chars[pos]
            if ch == close {
                guard pos + 1 < chars.count, chars[pos + 1] == close else { throw badFormat }
                result.append(close)
                pos += 2
                continue
            }
            if ch != open {
                result.append(ch)
                pos += 1
                continue
            }
            if pos + 1 < chars.count && chars[pos + 1] == open {
                result.append(open)
                pos += 2
                continue
            }

            // A format item: index.
            var c = try moveNext()
            guard var index = digit(c) else { throw badFormat }
            var width = 0
            var leftJustify = false
            var itemFormat: String?
            c = try moveNext()
            if c != close {
                while let d = digit(c), index < indexLimit {
                    index = index * 10 + d
                    c = try moveNext()
                }
                while c == space { c = try moveNext() }
                // Optional alignment.
                if c == comma {
                    repeat { c = try moveNext() } while c == space
                    if c == minus {
                        leftJustify = true
                        c = try moveNext()
                    }
                    guard let first = digit(c) else { throw badFormat }
                    width = first
                    c = try moveNext()
                    while let d = digit(c), width < widthLimit {
                        width = width * 10 + d
                        c = try moveNext()
                    }
                    while c == space { c = try moveNext() }
                }
                // Optional format string, up to the closing brace (no braces inside).
                if c != close {
                    guard c == colon else { throw badFormat }
                    let start = pos + 1
                    while true {
                        c = try moveNext()
                        if c == close { break }
                        if c == open { throw badFormat }
                    }
                    if pos > start {
                        itemFormat = String(decoding: chars[start..<pos], as: UTF16.self)
                    }
                }
            }
            pos += 1  // past the closing brace

            guard index < argumentCount else {
                throw DotNetFormatError.invalidCompositeFormat(DotNetFormatError.indexOutOfRange)
            }
            let text = Array(try render(index, itemFormat).utf16)
            let padding = width - text.count
            if !leftJustify && padding > 0 { result += repeatElement(space, count: padding) }
            result += text
            if leftJustify && padding > 0 { result += repeatElement(space, count: padding) }
        }
        return String(decoding: result, as: UTF16.self)
    }
}
