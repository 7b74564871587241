/// The mode-aware scanner. The parser asks for the next token in the mode it is in; tokens are not
/// pre-split because PowerShell's tokens depend on that mode (`-eq` vs `-Name`, `1kb` vs `a.txt`).
struct Lexer {
    enum Mode { case expression, argument }

    let file: SourceFile
    let src: [Unicode.Scalar]
    private(set) var pos = 0
    private var lineStarts: [Int] = [0]

    init(file: SourceFile) {
        self.file = file
        self.src = Array(file.text.unicodeScalars)
        for (i, c) in src.enumerated() where c == "\n" { lineStarts.append(i + 1) }
    }

    // MARK: positions

    func lineColumn(_ offset: Int) -> (Int, Int) {
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return (lo + 1, offset - lineStarts[lo] + 1)
    }

    func location(_ offset: Int) -> SourceLocation {
        let (l, c) = lineColumn(offset)
        return SourceLocation(file: file, line: l, column: c)
    }

    mutating func reset(to offset: Int) { pos = offset }

    func char(_ i: Int) -> Unicode.Scalar? { i < src.count ? src[i] : nil }
    var current: Unicode.Scalar? { char(pos) }

    func error(_ msg: String, at offset: Int, incomplete: Bool = false) -> ParseError {
        ParseError(message: msg, location: location(offset), incomplete: incomplete)
    }

    func text(_ from: Int, _ to: Int) -> String {
        var s = String.UnicodeScalarView()
        s.append(contentsOf: src[from..<min(to, src.count)])
        return String(s)
    }

    // MARK: trivia

    /// Skips spaces, comments and backtick line continuations. Returns whether anything was skipped.
    mutating func skipTrivia() throws -> Bool {
        let start = pos
        while let c = current {
            if c == " " || c == "\t" || c == "\r" || c == "\u{FEFF}" || c == "\u{A0}" || c == "\u{0C}" {
                pos += 1
            } else if c == "#" {
                while let d = current, d != "\n" { pos += 1 }
            } else if c == "<" && char(pos + 1) == "#" {
                let open = pos
                pos += 2
                while true {
                    guard let d = current else {
                        throw error("The block comment is not closed: '#>' is missing.", at: open, incomplete: true)
                    }
                    if d == "#" && char(pos + 1) == ">" { pos += 2; break }
                    pos += 1
                }
            } else if c == "`" && (char(pos + 1) == "\n" || (char(pos + 1) == "\r" && char(pos + 2) == "\n")) {
                pos += char(pos + 1) == "\n" ? 2 : 3
            } else {
                break
            }
        }
        return pos > start
    }

    // MARK: tokens

    mutating func next(_ mode: Mode) throws -> Token {
        let spaced = try skipTrivia() || pos == 0 || char(pos - 1) == "\n"
        let start = pos
        let kind = try scan(mode)
        let (l, c) = lineColumn(start)
        return Token(kind: kind, line: l, column: c, start: start, end: pos, spaceBefore: spaced)
    }

    private mutating func scan(_ mode: Mode) throws -> Tok {
        guard let c = current else { return .eof }
        switch c {
        case "\n": pos += 1; return .newline
        case ";": pos += 1; return .semicolon
        case "(": pos += 1; return .lparen
        case ")": pos += 1; return .rparen
        case "{": pos += 1; return .lbrace
        case "}": pos += 1; return .rbrace
        case "]": pos += 1; return .rbracket
        case ",": pos += 1; return .comma
        case "|":
            pos += 1
            return .pipe
        case "&":
            pos += 1
            return .ampersand
        case "'", "\u{2018}", "\u{2019}": return try scanSingleQuoted()
        case "\"", "\u{201C}", "\u{201D}": return try scanDoubleQuoted()
        case "$": return try scanDollar()
        case "@": return try scanAt(mode)
        default: break
        }
        if mode == .argument { return try scanArgument() }
        return try scanExpression(c)
    }

    // MARK: expression mode

    private static let dashOperators: Set<String> = [
        "eq", "ne", "gt", "ge", "lt", "le", "ieq", "ine", "igt", "ige", "ilt", "ile",
        "ceq", "cne", "cgt", "cge", "clt", "cle", "like", "notlike", "ilike", "inotlike", "clike", "cnotlike",
        "match", "notmatch", "imatch", "inotmatch", "cmatch", "cnotmatch", "replace", "ireplace", "creplace",
        "split", "isplit", "csplit", "join", "contains", "notcontains", "icontains", "inotcontains",
        "ccontains", "cnotcontains", "in", "notin", "iin", "inotin", "cin", "cnotin", "is", "isnot", "as",
        "and", "or", "xor", "not", "band", "bor", "bxor", "bnot", "shl", "shr", "f",
    ]

    static func isDash(_ c: Unicode.Scalar) -> Bool {
        c == "-" || c == "\u{2013}" || c == "\u{2014}" || c == "\u{2015}"
    }

    static func isWordStart(_ c: Unicode.Scalar) -> Bool {
        c.properties.isAlphabetic || c == "_"
    }

    static func isWordChar(_ c: Unicode.Scalar) -> Bool {
        c.properties.isAlphabetic || c == "_" || ("0"..."9").contains(c)
    }

    private mutating func scanExpression(_ c: Unicode.Scalar) throws -> Tok {
        let start = pos
        if ("0"..."9").contains(c) || (c == "." && char(pos + 1).map { ("0"..."9").contains($0) } == true) {
            if let n = scanNumber(stopAtWordChar: true) { return .number(n) }
            pos = start
        }
        if Lexer.isWordStart(c) {
            while let d = current, Lexer.isWordChar(d) || d == "-" && isCommandLikeDash() { pos += 1 }
            return .word(text(start, pos))
        }
        pos += 1
        switch c {
        case "-", "\u{2013}", "\u{2014}", "\u{2015}":
            if let d = current, d.properties.isAlphabetic {
                var end = pos
                while let e = char(end), Lexer.isWordChar(e) { end += 1 }
                let word = text(pos, end).lowercased()
                if Lexer.dashOperators.contains(word) { pos = end; return .op("-" + word) }
                return .op("-")
            }
            if current == "-" { pos += 1; return .op("--") }
            if current == "=" { pos += 1; return .op("-=") }
            return .op("-")
        case "+":
            if current == "+" { pos += 1; return .op("++") }
            if current == "=" { pos += 1; return .op("+=") }
            return .op("+")
        case "*":
            if current == "=" { pos += 1; return .op("*=") }
            if current == ">" { pos += 1; if current == "&" { pos += 2; return .redirect("*>&1") }; return .redirect("*>") }
            return .op("*")
        case "/":
            if current == "=" { pos += 1; return .op("/=") }
            return .op("/")
        case "%":
            if current == "=" { pos += 1; return .op("%=") }
            return .op("%")
        case "=": return .op("=")
        case "!": return .op("!")
        case "?":
            if current == "?" {
                pos += 1
                if current == "=" { pos += 1; return .op("??=") }
                return .op("??")
            }
            if current == "." { pos += 1; return .nullDot }
            if current == "[" { pos += 1; return .nullBracket }
            return .op("?")
        case ":":
            if current == ":" { pos += 1; return .doubleColon }
            return .op(":")
        case ".":
            if current == "." { pos += 1; return .op("..") }
            return .dot
        case "[": return .lbracket
        case ">":
            if current == ">" { pos += 1; return .redirect(">>") }
            return .redirect(">")
        case "2" where current == ">":
            return .redirect("2>")
        default:
            pos = start
            throw error("Unexpected character '\(c)'.", at: start)
        }
    }

    /// Inside a word in expression mode a dash continues it only for command-like names (`Get-Date`)
    /// when the dash is followed by a letter; member names never contain dashes, so the parser only
    /// asks for expression-mode words where that cannot matter.
    private func isCommandLikeDash() -> Bool { false }

    // MARK: argument mode

    private static let argumentTerminators: Set<Unicode.Scalar> = [
        " ", "\t", "\r", "\n", ";", ",", "|", "(", ")", "{", "}", "&", "\u{A0}",
    ]

    private mutating func scanArgument() throws -> Tok {
        let start = pos
        guard let c = current else { return .eof }
        if Lexer.isDash(c), let d = char(pos + 1), Lexer.isWordStart(d) || d == "?" {
            pos += 1
            let nameStart = pos
            while let e = current, !Lexer.argumentTerminators.contains(e), e != ":", e != "." || false {
                pos += 1
            }
            let name = text(nameStart, pos)
            if current == ":" { pos += 1; return .parameter(name, colon: true) }
            return .parameter(name, colon: false)
        }
        if c == ">" || (c == "2" && char(pos + 1) == ">") || (c == "*" && char(pos + 1) == ">") {
            return try scanExpression(c)
        }
        if Lexer.isDash(c) || ("0"..."9").contains(c) || c == "." || c == "+" {
            if let n = scanNumber(stopAtWordChar: false) {
                if pos >= src.count || Lexer.argumentTerminators.contains(src[pos]) { return .number(n) }
            }
            pos = start
        }
        while let e = current, !Lexer.argumentTerminators.contains(e) {
            if e == "`", let f = char(pos + 1) { pos += 2; _ = f; continue }
            if (e == "'" || e == "\"") && pos > start { break }
            pos += 1
        }
        if pos == start { pos += 1 }
        return .word(unescapeBareWord(text(start, pos)))
    }

    private func unescapeBareWord(_ s: String) -> String {
        guard s.contains("`") else { return s }
        var out = "", escape = false
        for ch in s {
            if escape { out.append(ch); escape = false } else if ch == "`" { escape = true } else { out.append(ch) }
        }
        return out
    }

    // MARK: numbers

    /// Scans a number literal at `pos` (with an optional sign in argument mode). Returns nil and leaves
    /// `pos` anywhere when the text is not a number.
    mutating func scanNumber(stopAtWordChar: Bool) -> NumberLiteral? {
        var negative = false
        if let c = current, Lexer.isDash(c) || c == "+" {
            negative = Lexer.isDash(c)
            pos += 1
        }
        let start = pos
        if current == "0", let x = char(pos + 1), x == "x" || x == "X" {
            pos += 2
            let hs = pos
            while let h = current, h.properties.isASCIIHexDigit { pos += 1 }
            guard pos > hs, let v = UInt64(text(hs, pos), radix: 16) else { return nil }
            let suffix = scanSuffix()
            guard let suf = suffix else { return nil }
            if let w = current, stopAtWordChar && Lexer.isWordChar(w) { return nil }
            var n: NumberLiteral
            if suf.long || v > UInt64(UInt32.max) {
                n = .long(Int64(bitPattern: v))
            } else {
                n = .int(Int32(bitPattern: UInt32(v)))
            }
            n = applyMultiplier(n, suf.multiplier)
            return negative ? negate(n) : n
        }
        var isReal = false
        while let d = current, ("0"..."9").contains(d) { pos += 1 }
        if current == ".", let d = char(pos + 1), ("0"..."9").contains(d) {
            isReal = true
            pos += 1
            while let d = current, ("0"..."9").contains(d) { pos += 1 }
        }
        if pos == start { return nil }
        if let e = current, e == "e" || e == "E" {
            var p = pos + 1
            if let s = char(p), s == "+" || s == "-" { p += 1 }
            if let d = char(p), ("0"..."9").contains(d) {
                isReal = true
                pos = p
                while let d = current, ("0"..."9").contains(d) { pos += 1 }
            }
        }
        let digits = text(start, pos)
        guard let suf = scanSuffix() else { return nil }
        if let w = current, stopAtWordChar && Lexer.isWordChar(w) { return nil }
        var n: NumberLiteral
        if suf.decimal {
            n = .decimal(Double(digits) ?? 0)
        } else if isReal {
            n = .double(Double(digits) ?? 0)
        } else if suf.long {
            guard let v = Int64(digits) else { return nil }
            n = .long(v)
        } else if let v = Int32(digits) {
            n = .int(v)
        } else if let v = Int64(digits) {
            n = .long(v)
        } else {
            n = .double(Double(digits) ?? 0)
        }
        n = applyMultiplier(n, suf.multiplier)
        return negative ? negate(n) : n
    }

    private mutating func scanSuffix() -> (long: Bool, decimal: Bool, multiplier: Int64)? {
        var long = false, dec = false
        if let c = current, c == "l" || c == "L" { long = true; pos += 1 } else if let c = current, c == "d" || c == "D" {
            dec = true; pos += 1
        }
        var mult: Int64 = 1
        if let a = current, let b = char(pos + 1), b == "b" || b == "B" {
            switch a {
            case "k", "K": mult = 1 << 10
            case "m", "M": mult = 1 << 20
            case "g", "G": mult = 1 << 30
            case "t", "T": mult = 1 << 40
            case "p", "P": mult = 1 << 50
            default: break
            }
            if mult != 1 { pos += 2 }
        }
        return (long, dec, mult)
    }

    private func applyMultiplier(_ n: NumberLiteral, _ m: Int64) -> NumberLiteral {
        guard m != 1 else { return n }
        switch n {
        case .int(let v):
            let r = Int64(v) * m
            return r <= Int64(Int32.max) ? .int(Int32(r)) : .long(r)
        case .long(let v): return .long(v &* m)
        case .double(let v): return .double(v * Double(m))
        case .decimal(let v): return .decimal(v * Double(m))
        }
    }

    private func negate(_ n: NumberLiteral) -> NumberLiteral {
        switch n {
        case .int(let v): return v == Int32.min ? .long(-Int64(v)) : .int(-v)
        case .long(let v): return .long(-v)
        case .double(let v): return .double(-v)
        case .decimal(let v): return .decimal(-v)
        }
    }

    // MARK: variables and @

    static func isVariableChar(_ c: Unicode.Scalar) -> Bool {
        isWordChar(c) || c == "?"
    }

    static let scopePrefixes: Set<String> = ["global", "script", "local", "private", "env", "variable", "function", "using"]

    /// Scans a variable name after `$` (used by the lexer and by string interpolation).
    /// Returns nil when no name follows.
    mutating func scanVariableName() throws -> String? {
        guard let c = current else { return nil }
        if c == "{" {
            let open = pos
            pos += 1
            var name = ""
            while let d = current, d != "}" {
                if d == "`", let e = char(pos + 1) { name.unicodeScalars.append(e); pos += 2; continue }
                name.unicodeScalars.append(d)
                pos += 1
            }
            guard current == "}" else {
                throw error("Missing '}' at the end of the variable name.", at: open, incomplete: true)
            }
            pos += 1
            return name
        }
        if c == "_" && !(char(pos + 1).map(Lexer.isVariableChar) ?? false) { pos += 1; return "_" }
        if c == "?" || c == "$" || c == "^" { pos += 1; return String(c) }
        guard Lexer.isVariableChar(c) else { return nil }
        let start = pos
        while let d = current, Lexer.isVariableChar(d) { pos += 1 }
        if current == ":", let d = char(pos + 1), Lexer.isWordStart(d),
           Lexer.scopePrefixes.contains(text(start, pos).lowercased()) {
            pos += 1
            while let e = current, Lexer.isVariableChar(e) { pos += 1 }
        }
        return text(start, pos)
    }

    private mutating func scanDollar() throws -> Tok {
        let start = pos
        pos += 1
        if current == "(" { pos += 1; return .dollarParen }
        if let name = try scanVariableName() { return .variable(name) }
        pos = start + 1
        return .word("$")
    }

    private mutating func scanAt(_ mode: Mode) throws -> Tok {
        let start = pos
        pos += 1
        switch current {
        case "(": pos += 1; return .atParen
        case "{": pos += 1; return .atBrace
        case "\"", "'":
            return try scanHereString(start: start)
        default:
            if let c = current, Lexer.isVariableChar(c) {
                let s = pos
                while let d = current, Lexer.isVariableChar(d) { pos += 1 }
                return .splat(text(s, pos))
            }
            throw error("Unrecognized token '@'.", at: start)
        }
    }

    // MARK: strings

    private mutating func scanSingleQuoted() throws -> Tok {
        let open = pos
        pos += 1
        var s = String.UnicodeScalarView()
        while true {
            guard let c = current else {
                throw error("The string is missing the terminator: '.", at: open, incomplete: true)
            }
            if Lexer.isSingleQuote(c) {
                if let d = char(pos + 1), Lexer.isSingleQuote(d) { s.append(c); pos += 2; continue }
                pos += 1
                break
            }
            s.append(c)
            pos += 1
        }
        return .literalString(String(s))
    }

    static func isSingleQuote(_ c: Unicode.Scalar) -> Bool { c == "'" || c == "\u{2018}" || c == "\u{2019}" }
    static func isDoubleQuote(_ c: Unicode.Scalar) -> Bool { c == "\"" || c == "\u{201C}" || c == "\u{201D}" }

    /// Scans a double-quoted string to its closing quote, skipping over `$( ... )` subexpressions
    /// (which may contain quotes). Returns the raw inner text.
    private mutating func scanDoubleQuoted() throws -> Tok {
        let open = pos
        pos += 1
        let start = pos
        while true {
            guard let c = current else {
                throw error("The string is missing the terminator: \".", at: open, incomplete: true)
            }
            if c == "`" { pos += 2; continue }
            if Lexer.isDoubleQuote(c) {
                if let d = char(pos + 1), Lexer.isDoubleQuote(d) { pos += 2; continue }
                break
            }
            if c == "$" && char(pos + 1) == "(" {
                pos += 2
                try skipBalancedSubexpression(open: open)
                continue
            }
            pos += 1
        }
        let end = pos
        pos += 1
        return .expandableString(start: start, end: end, here: false)
    }

    /// After `$(`: moves past the matching `)`, stepping over nested strings and parens.
    mutating func skipBalancedSubexpression(open: Int) throws {
        var depth = 1
        while depth > 0 {
            guard let c = current else {
                throw error("The string is missing the terminator: \".", at: open, incomplete: true)
            }
            switch c {
            case "(": depth += 1; pos += 1
            case ")": depth -= 1; pos += 1
            case "'": _ = try scanSingleQuoted()
            case "\"": _ = try scanDoubleQuoted()
            case "`": pos += 2
            case "#":
                while let d = current, d != "\n" { pos += 1 }
            default: pos += 1
            }
        }
    }

    private mutating func scanHereString(start: Int) throws -> Tok {
        guard let q = current else { throw error("Unrecognized token '@'.", at: start) }
        let expandable = q == "\""
        pos += 1
        while let c = current, c == " " || c == "\t" { pos += 1 }
        if current == "\r" { pos += 1 }
        guard current == "\n" else {
            throw error("No characters are allowed after a here-string header but before the end of the line.", at: pos)
        }
        pos += 1
        let contentStart = pos
        var lineStart = pos
        while true {
            guard pos < src.count else {
                throw error("The string is missing the terminator: \(q)@.", at: start, incomplete: true)
            }
            if pos == lineStart {
                var p = pos
                while let c = char(p), c == " " || c == "\t" { p += 1 }
                if char(p) == q && char(p + 1) == "@" {
                    var end = lineStart - 1
                    if end > contentStart, src[end - 1] == "\r" { end -= 1 }
                    let bodyEnd = max(end, contentStart)
                    pos = p + 2
                    if expandable { return .expandableString(start: contentStart, end: bodyEnd, here: true) }
                    return .literalString(text(contentStart, bodyEnd))
                }
            }
            if src[pos] == "\n" { lineStart = pos + 1 }
            pos += 1
        }
    }
}
