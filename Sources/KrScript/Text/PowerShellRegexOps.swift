import Foundation

/// PowerShell's regex operators (`-match`, `-replace`, `-split`, unary `-split`) on top of DotNetRegex.
/// Case-insensitive unless `caseSensitive` (the `-c...` forms), as in PowerShell.
enum PowerShellRegexOps {
    /// `$input -match $pattern`: the match for `$Matches`, or nil.
    static func match(_ input: String, pattern: String, caseSensitive: Bool = false) throws -> DotNetMatch? {
        try regex(pattern, caseSensitive: caseSensitive).firstMatch(in: input)
    }

    /// `$input -replace $pattern, $replacement` with .NET substitutions (`$1`, `${name}`, `$$`, ...).
    static func replace(_ input: String, pattern: String, replacement: String = "",
                        caseSensitive: Bool = false) throws -> String {
        try regex(pattern, caseSensitive: caseSensitive).replace(in: input, replacement: replacement)
    }

    /// `$input -split $pattern, $maxSubstrings, $options`.
    /// - maxSubstrings 0: every piece. N > 0: at most N pieces, the last holding the rest
    ///   (`'a,b,c,d' -split ',', 2` is `a`, `b,c,d`). N < 0: PowerShell 7 splits from the right, so the
    ///   first piece holds the rest (`'a,b,c,d' -split ',', -2` is `a,b,c`, `d`).
    /// - Captured groups are kept: `'a1b2c' -split '(\d)'` is `a 1 b 2 c`.
    /// - simpleMatch: the delimiter is literal text (`-split '.', 0, 'SimpleMatch'`).
    static func split(_ input: String, pattern: String, maxSubstrings: Int = 0, caseSensitive: Bool = false,
                      simpleMatch: Bool = false, options: DotNetRegexOptions = []) throws -> [String] {
        var regexOptions = options
        if !caseSensitive { regexOptions.insert(.ignoreCase) }
        let source = simpleMatch ? DotNetRegex.escape(pattern) : pattern
        let regex = try DotNetRegex.cached(source, options: regexOptions)
        if maxSubstrings < 0 { return regex.splitFromRight(input, maxCount: -maxSubstrings) }
        return regex.split(input, maxCount: maxSubstrings)
    }

    /// Unary `-split $input`: trims the input, then splits on runs of white space
    /// (`-split '  red   yellow blue '` is `red yellow blue`; an all-blank input gives one empty string).
    static func unarySplit(_ input: String) -> [String] {
        let trimmed = input.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let whitespace = try? DotNetRegex.cached("\\s+") else { return [trimmed] }
        return whitespace.split(trimmed)
    }

    private static func regex(_ pattern: String, caseSensitive: Bool) throws -> DotNetRegex {
        try DotNetRegex.cached(pattern, options: caseSensitive ? [] : .ignoreCase)
    }
}
