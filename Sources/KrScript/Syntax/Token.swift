/// Tokens of the PowerShell subset. The lexer is driven by the parser, which says which mode it wants:
/// expression mode (operators, numbers, member names) or argument mode (bare words are strings).
enum Tok: Equatable {
    case eof
    case newline
    case semicolon
    /// `$name`, `${name}`, `$scope:name`; the name as written (without `$`).
    case variable(String)
    /// `@name` splatting.
    case splat(String)
    case number(NumberLiteral)
    /// Single-quoted or literal here-string: final text.
    case literalString(String)
    /// Double-quoted or expandable here-string: the offsets of the text between the quotes (escapes
    /// and `$` expansions are applied by the parser, which needs the offsets to parse `$( )`).
    case expandableString(start: Int, end: Int, here: Bool)
    /// A bare word: in argument mode a string; in expression mode a keyword, member or command name.
    case word(String)
    /// `-Name` in argument mode; `colon` when written `-Name:`.
    case parameter(String, colon: Bool)
    /// An operator such as `-eq`, `+`, `..`, `=`, `+=`, `!`, `??`.
    case op(String)
    case lparen, rparen, lbrace, rbrace, lbracket, rbracket
    /// `@(`, `@{`, `$(`
    case atParen, atBrace, dollarParen
    case comma, dot, doubleColon, pipe
    /// `?.` and `?[`
    case nullDot, nullBracket
    case ampersand
    /// `:label` at the start of a statement.
    case label(String)
    /// A redirection such as `>`, `2>&1`, `*>`, `>>`.
    case redirect(String)
}

/// A number literal, already typed as PowerShell types it.
enum NumberLiteral: Equatable {
    case int(Int32)
    case long(Int64)
    case double(Double)
    case decimal(Double)
}

struct Token {
    let kind: Tok
    let line: Int
    let column: Int
    /// Offset (in scalars) of the token's first character, and of the end.
    let start: Int
    let end: Int
    /// Whitespace (or a line start) comes right before this token.
    let spaceBefore: Bool
}
