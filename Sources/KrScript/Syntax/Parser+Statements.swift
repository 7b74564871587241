extension Parser {
    static let keywords: Set<String> = [
        "if", "elseif", "else", "switch", "foreach", "for", "while", "do", "until", "function", "filter",
        "return", "break", "continue", "throw", "exit", "try", "catch", "finally", "param", "begin",
        "process", "end", "trap", "in", "data", "dynamicparam", "class", "enum", "using",
    ]

    /// Parses a script block body up to `closer` (`}`) or the end of input: `param()`, then either named
    /// blocks (begin/process/end) or statements (the end block).
    mutating func parseScriptBlockBody(closer: Tok?, openLoc: SourceLocation) throws -> ScriptBlockAst {
        let bodyStart = lx.pos
        try skipSeparators()
        let paramBlock = try parseParamBlockIfPresent()
        try skipSeparators()
        var begin: [Stmt]?, process: [Stmt]?, end: [Stmt]?
        if let w = try peekWord()?.lowercased(), ["begin", "process", "end", "dynamicparam"].contains(w), try isNamedBlockAhead() {
            while let w = try peekWord()?.lowercased(), ["begin", "process", "end", "dynamicparam"].contains(w) {
                try next(.argument)
                let open = try expect(.lbrace, "{")
                let body = try parseStatementList(closer: .rbrace, openLoc: loc(open))
                try next()
                switch w {
                case "begin": begin = body
                case "process": process = body
                default: end = body
                }
                try skipSeparators()
            }
            let t = try peek()
            if let closer, t.kind != closer {
                if t.kind == .eof { throw error("Missing closing '}' in statement block or type definition.", at: openLoc, incomplete: true) }
                throw unexpected(t)
            }
            if closer == nil, t.kind != .eof { throw unexpected(t) }
        } else {
            end = try parseStatementList(closer: closer, openLoc: openLoc)
        }
        let text = lx.text(bodyStart, closer == nil ? lx.src.count : try peek().start)
        return ScriptBlockAst(paramBlock: paramBlock, begin: begin, process: process, end: end, text: text, loc: openLoc)
    }

    private mutating func isNamedBlockAhead() throws -> Bool {
        let save = lx.pos
        defer { lx.reset(to: save) }
        _ = try lx.next(.argument)
        return try lx.next(.expression).kind == .lbrace
    }

    /// Statements up to `closer` (not consumed) or the end of input when `closer` is nil.
    mutating func parseStatementList(closer: Tok?, openLoc: SourceLocation) throws -> [Stmt] {
        var list: [Stmt] = []
        while true {
            try skipSeparators()
            let t = try peek()
            if t.kind == .eof {
                if closer != nil {
                    let what = closer == .rparen ? ")" : "}"
                    throw error(what == ")" ? "Missing closing ')' in expression." : "Missing closing '}' in statement block or type definition.",
                                at: openLoc, incomplete: true)
                }
                return list
            }
            if let closer, t.kind == closer { return list }
            if t.kind == .rbrace || t.kind == .rparen {
                if closer == .rparen && t.kind == .rbrace || closer == .rbrace && t.kind == .rparen {
                    throw error("Missing closing '\(closer == .rparen ? ")" : "}")'.", at: openLoc)
                }
                throw unexpected(t)
            }
            list.append(try parseStatement())
            let after = try peek()
            switch after.kind {
            case .newline, .semicolon, .eof: continue
            case .rbrace, .rparen: continue
            default: throw unexpected(after)
            }
        }
    }

    /// One statement: a keyword statement, a labelled loop, or a pipeline (possibly an assignment).
    mutating func parseStatement() throws -> Stmt {
        if StackGuard.exhausted { throw error("The script is nested too deeply to parse.", at: here) }
        var label: String?
        if try peekChar() == ":", let c = try peekChar(1), Lexer.isWordStart(c) {
            lx.reset(to: lx.pos + 1)
            label = try peekWord()
            try next(.argument)
            try skipNewlines()
        }
        if let w = try peekWord()?.lowercased(), Parser.keywords.contains(w), try keywordStartsStatement(w) {
            let kwTok = try next(.argument)
            let l = loc(kwTok)
            switch w {
            case "if": return try parseIf(l)
            case "while": return try parseWhile(label, l)
            case "do": return try parseDo(label, l)
            case "for": return try parseFor(label, l)
            case "foreach": return try parseForEach(label, l)
            case "switch": return try parseSwitch(label, l)
            case "function", "filter": return try parseFunction(isFilter: w == "filter", l)
            case "try": return try parseTry(l)
            case "throw": return ThrowStmt(try parseOptionalPipeline(), l)
            case "return": return ReturnStmt(try parseOptionalPipeline(), l)
            case "exit": return ExitStmt(try parseOptionalPipeline(), l)
            case "break", "continue":
                var target: String?
                let t = try peek(.argument)
                if case .word(let name) = t.kind { target = name; try next(.argument) }
                return BreakStmt(label: target, isContinue: w == "continue", l)
            default:
                throw error("Unexpected keyword '\(w)'.", kwTok)
            }
        }
        if label != nil { throw error("A label must be followed by a loop statement.", at: here) }
        return try parsePipeline()
    }

    /// `foreach`/`where` etc. are keywords only at statement start followed by what the keyword needs;
    /// `ForEach-Object` is a command (the word reader stops at the dash check below).
    private mutating func keywordStartsStatement(_ w: String) throws -> Bool {
        // A word followed by '-' is a command name (e.g. `Do-Thing`, `End-Task`).
        _ = try lx.skipTrivia()
        var p = lx.pos
        while let c = lx.char(p), Lexer.isWordChar(c) { p += 1 }
        if let c = lx.char(p), c == "-" || c == "." { return false }
        return !["in", "until", "elseif", "else", "catch", "finally", "param", "begin", "process", "end"].contains(w)
    }

    /// A pipeline on the rest of the line, or nil when the line ends here (`return`, `throw`, `exit`).
    mutating func parseOptionalPipeline() throws -> Stmt? {
        let t = try peek()
        switch t.kind {
        case .newline, .semicolon, .eof, .rbrace, .rparen: return nil
        default: return try parsePipeline()
        }
    }

    /// `( pipeline )` for conditions.
    mutating func parseCondition(_ keyword: String) throws -> Stmt {
        try skipNewlines()
        let open = try peek()
        guard open.kind == .lparen else { throw error("Missing '(' after '\(keyword)'.", open, incomplete: open.kind == .eof) }
        try next()
        try skipNewlines()
        let s = try parseStatementAsPipeline()
        try skipNewlines()
        _ = try expect(.rparen, ")", opener: loc(open))
        return s
    }

    /// A statement used where a pipeline is expected (conditions, assignment right-hand sides).
    mutating func parseStatementAsPipeline() throws -> Stmt {
        try parseStatement()
    }

    mutating func parseBlock(_ what: String) throws -> [Stmt] {
        try skipNewlines()
        let open = try peek()
        guard open.kind == .lbrace else {
            throw error("Missing statement block after '\(what)'.", open, incomplete: open.kind == .eof)
        }
        try next()
        let body = try parseStatementList(closer: .rbrace, openLoc: loc(open))
        try next()
        return body
    }

    private mutating func parseIf(_ l: SourceLocation) throws -> Stmt {
        var clauses: [(condition: Stmt, body: [Stmt])] = []
        clauses.append((try parseCondition("if"), try parseBlock("if")))
        var elseBody: [Stmt]?
        while true {
            let save = lx.pos
            try skipNewlines()
            guard let w = try peekWord()?.lowercased() else { lx.reset(to: save); break }
            if w == "elseif" {
                try next(.argument)
                clauses.append((try parseCondition("elseif"), try parseBlock("elseif")))
            } else if w == "else" {
                try next(.argument)
                elseBody = try parseBlock("else")
                break
            } else {
                lx.reset(to: save)
                break
            }
        }
        return IfStmt(clauses, elseBody, l)
    }

    private mutating func parseWhile(_ label: String?, _ l: SourceLocation) throws -> Stmt {
        let c = try parseCondition("while")
        return WhileStmt(label: label, c, try parseBlock("while"), l)
    }

    private mutating func parseDo(_ label: String?, _ l: SourceLocation) throws -> Stmt {
        let body = try parseBlock("do")
        try skipNewlines()
        let t = try peek(.argument)
        guard case .word(let w) = t.kind, ["while", "until"].contains(w.lowercased()) else {
            throw error("Missing 'while' or 'until' in do loop.", t, incomplete: t.kind == .eof)
        }
        try next(.argument)
        let c = try parseCondition(w)
        return DoStmt(label: label, body, c, isUntil: w.lowercased() == "until", l)
    }

    private mutating func parseFor(_ label: String?, _ l: SourceLocation) throws -> Stmt {
        try skipNewlines()
        let open = try expect(.lparen, "(")
        func part(_ p: inout Parser, _ end: Tok) throws -> Stmt? {
            try p.skipNewlines()
            let t = try p.peek()
            if t.kind == end || t.kind == .semicolon { return nil }
            return try p.parseStatement()
        }
        let i = try part(&self, .semicolon)
        try skipNewlines()
        if try peek().kind == .semicolon { try next() }
        let c = try part(&self, .semicolon)
        try skipNewlines()
        if try peek().kind == .semicolon { try next() }
        let it = try part(&self, .rparen)
        try skipNewlines()
        _ = try expect(.rparen, ")", opener: loc(open))
        return ForStmt(label: label, i, c, it, try parseBlock("for"), l)
    }

    private mutating func parseForEach(_ label: String?, _ l: SourceLocation) throws -> Stmt {
        try skipNewlines()
        let open = try expect(.lparen, "(")
        try skipNewlines()
        let v = try next()
        guard case .variable(let name) = v.kind else { throw error("Missing variable name after foreach.", v) }
        try skipNewlines()
        let inTok = try next(.argument)
        guard case .word(let w) = inTok.kind, w.lowercased() == "in" else {
            throw error("Missing 'in' after variable in foreach loop.", inTok, incomplete: inTok.kind == .eof)
        }
        try skipNewlines()
        let coll = try parsePipeline()
        try skipNewlines()
        _ = try expect(.rparen, ")", opener: loc(open))
        return ForEachStmt(label: label, VariablePath(name), coll, try parseBlock("foreach"), l)
    }

    private mutating func parseSwitch(_ label: String?, _ l: SourceLocation) throws -> Stmt {
        var mode = SwitchStmt.Mode.exact
        var caseSensitive = false
        while true {
            let t = try peek(.argument)
            guard case .parameter(let p, _) = t.kind else { break }
            try next(.argument)
            switch p.lowercased() {
            case "regex": mode = .regex
            case "wildcard": mode = .wildcard
            case "exact": mode = .exact
            case "casesensitive": caseSensitive = true
            default: throw error("Unsupported switch option '-\(p)'.", t)
            }
        }
        let subject = try parseCondition("switch")
        try skipNewlines()
        let open = try expect(.lbrace, "{")
        var clauses: [SwitchStmt.Clause] = []
        while true {
            try skipSeparators()
            let t = try peek(.argument)
            if t.kind == .rbrace { try next(); break }
            if t.kind == .eof { throw error("Missing closing '}' in switch statement.", at: loc(open), incomplete: true) }
            var pattern: Expr?
            if case .word(let w) = t.kind, w.lowercased() == "default" {
                try next(.argument)
            } else {
                pattern = try parseCommandArgumentPrimary()
            }
            let body = try parseBlock("switch clause")
            clauses.append(.init(pattern: pattern, body: body))
        }
        return SwitchStmt(label: label, mode: mode, caseSensitive: caseSensitive, subject: subject, clauses: clauses, l)
    }

    private mutating func parseTry(_ l: SourceLocation) throws -> Stmt {
        let body = try parseBlock("try")
        let tryEnd = lx.location(lx.pos - 1)
        var catches: [TryStmt.Catch] = []
        var fin: [Stmt]?
        while true {
            let save = lx.pos
            try skipNewlines()
            guard let w = try peekWord()?.lowercased(), w == "catch" || w == "finally" else { lx.reset(to: save); break }
            try next(.argument)
            if w == "finally" {
                fin = try parseBlock("finally")
                break
            }
            var types: [TypeNameAst] = []
            while try peekChar() == "[" {
                types.append(try parseTypeNameInBrackets())
                if try peek().kind == .comma { try next(); try skipNewlines() }
            }
            catches.append(.init(types: types, body: try parseBlock("catch")))
        }
        if catches.isEmpty && fin == nil {
            let save = lx.pos
            try skipNewlines()
            let t = try peek()
            lx.reset(to: save)
            throw error("The Try statement is missing its Catch or Finally block.", at: tryEnd, incomplete: t.kind == .eof)
        }
        return TryStmt(body, catches, fin, l)
    }

    private mutating func parseFunction(isFilter: Bool, _ l: SourceLocation) throws -> Stmt {
        let nameTok = try next(.argument)
        guard case .word(let name) = nameTok.kind else {
            throw error("Missing function name after 'function'.", nameTok, incomplete: nameTok.kind == .eof)
        }
        var inlineParams: [ParameterAst]?
        try skipNewlines()
        if try peek().kind == .lparen {
            let open = try next()
            inlineParams = try parseParameterList(closer: .rparen, openLoc: loc(open))
            try next()
        }
        try skipNewlines()
        let open = try peek()
        guard open.kind == .lbrace else {
            throw error("Missing function body in function declaration.", open, incomplete: open.kind == .eof)
        }
        try next()
        var body = try parseScriptBlockBody(closer: .rbrace, openLoc: loc(open))
        try next()
        if let inlineParams {
            body = ScriptBlockAst(paramBlock: ParamBlockAst(parameters: inlineParams, attributes: []), begin: body.begin,
                                  process: isFilter ? (body.process ?? body.end) : body.process,
                                  end: isFilter ? nil : body.end, text: body.text, loc: body.loc)
        } else if isFilter && body.process == nil {
            body = ScriptBlockAst(paramBlock: body.paramBlock, begin: body.begin, process: body.end, end: nil, text: body.text, loc: body.loc)
        }
        return FunctionDefStmt(name: name, body: body, isFilter: isFilter, l)
    }

    // MARK: param blocks

    /// `[CmdletBinding()] param( ... )` at the start of a script block.
    mutating func parseParamBlockIfPresent() throws -> ParamBlockAst? {
        let save = lx.pos
        var attrs: [AttributeAst] = []
        while try peekChar() == "[" {
            guard let a = try parseAttributeOrType(), case .attribute(let attr) = a else { lx.reset(to: save); return nil }
            attrs.append(attr)
            try skipSeparators()
        }
        guard let w = try peekWord(), w.lowercased() == "param" else { lx.reset(to: save); return nil }
        try next(.argument)
        try skipNewlines()
        let open = try expect(.lparen, "(")
        let params = try parseParameterList(closer: .rparen, openLoc: loc(open))
        try next()
        return ParamBlockAst(parameters: params, attributes: attrs)
    }

    /// Parameters separated by commas up to `closer` (not consumed).
    mutating func parseParameterList(closer: Tok, openLoc: SourceLocation) throws -> [ParameterAst] {
        var params: [ParameterAst] = []
        while true {
            try skipNewlines()
            let t = try peek()
            if t.kind == closer { return params }
            if t.kind == .eof { throw error("Missing ')' in function parameter list.", at: openLoc, incomplete: true) }
            var attrs: [AttributeAst] = []
            var type: TypeNameAst?
            while try peekChar() == "[" {
                switch try parseAttributeOrType() {
                case .attribute(let a)?: attrs.append(a)
                case .type(let ty)?: type = ty
                case nil: throw error("Unexpected attribute.", try peek())
                }
                try skipNewlines()
            }
            let v = try next()
            guard case .variable(let name) = v.kind else {
                throw error("Missing parameter variable name.", v, incomplete: v.kind == .eof)
            }
            var def: Expr?
            try skipNewlines()
            if try peek().kind == .op("=") {
                try next()
                try skipNewlines()
                def = try parseBinaryNoComma()
            }
            params.append(ParameterAst(variable: VariablePath(name), type: type, defaultValue: def, attributes: attrs, loc: loc(v)))
            try skipNewlines()
            let sep = try peek()
            if sep.kind == .comma { try next(); continue }
            if sep.kind == closer { return params }
            throw error("Missing ',' or ')' in parameter list.", sep, incomplete: sep.kind == .eof)
        }
    }

    enum AttributeOrType {
        case attribute(AttributeAst)
        case type(TypeNameAst)
    }

    /// `[Name(args)]` is an attribute, `[Name]` a type constraint.
    mutating func parseAttributeOrType() throws -> AttributeOrType? {
        _ = try lx.skipTrivia()
        let start = lx.pos
        var p = lx.pos + 1
        while let c = lx.char(p), c == " " { p += 1 }
        let nameStart = p
        while let c = lx.char(p), Lexer.isWordChar(c) || c == "." { p += 1 }
        if lx.char(p) == "(" {
            let name = lx.text(nameStart, p)
            let l = lx.location(start)
            lx.reset(to: p + 1)
            var positional: [Expr] = []
            var named: [(String, Expr?)] = []
            while true {
                try skipNewlines()
                let t = try peek()
                if t.kind == .rparen { try next(); break }
                if case .word(let w) = t.kind {
                    let save = lx.pos
                    try next()
                    try skipNewlines()
                    if try peek().kind == .op("=") {
                        try next()
                        try skipNewlines()
                        named.append((w, try parseBinaryNoComma()))
                    } else if [.comma, .rparen, .newline].contains(try peek().kind) {
                        named.append((w, nil))
                    } else {
                        lx.reset(to: save)
                        positional.append(try parseBinaryNoComma())
                    }
                } else {
                    positional.append(try parseBinaryNoComma())
                }
                try skipNewlines()
                if try peek().kind == .comma { try next() }
            }
            try skipNewlines()
            _ = try expect(.rbracket, "]")
            return .attribute(AttributeAst(name: name, positional: positional, named: named, loc: l))
        }
        return .type(try parseTypeNameInBrackets())
    }
}
