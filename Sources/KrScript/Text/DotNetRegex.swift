import Foundation

/// NSRegularExpression is immutable once built and safe to match from several threads, but it is not
/// marked Sendable on Linux.
private struct ICURegexBox: @unchecked Sendable {
    let regex: NSRegularExpression
}

/// System.Text.RegularExpressions.Regex on top of NSRegularExpression (ICU): .NET syntax is translated
/// (see DotNetPatternTranslator), groups are numbered and named as .NET numbers them, and indexes and
/// lengths are UTF-16 units as in .NET.
final class DotNetRegex: Sendable {
    let pattern: String
    let options: DotNetRegexOptions
    /// `GetGroupNames()`: `"0"`, `"1"`, ... then the names, in group-number order.
    let groupNames: [String]
    /// `GetGroupNumbers()`, in the same order as `groupNames`.
    let groupNumbers: [Int]
    let slots: [DotNetGroupSlot]
    private let icu: ICURegexBox
    private let slotByName: [String: Int]
    private let slotByNumber: [Int: Int]

    init(pattern: String, options: DotNetRegexOptions = []) throws {
        let translation = try DotNetPatternTranslator.translate(pattern, options: options)
        var icuOptions: NSRegularExpression.Options = [.useUnixLineSeparators]
        if options.contains(.ignoreCase) { icuOptions.insert(.caseInsensitive) }
        if options.contains(.multiline) { icuOptions.insert(.anchorsMatchLines) }
        if options.contains(.singleline) { icuOptions.insert(.dotMatchesLineSeparators) }
        do {
            icu = ICURegexBox(regex: try NSRegularExpression(pattern: translation.icuPattern, options: icuOptions))
        } catch {
            throw DotNetRegexError(message: "Invalid pattern '\(pattern)'. krsh's regex engine (ICU) cannot "
                + "compile it; unbounded look-behind and some .NET-only constructs are not supported.")
        }
        self.pattern = pattern
        self.options = options
        slots = translation.slots
        groupNames = slots.map(\.name)
        groupNumbers = slots.map(\.number)
        slotByName = Dictionary(slots.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
        slotByNumber = Dictionary(slots.enumerated().map { ($1.number, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// A compiled regex from the shared cache (scripts run `-match` in loops).
    static func cached(_ pattern: String, options: DotNetRegexOptions = []) throws -> DotNetRegex {
        try DotNetRegexCache.shared.regex(pattern: pattern, options: options)
    }

    func slotIndex(named name: String) -> Int? { slotByName[name] }
    func slotIndex(number: Int) -> Int? { slotByNumber[number] }

    // MARK: - Matching

    /// `Regex.Match(input, startat)`: look-behinds still see the text before `from`, and `^` still means
    /// the start of the input (`\G` matches at `from`).
    func firstMatch(in input: String, from: Int = 0) -> DotNetMatch? {
        let text = NSString(string: input)
        guard from >= 0, from <= text.length else { return nil }
        let range = NSRange(location: from, length: text.length - from)
        guard let result = icu.regex.firstMatch(in: input, options: [.withTransparentBounds, .withoutAnchoringBounds],
                                                range: range) else { return nil }
        return makeMatch(result, in: text)
    }

    /// `Regex.Matches(input)`, left to right; after an empty match the search moves on one character.
    func matches(in input: String) -> [DotNetMatch] {
        let text = NSString(string: input)
        return results(in: input, length: text.length, limit: -1).map { makeMatch($0, in: text) }
    }

    func isMatch(_ input: String) -> Bool {
        icu.regex.firstMatch(in: input, options: [], range: NSRange(location: 0, length: input.utf16.count)) != nil
    }

    // MARK: - Replace

    /// `Regex.Replace(input, replacement, count)` with .NET substitutions (`$1`, `${name}`, `$$`, `$&`,
    /// `` $` ``, `$'`, `$+`, `$_`). `count` < 0 replaces every match; 0 replaces none.
    func replace(in input: String, replacement: String, count: Int = -1) -> String {
        let substitution = DotNetReplacement(parsing: replacement, for: self)
        if substitution.isLiteral, let literal = substitution.literalText {
            return replace(in: input, count: count) { _ in literal }
        }
        let text = NSString(string: input)
        return replace(in: input, count: count) { substitution.expand($0, input: text) }
    }

    /// `Regex.Replace(input, MatchEvaluator)`; PowerShell's `-replace` with a script block uses this.
    func replace(in input: String, count: Int = -1, evaluator: (DotNetMatch) throws -> String) rethrows -> String {
        if count == 0 { return input }
        let text = NSString(string: input)
        let found = results(in: input, length: text.length, limit: count)
        if found.isEmpty { return input }
        var output = ""
        var previous = 0
        for result in found {
            let match = makeMatch(result, in: text)
            output += text.substring(with: NSRange(location: previous, length: match.index - previous))
            output += try evaluator(match)
            previous = match.index + match.length
        }
        output += text.substring(from: previous)
        return output
    }

    // MARK: - Split

    /// `Regex.Split(input, count)`: captured groups are put in the result after the piece before them.
    /// `maxCount` <= 0 means no limit; with N > 0 at most N pieces, the last one holding the rest.
    func split(_ input: String, maxCount: Int = 0) -> [String] {
        if maxCount == 1 { return [input] }
        let text = NSString(string: input)
        let found = results(in: input, length: text.length, limit: maxCount > 1 ? maxCount - 1 : -1)
        if found.isEmpty { return [input] }
        var pieces: [String] = []
        var previous = 0
        for result in found {
            let match = makeMatch(result, in: text)
            pieces.append(text.substring(with: NSRange(location: previous, length: match.index - previous)))
            pieces += match.groups.dropFirst().filter(\.success).map(\.value)
            previous = match.index + match.length
        }
        pieces.append(text.substring(from: previous))
        return pieces
    }

    /// `Regex.Split` with RegexOptions.RightToLeft, which PowerShell uses for a negative `-split` limit:
    /// the last `maxCount - 1` matches split, the first piece holds the rest, and each match's groups come
    /// out in reverse order. Matches are found left to right and taken from the end, which equals a
    /// right-to-left scan unless matches overlap.
    func splitFromRight(_ input: String, maxCount: Int) -> [String] {
        if maxCount == 1 { return [input] }
        let text = NSString(string: input)
        var found = results(in: input, length: text.length, limit: -1)
        if found.isEmpty { return [input] }
        if maxCount > 1 { found = Array(found.suffix(maxCount - 1)) }
        var reversedPieces: [String] = []
        var next = text.length
        for result in found.reversed() {
            let match = makeMatch(result, in: text)
            let end = match.index + match.length
            reversedPieces.append(text.substring(with: NSRange(location: end, length: next - end)))
            reversedPieces += match.groups.dropFirst().filter(\.success).map(\.value)
            next = match.index
        }
        reversedPieces.append(text.substring(to: next))
        return reversedPieces.reversed()
    }

    // MARK: - Internals

    private func results(in input: String, length: Int, limit: Int) -> [NSTextCheckingResult] {
        var found: [NSTextCheckingResult] = []
        icu.regex.enumerateMatches(in: input, options: [], range: NSRange(location: 0, length: length)) { result, _, stop in
            guard let result else { return }
            found.append(result)
            if limit > 0 && found.count >= limit { stop.pointee = true }
        }
        return found
    }

    private func makeMatch(_ result: NSTextCheckingResult, in text: NSString) -> DotNetMatch {
        DotNetMatch(groups: slots.map { slot in
            // A name declared twice maps to several ICU groups: take the capture that ends last.
            var best: NSRange?
            for index in slot.icuIndices where index < result.numberOfRanges {
                let range = result.range(at: index)
                if range.location != NSNotFound, best.map({ NSMaxRange(range) >= NSMaxRange($0) }) ?? true {
                    best = range
                }
            }
            guard let range = best else {
                return DotNetGroup(name: slot.name, number: slot.number, success: false, value: "", index: 0, length: 0)
            }
            return DotNetGroup(name: slot.name, number: slot.number, success: true,
                               value: text.substring(with: range), index: range.location, length: range.length)
        })
    }
}
