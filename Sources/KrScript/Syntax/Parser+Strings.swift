extension Parser {
    /// `[name]`, `[name[]]`, `[name[T1,T2]]` at the current position (which must be `[`).
    mutating func parseTypeNameInBrackets() throws -> TypeNameAst {
        _ = try lx.skipTrivia()
        let open = lx.pos
        guard lx.current == "[" else { throw error("Missing '['.", at: here) }
        lx.reset(to: lx.pos + 1)
        let t = try parseTypeName(open: open)
        skipSpaces()
        guard lx.current == "]" else { throw error("Missing ']' after type name.", at: lx.location(open), incomplete: lx.current == nil) }
        lx.reset(to: lx.pos + 1)
        return t
    }

    private mutating func skipSpaces() {
        while let c = lx.current, c == " " || c == "\t" { lx.reset(to: lx.pos + 1) }
    }

    private mutating func parseTypeName(open: Int) throws -> TypeNameAst {
        skipSpaces()
        let start = lx.pos
        while let c = lx.current, Lexer.isWordChar(c) || c == "." || c == "`" || c == "+" { lx.reset(to: lx.pos + 1) }
        let name = lx.text(start, lx.pos)
        guard !name.isEmpty else { throw error("Missing type name after '['.", at: lx.location(open), incomplete: lx.current == nil) }
        var generics: [TypeNameAst] = []
        var isArray = false
        while lx.current == "[" {
            if lx.char(lx.pos + 1) == "]" {
                lx.reset(to: lx.pos + 2)
                isArray = true
                continue
            }
            lx.reset(to: lx.pos + 1)
            while true {
                skipSpaces()
                let nested = lx.current == "["
                if nested { lx.reset(to: lx.pos + 1) }
                generics.append(try parseTypeName(open: open))
                skipSpaces()
                if nested {
                    guard lx.current == "]" else { throw error("Missing ']' in generic type arguments.", at: lx.location(open)) }
                    lx.reset(to: lx.pos + 1)
                    skipSpaces()
                }
                if lx.current == "," { lx.reset(to: lx.pos + 1); continue }
                break
            }
            guard lx.current == "]" else { throw error("Missing ']' in generic type arguments.", at: lx.location(open), incomplete: lx.current == nil) }
            lx.reset(to: lx.pos + 1)
        }
        return TypeNameAst(name: name, genericArguments: generics, isArray: isArray, loc: lx.location(start))
    }

    // MARK: expandable strings

    /// Splits the text of a double-quoted string (between offsets `start` and `end` of the source)
    /// into literal text and embedded `$var` / `$( )` expressions.
    mutating func parseExpandable(start: Int, end: Int, here hereString: Bool, _ l: SourceLocation) throws -> Expr {
        var parts: [StringPart] = []
        var text = String.UnicodeScalarView()
        var i = start
        let saved = lx.pos
        defer { lx.reset(to: saved) }
        func flush() {
            if !text.isEmpty { parts.append(.text(String(text))); text.removeAll() }
        }
        while i < end {
            let c = lx.src[i]
            if c == "`" && i + 1 < end {
                let e = lx.src[i + 1]
                i += 2
                switch e {
                case "0": text.append("\0")
                case "a": text.append("\u{07}")
                case "b": text.append("\u{08}")
                case "e": text.append("\u{1B}")
                case "f": text.append("\u{0C}")
                case "n": text.append("\n")
                case "r": text.append("\r")
                case "t": text.append("\t")
                case "v": text.append("\u{0B}")
                case "u" where i < end && lx.src[i] == "{":
                    var j = i + 1
                    var hex = ""
                    while j < end, lx.src[j] != "}" { hex.unicodeScalars.append(lx.src[j]); j += 1 }
                    if let v = UInt32(hex, radix: 16), let s = Unicode.Scalar(v) { text.append(s) }
                    i = j + 1
                default: text.append(e)
                }
                continue
            }
            if !hereString && Lexer.isDoubleQuote(c) && i + 1 < end && Lexer.isDoubleQuote(lx.src[i + 1]) {
                text.append(c)
                i += 2
                continue
            }
            if c == "$" && i + 1 < end {
                if lx.src[i + 1] == "(" {
                    flush()
                    lx.reset(to: i + 2)
                    let open = lx.location(i)
                    let body = try parseStatementList(closer: .rparen, openLoc: open)
                    try next()
                    parts.append(.expr(SubExpr(body, open)))
                    i = lx.pos
                    continue
                }
                lx.reset(to: i + 1)
                if let name = try lx.scanVariableName(), lx.pos <= end {
                    flush()
                    let vl = lx.location(i)
                    switch name.lowercased() {
                    case "true": parts.append(.expr(ConstantExpr(.bool(true), vl)))
                    case "false": parts.append(.expr(ConstantExpr(.bool(false), vl)))
                    case "null": parts.append(.expr(ConstantExpr(.null, vl)))
                    default: parts.append(.expr(VariableExpr(VariablePath(name), vl)))
                    }
                    i = lx.pos
                    continue
                }
            }
            text.append(c)
            i += 1
        }
        flush()
        if parts.isEmpty { return ConstantExpr(.string(""), l) }
        if parts.count == 1, case .text(let s) = parts[0] { return ConstantExpr(.string(s), l) }
        return ExpandableStringExpr(parts, l)
    }
}
