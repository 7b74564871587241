import Foundation

/// Escapes and character classes (.NET's ScanBackslash, ScanCharEscape and ScanCharClass).
extension DotNetPatternTranslator {
    private static let categories: Set<String> = [
        "L", "Lu", "Ll", "Lt", "Lm", "Lo", "M", "Mn", "Mc", "Me", "N", "Nd", "Nl", "No",
        "P", "Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po", "S", "Sm", "Sc", "Sk", "So",
        "Z", "Zs", "Zl", "Zp", "C", "Cc", "Cf", "Cs", "Co", "Cn",
    ]

    /// After a `\` outside a set.
    mutating func scanEscape() throws {
        guard pos < src.count else { throw error(at: pos, "Illegal \\ at end of pattern.") }
        let ch = src[pos]
        switch ch {
        case 0x62, 0x42, 0x41, 0x47, 0x7A, 0x77, 0x57, 0x73, 0x53, 0x64, 0x44:   // b B A G z w W s S d D
            pos += 1; emit("\\"); out.append(ch)
        case 0x5A:                                                                 // Z: end, or before a final \n
            pos += 1; emit("(?=\\n?\\z)")
        case 0x70, 0x50:                                                           // p P
            pos += 1; emit(try scanProperty(negated: ch == 0x50))
        case 0x6B:                                                                 // k<name>
            pos += 1
            let opener: UInt16 = pos < src.count ? src[pos] : 0
            var isReference = false
            if pos + 1 < src.count, opener == 0x3C || opener == 0x27 {
                isReference = try scanAngledReference(close: opener == 0x3C ? 0x3E : 0x27)
            }
            if !isReference { throw error(at: pos, "Malformed \\k<...> named back reference.") }
        case 0x3C, 0x27:                                                           // \<name> \'name'
            let backtrack = pos
            var isReference = false
            if pos + 1 < src.count { isReference = try scanAngledReference(close: ch == 0x3C ? 0x3E : 0x27) }
            if !isReference {
                pos = backtrack
                emitEscapedUnit(try scanCharEscape(inClass: false))
            }
        case 0x31...0x39:                                                          // \1: back-reference or octal
            let backtrack = pos
            let number = scanDecimal()
            if scanOnly { return }
            if icuIndicesByNumber[number] != nil {
                emitBackreference(number)
            } else if number <= 9 {
                throw error(at: pos, "Reference to undefined group number \(number).")
            } else {
                pos = backtrack
                emitEscapedUnit(try scanCharEscape(inClass: false))
            }
        default:
            emitEscapedUnit(try scanCharEscape(inClass: false))
        }
    }

    /// `<name>` / `<number>` after `\k` or `\`; pos is at the opening `<` or `'`. False if not a reference.
    private mutating func scanAngledReference(close: UInt16) throws -> Bool {
        pos += 1
        guard pos < src.count else { return false }
        let first = src[pos]
        if Self.isDigit(first) {
            let number = scanDecimal()
            guard pos < src.count, src[pos] == close else { return false }
            pos += 1
            if scanOnly { return true }
            guard icuIndicesByNumber[number] != nil, number != 0 else {
                throw error(at: pos, "Reference to undefined group number \(number).")
            }
            emitBackreference(number)
            return true
        }
        guard Self.isWordChar(first) else { return false }
        let name = scanName()
        guard pos < src.count, src[pos] == close else { return false }
        pos += 1
        if scanOnly { return true }
        guard let number = numberByName[name] ?? Int(name).flatMap({ icuIndicesByNumber[$0] != nil ? $0 : nil }) else {
            throw error(at: pos, "Reference to undefined group name '\(name)'.")
        }
        emitBackreference(number)
        return true
    }

    private mutating func emitBackreference(_ number: Int) {
        let refs = (icuIndicesByNumber[number] ?? []).map { "\\\($0)" }
        emit("(?:" + refs.joined(separator: "|") + ")")
    }

    private mutating func emitEscapedUnit(_ unit: UInt16) {
        if Self.isAsciiAlnum(unit) { out.append(unit) } else { emit(Self.hexEscape(UInt32(unit))) }
    }

    /// `{Name}` after `\p` / `\P`: .NET general categories, and Unicode blocks as `IsBlockName`.
    private mutating func scanProperty(negated: Bool) throws -> String {
        guard pos < src.count, src[pos] == 0x7B,
              let end = src[pos...].firstIndex(of: 0x7D), end > pos + 1 else {
            throw error(at: pos, "Incomplete \\p{X} character escape.")
        }
        let name = String(decoding: src[(pos + 1)..<end], as: UTF16.self)
        pos = end + 1
        let icuName: String
        if Self.categories.contains(name) {
            icuName = name
        } else if name.hasPrefix("Is"), name.count > 2 {
            icuName = "In" + name.dropFirst(2)
        } else {
            throw error(at: pos, "Unknown property '\(name)'.")
        }
        return (negated ? "\\P{" : "\\p{") + icuName + "}"
    }

    /// One escaped character (pos after the `\`): octal, `\x`, `\u`, `\c`, the letter escapes, or a
    /// literal. A letter, digit or `_` that .NET does not know is an error, as in .NET.
    mutating func scanCharEscape(inClass: Bool) throws -> UInt16 {
        guard pos < src.count else { throw error(at: pos, "Illegal \\ at end of pattern.") }
        let ch = src[pos]
        pos += 1
        switch ch {
        case 0x30...0x37:
            var value = 0, digits = 0
            pos -= 1
            while digits < 3, pos < src.count, src[pos] >= 0x30, src[pos] <= 0x37 {
                value = value * 8 + Int(src[pos] - 0x30); pos += 1; digits += 1
            }
            return UInt16(value & 0xFF)
        case 0x78: return try scanHex(2)                       // x
        case 0x75: return try scanHex(4)                       // u
        case 0x61: return 0x07                                 // a
        case 0x62 where inClass: return 0x08                   // b (backspace inside a set)
        case 0x65: return 0x1B                                 // e
        case 0x66: return 0x0C                                 // f
        case 0x6E: return 0x0A                                 // n
        case 0x72: return 0x0D                                 // r
        case 0x74: return 0x09                                 // t
        case 0x76: return 0x0B                                 // v
        case 0x63:                                             // c
            guard pos < src.count else { throw error(at: pos, "Missing control character.") }
            var letter = src[pos]
            pos += 1
            if letter >= 0x61 && letter <= 0x7A { letter -= 0x20 }
            guard letter >= 0x40, letter < 0x60 else { throw error(at: pos, "Unrecognized control character.") }
            return letter - 0x40
        default:
            if Self.isWordChar(ch) {
                throw error(at: pos, "Unrecognized escape sequence \\\(String(decoding: [ch], as: UTF16.self)).")
            }
            return ch
        }
    }

    private mutating func scanHex(_ count: Int) throws -> UInt16 {
        var value: UInt16 = 0
        for _ in 0..<count {
            guard pos < src.count, let digit = Unicode.Scalar(src[pos]).flatMap({ Character($0).hexDigitValue }) else {
                throw error(at: pos, "Insufficient hexadecimal digits.")
            }
            value = value * 16 + UInt16(digit)
            pos += 1
        }
        return value
    }

    // MARK: - Character classes

    /// A .NET set after its `[`, as an ICU set. Every literal is escaped (ICU gives `[`, `&`, `-` and
    /// `$` meanings inside sets that .NET does not); subtraction `[a-z-[aeiou]]` becomes `[[a-z]--[aeiou]]`.
    mutating func scanCharacterClass() throws -> String {
        var negated = false
        if pos < src.count, src[pos] == 0x5E { negated = true; pos += 1 }
        var body = ""
        var subtraction: String?
        var firstChar = true
        var rangeStart: UInt16?
        var closed = false
        while pos < src.count {
            var ch = src[pos]
            pos += 1
            var escaped = false
            if ch == 0x5D && !firstChar { closed = true; break }
            if ch == 0x5C, pos < src.count {
                let next = src[pos]
                switch next {
                case 0x64, 0x44, 0x73, 0x53, 0x77, 0x57, 0x70, 0x50:      // d D s S w W p P
                    pos += 1
                    if rangeStart != nil {
                        let name = String(decoding: [next], as: UTF16.self)
                        throw error(at: pos, "Cannot include class \\\(name) in character range.")
                    }
                    if next == 0x70 || next == 0x50 {
                        body += try scanProperty(negated: next == 0x50)
                    } else {
                        body += "\\" + String(decoding: [next], as: UTF16.self)
                    }
                    firstChar = false
                    continue
                default:
                    ch = try scanCharEscape(inClass: true)
                    escaped = true
                }
            }
            if let low = rangeStart {
                rangeStart = nil
                if ch == 0x5B && !escaped {
                    body += Self.setLiteral(UInt32(low))
                    subtraction = try scanSubtraction()
                } else {
                    if low > ch { throw error(at: pos, "[x-y] range in reverse order.") }
                    body += Self.setLiteral(UInt32(low)) + "-" + Self.setLiteral(UInt32(ch))
                }
            } else if pos + 1 < src.count, src[pos] == 0x2D, src[pos + 1] != 0x5D {
                rangeStart = ch
                pos += 1
            } else if ch == 0x2D, !escaped, !firstChar, pos < src.count, src[pos] == 0x5B {
                pos += 1
                subtraction = try scanSubtraction()
            } else if UTF16.isLeadSurrogate(ch), !escaped, pos < src.count, UTF16.isTrailSurrogate(src[pos]) {
                body += Self.setLiteral(UTF16.decode(lead: ch, trail: src[pos]))
                pos += 1
            } else {
                body += Self.setLiteral(UInt32(ch))
            }
            firstChar = false
        }
        if !closed { throw error(at: pos, "Unterminated [] set.") }
        let set = "[" + (negated ? "^" : "") + body + "]"
        guard let subtraction else { return set }
        return "[" + set + "--" + subtraction + "]"
    }

    /// The nested set of a subtraction (pos after its `[`), which must be the last thing in the outer set.
    private mutating func scanSubtraction() throws -> String {
        let nested = try scanCharacterClass()
        guard pos < src.count, src[pos] == 0x5D else {
            throw error(at: pos, "A subtraction must be the last element in a character class.")
        }
        return nested
    }

    private static func setLiteral(_ value: UInt32) -> String {
        if value < 0x80, isAsciiAlnum(UInt16(value)) { return String(UnicodeScalar(UInt8(value))) }
        return hexEscape(value)
    }
}

private extension UTF16 {
    static func decode(lead: UInt16, trail: UInt16) -> UInt32 {
        0x10000 + ((UInt32(lead) - 0xD800) << 10) + (UInt32(trail) - 0xDC00)
    }
}
