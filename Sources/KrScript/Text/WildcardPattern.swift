/// System.Management.Automation.WildcardPattern: what `-like`, `Get-ChildItem -Filter`, `switch -Wildcard`
/// and the `-Name` parameters use. `*` is any run of characters, `?` exactly one, `[abc]` / `[a-z]` one
/// character from a set (no negation), and a backtick makes the next character literal. The whole string
/// must match. Case-insensitive unless `caseSensitive`. Characters are UTF-16 units, as in .NET.
///
/// Matching is done directly (no regex): a linear scan that backtracks only to the last `*`.
struct WildcardPattern: Sendable, Equatable {
    enum Element: Sendable, Equatable {
        case literal(UInt16)
        case anyCharacter
        case anyRun
        case set([ClosedRange<UInt16>])
    }

    let pattern: String
    let caseSensitive: Bool
    /// Set when the pattern is invalid (an unclosed `[`, a reversed range); such a pattern matches nothing.
    /// PowerShell throws instead: use `init(validating:caseSensitive:)` to get the error.
    let validationError: WildcardPatternError?
    private let elements: [Element]

    init(_ pattern: String, caseSensitive: Bool = false) {
        self.pattern = pattern
        self.caseSensitive = caseSensitive
        do {
            elements = try Self.parse(pattern, caseSensitive: caseSensitive)
            validationError = nil
        } catch {
            elements = []
            validationError = error
        }
    }

    /// As `init`, but throws what PowerShell throws for a bad pattern:
    /// `The specified wildcard character pattern is not valid: [a`.
    init(validating pattern: String, caseSensitive: Bool = false) throws(WildcardPatternError) {
        self.init(pattern, caseSensitive: caseSensitive)
        if let validationError { throw validationError }
    }

    /// `WildcardPattern.ContainsWildcardCharacters`: an unescaped `*`, `?`, `[` or `]`.
    static func containsWildcard(_ text: String) -> Bool {
        var escaped = false
        for unit in text.utf16 {
            if escaped { escaped = false; continue }
            switch unit {
            case 0x2A, 0x3F, 0x5B, 0x5D: return true
            case 0x60: escaped = true
            default: break
            }
        }
        return false
    }

    /// `WildcardPattern.Escape`: a backtick before `*`, `?`, `[`, `]` and the backtick itself.
    static func escape(_ text: String) -> String {
        var result = ""
        for character in text {
            if "*?[]`".contains(character) { result.append("`") }
            result.append(character)
        }
        return result
    }

    func matches(_ text: String) -> Bool {
        guard validationError == nil else { return false }
        var input = Array(text.utf16)
        if !caseSensitive {
            for index in input.indices { input[index] = Self.lowercase(input[index]) }
        }
        var element = 0, position = 0
        var starElement = -1, starPosition = 0
        while position < input.count {
            if element < elements.count {
                switch elements[element] {
                case .anyRun:
                    starElement = element; starPosition = position; element += 1
                    continue
                case .anyCharacter:
                    element += 1; position += 1
                    continue
                case .literal(let unit) where unit == input[position]:
                    element += 1; position += 1
                    continue
                case .set(let ranges) where setContains(ranges, input[position]):
                    element += 1; position += 1
                    continue
                default:
                    break
                }
            }
            // Mismatch: let the last `*` swallow one more character, or fail.
            guard starElement >= 0 else { return false }
            starPosition += 1
            position = starPosition
            element = starElement + 1
        }
        while element < elements.count, elements[element] == .anyRun { element += 1 }
        return element == elements.count
    }

    private func setContains(_ ranges: [ClosedRange<UInt16>], _ unit: UInt16) -> Bool {
        if ranges.contains(where: { $0.contains(unit) }) { return true }
        // The input is already lower-cased; a set such as [A-Z] is matched as .NET's IgnoreCase regex does.
        guard !caseSensitive else { return false }
        let upper = Self.uppercase(unit)
        return upper != unit && ranges.contains { $0.contains(upper) }
    }

    /// WildcardPatternParser.Parse: backtick escapes anywhere; inside `[...]` a `]` right after the `[`
    /// is literal and `-` between two characters makes a range. A trailing backtick is a literal backtick
    /// (the pattern made of one backtick alone means the empty pattern).
    private static func parse(_ pattern: String, caseSensitive: Bool) throws(WildcardPatternError) -> [Element] {
        var elements: [Element] = []
        var escaped = false
        var inSet = false, setJustOpened = false
        var setUnits: [UInt16] = [], setIsRangeOperator: [Bool] = []
        for unit in pattern.utf16 {
            if inSet {
                if unit == 0x5D && !setJustOpened && !escaped {
                    inSet = false
                    elements.append(.set(try setRanges(setUnits, setIsRangeOperator, pattern)))
                    setUnits = []; setIsRangeOperator = []
                } else if unit != 0x60 || escaped {
                    setUnits.append(unit)
                    setIsRangeOperator.append(unit == 0x2D && !escaped)
                }
                setJustOpened = false
            } else if !escaped && unit == 0x2A {
                if elements.last != .anyRun { elements.append(.anyRun) }
            } else if !escaped && unit == 0x3F {
                elements.append(.anyCharacter)
            } else if !escaped && unit == 0x5B {
                inSet = true; setJustOpened = true
            } else if unit != 0x60 || escaped {
                elements.append(.literal(caseSensitive ? unit : lowercase(unit)))
            }
            escaped = unit == 0x60 && !escaped
        }
        if inSet { throw WildcardPatternError(pattern: pattern) }
        if escaped && pattern != "`" { elements.append(.literal(0x60)) }
        return elements
    }

    private static func setRanges(_ units: [UInt16], _ isRange: [Bool], _ pattern: String)
        throws(WildcardPatternError) -> [ClosedRange<UInt16>] {
        var ranges: [ClosedRange<UInt16>] = []
        var index = 0
        while index < units.count {
            if index + 2 < units.count, isRange[index + 1] {
                guard units[index] <= units[index + 2] else { throw WildcardPatternError(pattern: pattern) }
                ranges.append(units[index]...units[index + 2])
                index += 3
            } else {
                ranges.append(units[index]...units[index])
                index += 1
            }
        }
        return ranges
    }

    /// TextInfo.ToLower on one UTF-16 unit: the simple (one-to-one) mapping, ASCII fast path.
    static func lowercase(_ unit: UInt16) -> UInt16 {
        if unit < 0x80 { return unit >= 0x41 && unit <= 0x5A ? unit + 0x20 : unit }
        return simpleMapping(unit) { $0.properties.lowercaseMapping }
    }

    static func uppercase(_ unit: UInt16) -> UInt16 {
        if unit < 0x80 { return unit >= 0x61 && unit <= 0x7A ? unit - 0x20 : unit }
        return simpleMapping(unit) { $0.properties.uppercaseMapping }
    }

    private static func simpleMapping(_ unit: UInt16, _ mapping: (Unicode.Scalar) -> String) -> UInt16 {
        guard let scalar = Unicode.Scalar(unit) else { return unit }
        let mapped = mapping(scalar).unicodeScalars
        guard mapped.count == 1, let only = mapped.first, only.value <= 0xFFFF else { return unit }
        return UInt16(only.value)
    }
}

/// PowerShell's WildcardPatternException.
struct WildcardPatternError: Error, Equatable, CustomStringConvertible, Sendable {
    let pattern: String
    var message: String { "The specified wildcard character pattern is not valid: \(pattern)" }
    var description: String { message }
}
