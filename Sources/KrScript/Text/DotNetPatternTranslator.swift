import Foundation

/// One capturing group of a .NET pattern in .NET order (slot 0 is the whole match).
struct DotNetGroupSlot: Sendable, Equatable {
    let number: Int
    let name: String
    /// The ICU group indices carrying this group: several when a name or number is declared more than once.
    let icuIndices: [Int]
}

/// A .NET pattern rewritten for NSRegularExpression (ICU), plus the group numbering .NET would give it.
struct DotNetPatternTranslation: Sendable {
    let icuPattern: String
    let slots: [DotNetGroupSlot]
}

/// Rewrites .NET regular-expression syntax into ICU syntax.
///
/// Every .NET capture becomes a plain ICU `(`, so ICU numbers captures by position while the slots keep
/// .NET's numbering (unnamed groups first, then named ones). Two passes, like .NET's own parser: the first
/// collects the groups, the second emits and resolves back-references against the final numbering.
/// `x` and `n` are applied here (ICU has no `n`, and its `x` differs inside sets); `$` and `\Z` become
/// look-aheads so only `\n` counts as a line end, as in .NET.
struct DotNetPatternTranslator {
    enum CaptureDecl: Equatable { case unnamed, number(Int), name(String) }
    struct Flags { var ignoreWhitespace: Bool, explicitCapture: Bool, multiline: Bool }
    enum Last { case nothing, atom, quantifier }
    struct OpenGroup { let saved: Flags, isLookbehind: Bool }

    /// ICU needs look-behind to have a bounded length; .NET does not. Unbounded quantifiers inside a
    /// look-behind get this upper bound instead of failing to compile.
    static let lookbehindBound = 1000

    let pattern: String
    let src: [UInt16]
    var pos = 0
    var out: [UInt16] = []
    var flags: Flags
    let initialFlags: Flags
    var stack: [OpenGroup] = []
    var last = Last.nothing
    var lookbehindDepth = 0
    var scanOnly = true
    var captures: [CaptureDecl] = []
    var capturesSeen = 0
    var icuIndicesByNumber: [Int: [Int]] = [:]
    var numberByName: [String: Int] = [:]

    static func translate(_ pattern: String, options: DotNetRegexOptions) throws -> DotNetPatternTranslation {
        var translator = DotNetPatternTranslator(pattern: pattern, options: options)
        try translator.run()
        let slots = translator.assignNumbers()
        translator.restart()
        try translator.run()
        var icu = String(decoding: translator.out, as: UTF16.self)
        if icu.isEmpty { icu = "(?:)" }  // ICU rejects an empty pattern; .NET matches the empty string
        return DotNetPatternTranslation(icuPattern: icu, slots: slots)
    }

    init(pattern: String, options: DotNetRegexOptions) {
        self.pattern = pattern
        src = Array(pattern.utf16)
        initialFlags = Flags(ignoreWhitespace: options.contains(.ignorePatternWhitespace),
                             explicitCapture: options.contains(.explicitCapture),
                             multiline: options.contains(.multiline))
        flags = initialFlags
    }

    private mutating func restart() {
        pos = 0; out = []; flags = initialFlags; stack = []; last = .nothing
        lookbehindDepth = 0; scanOnly = false; capturesSeen = 0
    }

    /// .NET numbering: unnamed groups 1...n left to right, explicit numbers as written, then each name
    /// (in order of first appearance) takes the next number not already used.
    private mutating func assignNumbers() -> [DotNetGroupSlot] {
        let unnamedCount = captures.filter { $0 == .unnamed }.count
        var used = Set(0...unnamedCount)
        var names: [String] = []
        for decl in captures {
            switch decl {
            case .number(let n): used.insert(n)
            case .name(let name) where !names.contains(name): names.append(name)
            default: break
            }
        }
        var next = unnamedCount + 1
        for name in names {
            while used.contains(next) { next += 1 }
            numberByName[name] = next
            used.insert(next)
        }
        var unnamedSeen = 0
        icuIndicesByNumber = [0: [0]]
        for (index, decl) in captures.enumerated() {
            let number: Int
            switch decl {
            case .unnamed: unnamedSeen += 1; number = unnamedSeen
            case .number(let n): number = n
            case .name(let name): number = numberByName[name] ?? 0
            }
            icuIndicesByNumber[number, default: []].append(index + 1)
        }
        let nameByNumber = Dictionary(uniqueKeysWithValues: numberByName.map { ($1, $0) })
        return used.sorted().map { number in
            DotNetGroupSlot(number: number, name: nameByNumber[number] ?? String(number),
                            icuIndices: icuIndicesByNumber[number] ?? [])
        }
    }

    // MARK: - Main scan

    private mutating func run() throws {
        while pos < src.count {
            if flags.ignoreWhitespace, skipWhitespaceOrComment() { continue }
            let ch = src[pos]
            pos += 1
            switch ch {
            case 0x28: try openGroup()                                   // (
            case 0x29: try closeGroup()                                  // )
            case 0x7C: emit("|"); last = .nothing                        // |
            case 0x5B: emit(try scanCharacterClass()); last = .atom      // [
            case 0x5C: try scanEscape(); last = .atom                    // \
            case 0x2A: try quantifier("*", min: 0, max: nil)
            case 0x2B: try quantifier("+", min: 1, max: nil)
            case 0x3F: try quantifier("?", min: 0, max: 1)
            case 0x7B:                                                   // {
                if let (min, max) = try scanBraceQuantifier() {
                    try quantifier("{", min: min, max: max)
                } else {
                    emitLiteral(ch); last = .atom
                }
            case 0x5E: emit("^"); last = .atom
            case 0x24: emit(flags.multiline ? "(?=\\n|\\z)" : "(?=\\n?\\z)"); last = .atom
            case 0x2E: emit("."); last = .atom
            default: emitLiteral(ch); last = .atom
            }
        }
        if !stack.isEmpty { throw error(at: src.count, "Not enough )'s.") }
    }

    /// In IgnorePatternWhitespace mode: skips one blank or a `#` comment running to the end of the line.
    private mutating func skipWhitespaceOrComment() -> Bool {
        let ch = src[pos]
        if Self.isPatternSpace(ch) { pos += 1; return true }
        guard ch == 0x23 else { return false }
        while pos < src.count, src[pos] != 0x0A { pos += 1 }
        return true
    }

    private mutating func quantifier(_ symbol: String, min: Int, max: Int?) throws {
        switch last {
        case .nothing: throw error(at: pos, "Quantifier '\(symbol)' following nothing.")
        case .quantifier: throw error(at: pos, "Nested quantifier '\(symbol)'.")
        case .atom: break
        }
        let upper = max ?? (lookbehindDepth > 0 ? Swift.max(min, Self.lookbehindBound) : nil)
        switch (min, upper) {
        case (0, nil): emit("*")
        case (1, nil): emit("+")
        case (0, 1?) where symbol == "?": emit("?")
        case (let lo, nil): emit("{\(lo),}")
        case (let lo, let hi?): emit(lo == hi && max != nil ? "{\(lo)}" : "{\(lo),\(hi)}")
        }
        if pos < src.count, src[pos] == 0x3F { pos += 1; emit("?") }
        last = .quantifier
    }

    /// `{n}`, `{n,}` or `{n,m}` after the `{`; nil (and no input consumed) when the brace is a literal.
    private mutating func scanBraceQuantifier() throws -> (Int, Int?)? {
        var i = pos
        func number() -> Int? {
            let start = i
            var value = 0
            while i < src.count, Self.isDigit(src[i]) {
                value = Swift.min(value * 10 + Int(src[i] - 0x30), Int(Int32.max)); i += 1
            }
            return i > start ? value : nil
        }
        guard let low = number() else { return nil }
        var high: Int? = low
        if i < src.count, src[i] == 0x2C { i += 1; high = number() }
        guard i < src.count, src[i] == 0x7D else { return nil }
        pos = i + 1
        if let high, high < low { throw error(at: pos, "Illegal {x,y} with x > y.") }
        return (low, high)
    }

    // MARK: - Groups

    private mutating func openGroup() throws {
        let saved = flags
        guard pos < src.count, src[pos] == 0x3F else {
            if flags.explicitCapture {
                emit("(?:")
            } else {
                declareCapture(.unnamed); emit("(")
            }
            push(saved); return
        }
        pos += 1
        guard pos < src.count else { throw error(at: pos, "Unrecognized grouping construct.") }
        let ch = src[pos]
        switch ch {
        case 0x3A, 0x3D, 0x21, 0x3E:                                     // : = ! >
            pos += 1; emit("(?"); out.append(ch); push(saved)
        case 0x23:                                                       // (?# comment )
            while pos < src.count, src[pos] != 0x29 { pos += 1 }
            guard pos < src.count else { throw error(at: pos, "Unterminated (?#...) comment.") }
            pos += 1
        case 0x28:
            throw error(at: pos + 1, "Conditional (?(...)...) groups are not supported by krsh.")
        case 0x3C, 0x27:                                                 // < '
            pos += 1
            if ch == 0x3C, pos < src.count, src[pos] == 0x3D || src[pos] == 0x21 {
                emit(src[pos] == 0x3D ? "(?<=" : "(?<!")
                pos += 1
                lookbehindDepth += 1
                push(saved, lookbehind: true)
            } else {
                try openNamedGroup(close: ch == 0x3C ? 0x3E : 0x27, saved: saved)
            }
        default:
            try scanInlineOptions(saved: saved)
        }
    }

    private mutating func openNamedGroup(close: UInt16, saved: Flags) throws {
        guard pos < src.count else { throw error(at: pos, "Unrecognized grouping construct.") }
        let first = src[pos]
        let decl: CaptureDecl
        if Self.isDigit(first) {
            let number = scanDecimal()
            if number == 0 { throw error(at: pos, "Capture number cannot be zero.") }
            decl = .number(number)
        } else if Self.isWordChar(first) {
            decl = .name(scanName())
        } else if first == 0x2D {
            throw error(at: pos + 1, "Balancing groups (?<name1-name2>...) are not supported by krsh.")
        } else {
            throw error(at: pos + 1, "Invalid group name: Group names must begin with a word character.")
        }
        guard pos < src.count else { throw error(at: pos, "Unrecognized grouping construct.") }
        if src[pos] == 0x2D {
            throw error(at: pos + 1, "Balancing groups (?<name1-name2>...) are not supported by krsh.")
        }
        guard src[pos] == close else {
            throw error(at: pos + 1, "Invalid group name: Group names must begin with a word character.")
        }
        pos += 1
        declareCapture(decl)
        emit("(")
        push(saved)
    }

    /// `(?imnsx-imnsx)` or `(?imnsx-imnsx:...)`; `n` and `x` are applied here, the rest passed to ICU.
    private mutating func scanInlineOptions(saved: Flags) throws {
        var on = "", off = ""
        var turningOff = false
        while pos < src.count {
            let ch = src[pos]
            if ch == 0x2D { turningOff = true; pos += 1; continue }
            if ch == 0x2B { turningOff = false; pos += 1; continue }
            guard let letter = Unicode.Scalar(ch).map({ Character($0).lowercased() }),
                  ["i", "m", "n", "s", "x"].contains(letter) else { break }
            switch letter {
            case "n": flags.explicitCapture = !turningOff
            case "x": flags.ignoreWhitespace = !turningOff
            default:
                if letter == "m" { flags.multiline = !turningOff }
                if turningOff { off += letter } else { on += letter }
            }
            pos += 1
        }
        let icuFlags = on + (off.isEmpty ? "" : "-" + off)
        guard pos < src.count, src[pos] == 0x29 || src[pos] == 0x3A else {
            throw error(at: Swift.min(pos + 1, src.count), "Unrecognized grouping construct.")
        }
        if src[pos] == 0x29 {
            if !icuFlags.isEmpty { emit("(?\(icuFlags))") }
        } else {
            emit("(?\(icuFlags):")
            push(saved)
        }
        pos += 1
        last = .nothing
    }

    private mutating func push(_ saved: Flags, lookbehind: Bool = false) {
        stack.append(OpenGroup(saved: saved, isLookbehind: lookbehind))
        last = .nothing
    }

    private mutating func closeGroup() throws {
        guard let group = stack.popLast() else { throw error(at: pos, "Too many )'s.") }
        flags = group.saved
        if group.isLookbehind { lookbehindDepth -= 1 }
        emit(")")
        last = .atom
    }

    private mutating func declareCapture(_ decl: CaptureDecl) {
        if scanOnly { captures.append(decl) }
        capturesSeen += 1
    }

    // MARK: - Shared helpers

    mutating func emit(_ text: String) { out.append(contentsOf: text.utf16) }

    /// A literal outside a set: ASCII punctuation escaped, controls as `\x{..}`, the rest as is.
    mutating func emitLiteral(_ ch: UInt16) {
        if Self.isAsciiAlnum(ch) || ch >= 0x80 {
            out.append(ch)
        } else if ch > 0x20 && ch < 0x7F {
            out.append(0x5C); out.append(ch)
        } else {
            emit(Self.hexEscape(UInt32(ch)))
        }
    }

    mutating func scanDecimal() -> Int {
        var value = 0
        while pos < src.count, Self.isDigit(src[pos]) {
            value = Swift.min(value * 10 + Int(src[pos] - 0x30), Int(Int32.max)); pos += 1
        }
        return value
    }

    mutating func scanName() -> String {
        let start = pos
        while pos < src.count, Self.isWordChar(src[pos]) { pos += 1 }
        return String(decoding: src[start..<pos], as: UTF16.self)
    }

    func error(at offset: Int, _ reason: String) -> DotNetRegexError {
        .invalidPattern(pattern, offset: offset, reason)
    }

    static func hexEscape(_ value: UInt32) -> String { "\\x{" + String(value, radix: 16, uppercase: true) + "}" }
    static func isDigit(_ ch: UInt16) -> Bool { ch >= 0x30 && ch <= 0x39 }
    static func isPatternSpace(_ ch: UInt16) -> Bool { ch == 0x20 || (ch >= 0x09 && ch <= 0x0D) }

    static func isAsciiAlnum(_ ch: UInt16) -> Bool {
        isDigit(ch) || (ch >= 0x41 && ch <= 0x5A) || (ch >= 0x61 && ch <= 0x7A)
    }

    /// .NET's `\w` plus the joiners (RegexCharClass.IsBoundaryWordChar): letters, Mn, Nd, Pc.
    static func isWordChar(_ ch: UInt16) -> Bool {
        if ch < 0x80 { return isAsciiAlnum(ch) || ch == 0x5F }
        if ch == 0x200C || ch == 0x200D { return true }
        guard let scalar = Unicode.Scalar(ch) else { return false }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .nonspacingMark, .decimalNumber, .connectorPunctuation: return true
        default: return false
        }
    }
}
