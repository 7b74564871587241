/// The parser: a recursive-descent parser driving the mode-aware lexer. Split by grammar area:
/// statements (Parser+Statements), pipelines and commands (Parser+Commands), expressions
/// (Parser+Expressions), strings and type names (Parser+Strings).
public struct Parser {
    var lx: Lexer
    private var cache: (mode: Lexer.Mode, start: Int, token: Token, end: Int)?

    init(file: SourceFile) {
        lx = Lexer(file: file)
    }

    /// Parses a whole script (an optional `param()` block, then statements).
    static func parseScript(_ file: SourceFile) throws -> ScriptBlockAst {
        var p = Parser(file: file)
        let body = try p.parseScriptBlockBody(closer: nil, openLoc: p.lx.location(0))
        return body
    }

    /// Whether the text is complete, incomplete (the REPL should read more), or has an error.
    public static func check(_ text: String, name: String = "<stdin>") -> Result<Void, ParseError> {
        do {
            _ = try parseScript(SourceFile(name: name, text: text))
            return .success(())
        } catch let e as ParseError {
            return .failure(e)
        } catch {
            return .failure(ParseError(message: "\(error)", location: SourceLocation(file: SourceFile(name: name, text: text), line: 1, column: 1), incomplete: false))
        }
    }

    // MARK: token access

    mutating func peek(_ mode: Lexer.Mode = .expression) throws -> Token {
        if let c = cache, c.mode == mode, c.start == lx.pos { return c.token }
        let start = lx.pos
        let t = try lx.next(mode)
        let end = lx.pos
        lx.reset(to: start)
        cache = (mode, start, t, end)
        return t
    }

    @discardableResult
    mutating func next(_ mode: Lexer.Mode = .expression) throws -> Token {
        let t = try peek(mode)
        if let c = cache { lx.reset(to: c.end) }
        return t
    }

    func loc(_ t: Token) -> SourceLocation { SourceLocation(file: lx.file, line: t.line, column: t.column) }

    var here: SourceLocation { lx.location(lx.pos) }

    func error(_ msg: String, _ t: Token, incomplete: Bool = false) -> ParseError {
        ParseError(message: msg, location: loc(t), incomplete: incomplete || t.kind == .eof)
    }

    func error(_ msg: String, at l: SourceLocation, incomplete: Bool = false) -> ParseError {
        ParseError(message: msg, location: l, incomplete: incomplete)
    }

    mutating func skipNewlines() throws {
        while try peek().kind == .newline { try next() }
    }

    mutating func skipSeparators() throws {
        while true {
            let k = try peek().kind
            if k == .newline || k == .semicolon { try next() } else { break }
        }
    }

    /// Skips trivia, then returns the raw character at the current position (used to decide how a
    /// statement or pipeline element starts, before choosing a lexer mode).
    mutating func peekChar(_ offset: Int = 0) throws -> Unicode.Scalar? {
        _ = try lx.skipTrivia()
        return lx.char(lx.pos + offset)
    }

    /// Reads an identifier-like word at the current position without consuming it.
    mutating func peekWord() throws -> String? {
        _ = try lx.skipTrivia()
        var p = lx.pos
        guard let c = lx.char(p), Lexer.isWordStart(c) else { return nil }
        while let d = lx.char(p), Lexer.isWordChar(d) || d == "-" { p += 1 }
        return lx.text(lx.pos, p)
    }

    static func describe(_ t: Token, _ lx: Lexer) -> String {
        switch t.kind {
        case .eof: return "end of input"
        case .newline: return "newline"
        default: return lx.text(t.start, t.end)
        }
    }

    func unexpected(_ t: Token) -> ParseError {
        if t.kind == .eof { return error("Unexpected end of input.", t, incomplete: true) }
        return error("Unexpected token '\(Parser.describe(t, lx))' in expression or statement.", t)
    }

    mutating func expect(_ kind: Tok, _ what: String, mode: Lexer.Mode = .expression, opener: SourceLocation? = nil) throws -> Token {
        let t = try peek(mode)
        guard t.kind == kind else {
            if let o = opener {
                throw error("Missing closing '\(what)' in statement block or type definition.", at: o, incomplete: t.kind == .eof)
            }
            throw error("Missing '\(what)'.", t, incomplete: t.kind == .eof)
        }
        return try next(mode)
    }
}
