/// Reading JSON as ConvertFrom-Json does (Newtonsoft's JsonTextReader under JsonConvert.DeserializeObject).
extension JSONText {
    /// Strict JSON plus what Newtonsoft accepts: surrounding white space, `//` and `/* */` comments,
    /// single-quoted strings, unquoted property names, trailing commas, an empty array slot or missing
    /// value as null (`[1,,2]`), `NaN`, `Infinity`, `-Infinity`, `undefined`, and hex (`0x1F`) or octal
    /// (`017`) integers. Blank text gives `.null` (DeserializeObject returns null for it).
    ///
    /// Integers that fit Int64 are `.int`, bigger ones `.bigInt`, fractions and exponents `.double`.
    /// A repeated key keeps the last value, moved to the end (Newtonsoft's JTokenWriter removes the old
    /// property); ConvertFrom-Json's own error for keys differing only in case belongs to the layer that
    /// builds PSObjects.
    static func parse(_ text: String, maxDepth: Int = 1024) throws(JSONTextError) -> JSONNode {
        var parser = JSONTextParser(text: text, maxDepth: maxDepth)
        return try parser.parseDocument()
    }
}

private struct JSONTextParser {
    enum Frame { case object(String?), array(Int) }

    let chars: [UInt16]
    let maxDepth: Int
    var pos = 0
    var line = 1
    var lineStart = 0
    var frames: [Frame] = []
    var startedReading = false

    init(text: String, maxDepth: Int) {
        chars = Array(text.utf16)
        self.maxDepth = maxDepth
    }

    mutating func parseDocument() throws(JSONTextError) -> JSONNode {
        try skipTrivia()
        guard pos < chars.count else { return .null }
        let value = try parseValue()
        try skipTrivia()
        if pos < chars.count {
            throw error("Additional text encountered after finished reading JSON content: \(character(at: pos)).")
        }
        return value
    }

    // MARK: - Values

    mutating func parseValue() throws(JSONTextError) -> JSONNode {
        guard pos < chars.count else { throw unexpectedEnd() }
        let ch = chars[pos]
        switch ch {
        case 0x7B: return try parseObject()
        case 0x5B: return try parseArray()
        case 0x22, 0x27: startedReading = true; return .string(try parseString(quote: ch))
        case 0x74: try keyword("true", "Error parsing boolean value."); return .bool(true)
        case 0x66: try keyword("false", "Error parsing boolean value."); return .bool(false)
        case 0x6E:
            guard pos + 1 < chars.count, chars[pos + 1] == 0x75 else { throw unexpectedCharacter() }
            try keyword("null", "Error parsing null value."); return .null
        case 0x75: try keyword("undefined", "Error parsing undefined value."); return .null
        case 0x4E: try keyword("NaN", "Cannot read NaN value."); return .double(.nan)
        case 0x49: try keyword("Infinity", "Cannot read Infinity value."); return .double(.infinity)
        case 0x2D where pos + 1 < chars.count && chars[pos + 1] == 0x49:
            try keyword("-Infinity", "Cannot read -Infinity value."); return .double(-.infinity)
        case 0x2D, 0x2E, 0x30...0x39: return try parseNumber()
        default: throw unexpectedCharacter()
        }
    }

    mutating func parseObject() throws(JSONTextError) -> JSONNode {
        try enter(.object(nil))
        var members: [(String, JSONNode)] = []
        while true {
            try skipTrivia()
            guard pos < chars.count else { throw unexpectedEnd() }
            if chars[pos] == 0x7D { pos += 1; break }
            let key = try parsePropertyName()
            frames[frames.count - 1] = .object(key)
            try skipTrivia()
            guard pos < chars.count else { throw unexpectedEnd() }
            guard chars[pos] == 0x3A else {
                throw error("Invalid character after parsing property name. Expected ':' but got: \(character(at: pos)).")
            }
            pos += 1
            try skipTrivia()
            guard pos < chars.count else { throw unexpectedEnd() }
            let value = chars[pos] == 0x2C ? JSONNode.null : try parseValue()
            members.removeAll { $0.0 == key }
            members.append((key, value))
            guard try endOfElement(closer: 0x7D) else { break }
        }
        frames.removeLast()
        return .object(members)
    }

    mutating func parseArray() throws(JSONTextError) -> JSONNode {
        try enter(.array(-1))
        var elements: [JSONNode] = []
        while true {
            try skipTrivia()
            guard pos < chars.count else { throw unexpectedEnd() }
            if chars[pos] == 0x5D { pos += 1; break }
            let isContainer = chars[pos] == 0x7B || chars[pos] == 0x5B
            // Newtonsoft counts an element when its first token is read: before a container, after a scalar.
            if isContainer { advanceIndex() }
            elements.append(chars[pos] == 0x2C ? .null : try parseValue())
            if !isContainer { advanceIndex() }
            guard try endOfElement(closer: 0x5D) else { break }
        }
        frames.removeLast()
        return .array(elements)
    }

    /// After a member or element: true when a `,` follows, false when the closer does.
    mutating func endOfElement(closer: UInt16) throws(JSONTextError) -> Bool {
        try skipTrivia()
        guard pos < chars.count else { throw unexpectedEnd() }
        switch chars[pos] {
        case 0x2C: pos += 1; return true
        case closer: pos += 1; return false
        default: throw error("After parsing a value an unexpected character was encountered: \(character(at: pos)).")
        }
    }

    mutating func enter(_ frame: Frame) throws(JSONTextError) {
        startedReading = true
        if frames.count >= maxDepth { throw error("The reader's MaxDepth of \(maxDepth) has been exceeded.") }
        pos += 1
        frames.append(frame)
    }

    mutating func advanceIndex() {
        if case .array(let index) = frames.last { frames[frames.count - 1] = .array(index + 1) }
    }

    mutating func parsePropertyName() throws(JSONTextError) -> String {
        let ch = chars[pos]
        if ch == 0x22 || ch == 0x27 { return try parseString(quote: ch) }
        guard Self.isIdentifierChar(ch) else {
            throw error("Invalid property identifier character: \(character(at: pos)).")
        }
        let start = pos
        while pos < chars.count, Self.isIdentifierChar(chars[pos]) { pos += 1 }
        guard pos < chars.count else { throw error("Unexpected end while parsing unquoted property name.") }
        guard chars[pos] == 0x3A || Self.isWhitespace(chars[pos]) else {
            throw error("Invalid JavaScript property identifier character: \(character(at: pos)).")
        }
        return String(decoding: chars[start..<pos], as: UTF16.self)
    }

    mutating func parseString(quote: UInt16) throws(JSONTextError) -> String {
        pos += 1
        var units: [UInt16] = []
        while pos < chars.count {
            let ch = chars[pos]
            pos += 1
            switch ch {
            case quote:
                return String(decoding: units, as: UTF16.self)
            case 0x5C:
                guard pos < chars.count else { break }
                let escape = chars[pos]
                pos += 1
                switch escape {
                case 0x62: units.append(0x08)
                case 0x74: units.append(0x09)
                case 0x6E: units.append(0x0A)
                case 0x66: units.append(0x0C)
                case 0x72: units.append(0x0D)
                case 0x5C, 0x22, 0x27, 0x2F: units.append(escape)
                case 0x75:
                    guard pos + 4 <= chars.count else { throw error("Unexpected end while parsing Unicode escape sequence.") }
                    let hex = String(decoding: chars[pos..<(pos + 4)], as: UTF16.self)
                    guard let value = UInt16(hex, radix: 16) else {
                        throw error("Invalid Unicode escape sequence: \\u\(hex).")
                    }
                    units.append(value)
                    pos += 4
                default:
                    throw error("Bad JSON escape sequence: \\\(character(at: pos - 1)).")
                }
            case 0x0A:
                units.append(ch); newLine(at: pos)
            case 0x0D:
                units.append(ch)
                if pos < chars.count, chars[pos] == 0x0A { units.append(0x0A); pos += 1 }
                newLine(at: pos)
            default:
                units.append(ch)
            }
        }
        throw error("Unterminated string. Expected delimiter: \(character(quote)).")
    }

    mutating func parseNumber() throws(JSONTextError) -> JSONNode {
        startedReading = true
        let start = pos
        while pos < chars.count, Self.isNumberChar(chars[pos]) { pos += 1 }
        if pos < chars.count, !Self.isAfterNumber(chars[pos]) {
            throw error("Unexpected character encountered while parsing number: \(character(at: pos)).")
        }
        let text = String(decoding: chars[start..<pos], as: UTF16.self)
        let body = Array(text.utf8)
        if body.count > 1, body[0] == UInt8(ascii: "0"), !".eE".utf8.contains(body[1]) {
            let isHex = body[1] == UInt8(ascii: "x") || body[1] == UInt8(ascii: "X")
            guard let value = isHex ? Int64(text.dropFirst(2), radix: 16) : Int64(text, radix: 8) else {
                throw error("Input string '\(text)' is not a valid number.")
            }
            return .int(value)
        }
        if let value = Int64(text) { return .int(value) }
        let digits = body.first == UInt8(ascii: "-") ? body.dropFirst() : body[...]
        if !digits.isEmpty, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) { return .bigInt(text) }
        guard Self.isDotNetFloat(body), let value = Double(text) else {
            throw error("Input string '\(text)' is not a valid number.")
        }
        return .double(value)
    }

    /// `true`, `null`, ... followed by a separator, white space or the end.
    mutating func keyword(_ word: String, _ failure: String) throws(JSONTextError) {
        startedReading = true
        for unit in word.utf16 {
            guard pos < chars.count, chars[pos] == unit else { throw error(failure) }
            pos += 1
        }
        if pos < chars.count, !Self.isAfterNumber(chars[pos]) { throw error(failure) }
    }

    // MARK: - Trivia

    mutating func skipTrivia() throws(JSONTextError) {
        while pos < chars.count {
            let ch = chars[pos]
            if ch == 0x0A {
                pos += 1; newLine(at: pos)
            } else if ch == 0x0D {
                pos += 1
                if pos < chars.count, chars[pos] == 0x0A { pos += 1 }
                newLine(at: pos)
            } else if Self.isWhitespace(ch) {
                pos += 1
            } else if ch == 0x2F {
                try skipComment()
            } else {
                return
            }
        }
    }

    mutating func skipComment() throws(JSONTextError) {
        guard pos + 1 < chars.count else { throw error("Unexpected end while parsing comment.") }
        let kind = chars[pos + 1]
        if kind == 0x2F {
            pos += 2
            while pos < chars.count, chars[pos] != 0x0A, chars[pos] != 0x0D { pos += 1 }
        } else if kind == 0x2A {
            pos += 2
            while pos + 1 < chars.count, !(chars[pos] == 0x2A && chars[pos + 1] == 0x2F) {
                if chars[pos] == 0x0A { newLine(at: pos + 1) }
                pos += 1
            }
            guard pos + 1 < chars.count else { pos = chars.count; throw error("Unexpected end while parsing comment.") }
            pos += 2
        } else {
            throw error("Error parsing comment. Expected: *, got \(character(kind)).")
        }
    }

    mutating func newLine(at index: Int) {
        line += 1
        lineStart = index
    }

    // MARK: - Errors

    func error(_ reason: String) -> JSONTextError {
        let position = pos - lineStart
        let quirkLine = !startedReading && frames.isEmpty && position == 0 ? 0 : line
        return JSONTextError(reason: reason, path: path(), line: quirkLine, position: position)
    }

    func unexpectedCharacter() -> JSONTextError {
        error("Unexpected character encountered while parsing value: \(character(at: pos)).")
    }

    func unexpectedEnd() -> JSONTextError {
        if case .array = frames.last { return error("Unexpected end when deserializing array.") }
        return error("Unexpected end when deserializing object.")
    }

    /// Newtonsoft's JSON path: `items[1].id`, `['odd key']`.
    func path() -> String {
        var result = ""
        for frame in frames {
            switch frame {
            case .array(let index) where index >= 0:
                result += "[\(index)]"
            case .object(let key?):
                if key.contains(where: { " .'/\"[]()\t\n\r\u{0C}\u{08}\\\u{85}\u{2028}\u{2029}".contains($0) }) {
                    result += "['" + key.replacingOccurrences(of: "'", with: "\\'") + "']"
                } else {
                    result += (result.isEmpty ? "" : ".") + key
                }
            default:
                break
            }
        }
        return result
    }

    func character(at index: Int) -> String { character(chars[index]) }
    func character(_ unit: UInt16) -> String { String(decoding: [unit], as: UTF16.self) }

    // MARK: - Character classes

    static func isWhitespace(_ unit: UInt16) -> Bool {
        unit == 0x20 || (unit >= 0x09 && unit <= 0x0D) || (unit >= 0x80 && Unicode.Scalar(unit)?.properties.isWhitespace == true)
    }

    static func isIdentifierChar(_ unit: UInt16) -> Bool {
        if unit < 0x80 { return DotNetPatternTranslator.isAsciiAlnum(unit) || unit == 0x5F || unit == 0x24 }
        guard let scalar = Unicode.Scalar(unit) else { return false }
        return scalar.properties.isAlphabetic || scalar.properties.numericType == .decimal
    }

    static func isNumberChar(_ unit: UInt16) -> Bool {
        DotNetPatternTranslator.isDigit(unit) || (unit >= 0x61 && unit <= 0x66) || (unit >= 0x41 && unit <= 0x46)
            || unit == 0x2D || unit == 0x2B || unit == 0x2E || unit == 0x78 || unit == 0x58
    }

    static func isAfterNumber(_ unit: UInt16) -> Bool {
        isWhitespace(unit) || unit == 0x2C || unit == 0x7D || unit == 0x5D || unit == 0x29 || unit == 0x2F
    }

    /// What .NET's double.TryParse(NumberStyles.Float) takes: `-1.5e3`, `.5`, `1.`.
    static func isDotNetFloat(_ text: [UInt8]) -> Bool {
        var i = 0
        func digits() -> Int {
            let start = i
            while i < text.count, text[i] >= 0x30, text[i] <= 0x39 { i += 1 }
            return i - start
        }
        if i < text.count, text[i] == UInt8(ascii: "-") || text[i] == UInt8(ascii: "+") { i += 1 }
        var mantissaDigits = digits()
        if i < text.count, text[i] == UInt8(ascii: ".") { i += 1; mantissaDigits += digits() }
        guard mantissaDigits > 0 else { return false }
        if i < text.count, text[i] == UInt8(ascii: "e") || text[i] == UInt8(ascii: "E") {
            i += 1
            if i < text.count, text[i] == UInt8(ascii: "-") || text[i] == UInt8(ascii: "+") { i += 1 }
            guard digits() > 0 else { return false }
        }
        return i == text.count
    }
}
