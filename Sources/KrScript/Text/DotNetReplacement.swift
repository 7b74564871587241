import Foundation

/// A parsed .NET replacement string (RegexReplacement). Only `$` is special:
/// `$number` (all the digits, and only if that group exists), `${name}` / `${number}`, `$$`, `$&`,
/// `` $` ``, `$'`, `$+` (the last group), `$_` (the whole input). Anything else, including a reference
/// to a group the pattern does not have, stays literal text.
struct DotNetReplacement: Sendable, Equatable {
    enum Piece: Sendable, Equatable {
        case text(String)
        /// Index into the regex's slots (its `groups` order).
        case group(Int)
        case textBefore, textAfter, lastGroup, wholeInput
    }

    let pieces: [Piece]

    var isLiteral: Bool { pieces.allSatisfy { if case .text = $0 { true } else { false } } }

    var literalText: String? {
        isLiteral ? pieces.map { if case .text(let text) = $0 { text } else { "" } }.joined() : nil
    }

    init(parsing replacement: String, for regex: DotNetRegex) {
        let chars = Array(replacement.utf16)
        var pieces: [Piece] = []
        var literal: [UInt16] = []
        func flush() {
            if !literal.isEmpty { pieces.append(.text(String(decoding: literal, as: UTF16.self))); literal = [] }
        }
        func add(_ piece: Piece) { flush(); pieces.append(piece) }
        var i = 0
        while i < chars.count {
            let ch = chars[i]
            i += 1
            guard ch == 0x24, i < chars.count else { literal.append(ch); continue }
            let next = chars[i]
            if let (slot, end) = Self.reference(in: chars, at: i, regex: regex) {
                add(.group(slot)); i = end; continue
            }
            switch next {
            case 0x24: literal.append(0x24); i += 1                    // $$
            case 0x26: add(.group(0)); i += 1                           // $&
            case 0x60: add(.textBefore); i += 1                         // $`
            case 0x27: add(.textAfter); i += 1                          // $'
            case 0x2B: add(.lastGroup); i += 1                          // $+
            case 0x5F: add(.wholeInput); i += 1                         // $_
            default: literal.append(ch)                                 // a lone `$`
            }
        }
        flush()
        self.pieces = pieces
    }

    /// `1`, `12`, `{1}` or `{name}` at `start` (just after the `$`) naming a group of `regex`:
    /// the group's slot and the index after the reference.
    private static func reference(in chars: [UInt16], at start: Int, regex: DotNetRegex) -> (Int, Int)? {
        var i = start
        let braced = chars[i] == 0x7B
        if braced { i += 1 }
        guard i < chars.count else { return nil }
        let slot: Int?
        if DotNetPatternTranslator.isDigit(chars[i]) {
            var number = 0
            while i < chars.count, DotNetPatternTranslator.isDigit(chars[i]) {
                number = min(number * 10 + Int(chars[i] - 0x30), Int(Int32.max)); i += 1
            }
            slot = regex.slotIndex(number: number)
        } else if braced, DotNetPatternTranslator.isWordChar(chars[i]) {
            let nameStart = i
            while i < chars.count, DotNetPatternTranslator.isWordChar(chars[i]) { i += 1 }
            slot = regex.slotIndex(named: String(decoding: chars[nameStart..<i], as: UTF16.self))
        } else {
            return nil
        }
        if braced {
            guard i < chars.count, chars[i] == 0x7D else { return nil }
            i += 1
        }
        return slot.map { ($0, i) }
    }

    func expand(_ match: DotNetMatch, input: NSString) -> String {
        var result = ""
        for piece in pieces {
            switch piece {
            case .text(let text): result += text
            case .group(let slot): result += match.groups[slot].value
            case .textBefore: result += input.substring(to: match.index)
            case .textAfter: result += input.substring(from: match.index + match.length)
            case .lastGroup: result += match.groups[match.groups.count - 1].value
            case .wholeInput: result += input as String
            }
        }
        return result
    }
}
