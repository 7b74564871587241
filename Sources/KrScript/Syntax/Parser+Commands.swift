extension Parser {
    static let assignmentOperators: Set<String> = ["=", "+=", "-=", "*=", "/=", "%=", "??="]

    /// A pipeline, or an assignment whose right-hand side is a statement.
    mutating func parsePipeline() throws -> Stmt {
        let startLoc = here
        var elements: [PipelineElement] = []
        var discardOut = false, merge = false, discardErr = false
        let first = try parsePipelineElement()
        if case .expression(let e) = first {
            let t = try peek()
            if case .op(let op) = t.kind, Parser.assignmentOperators.contains(op) {
                try next()
                try skipNewlines()
                let (targets, constraints) = try assignmentTargets(e, t)
                let value = try parseStatement()
                return AssignmentStmt(op: op, targets: targets, constraints: constraints, value: value, loc(t))
            }
        }
        elements.append(first)
        while true {
            let t = try peek()
            if case .redirect(let r) = t.kind {
                try next()
                try parseRedirection(r, t, &discardOut, &merge, &discardErr)
                continue
            }
            guard t.kind == .pipe else { break }
            try next()
            try skipNewlines()
            elements.append(try parsePipelineElement())
        }
        return PipelineStmt(elements, discardOutput: discardOut, mergeErrors: merge, discardErrors: discardErr, startLoc)
    }

    private mutating func parseRedirection(_ r: String, _ t: Token, _ discardOut: inout Bool, _ merge: inout Bool, _ discardErr: inout Bool) throws {
        let ampersand = r == "2>" ? try peekChar() == "&" : false
        if r == "*>&1" || ampersand {
            if r == "2>" { lx.reset(to: lx.pos + 2) }
            merge = true
            return
        }
        let target = try next(.argument)
        guard case .variable(let v) = target.kind, v.lowercased() == "null" else {
            throw error("Redirection to a file is not supported; use Set-Content or Out-File.", target)
        }
        switch r {
        case "2>": discardErr = true
        case "*>": discardErr = true; discardOut = true
        default: discardOut = true
        }
    }

    private func assignmentTargets(_ e: Expr, _ t: Token) throws -> ([Expr], [TypeNameAst?]) {
        func one(_ x: Expr) throws -> (Expr, TypeNameAst?) {
            if let c = x as? CastExpr {
                let (inner, innerType) = try one(c.operand)
                return (inner, innerType ?? c.type)
            }
            if x is VariableExpr || x is MemberExpr || x is IndexExpr { return (x, nil) }
            if let k = x as? ConstantExpr, k.value.isNull { return (VariableExpr(VariablePath("null"), k.loc), nil) }
            throw ParseError(message: "The assignment expression is not valid. The input to an assignment operator must be an object that is able to accept assignments, such as a variable or a property.",
                             location: x.loc, incomplete: false)
        }
        if let arr = e as? ArrayLiteralExpr {
            let parts = try arr.elements.map(one)
            return (parts.map(\.0), parts.map(\.1))
        }
        let (x, ty) = try one(e)
        return ([x], [ty])
    }

    /// Decides from the first characters whether a pipeline element is a command or an expression.
    mutating func parsePipelineElement() throws -> PipelineElement {
        guard let c = try peekChar() else { throw unexpected(try peek()) }
        let c1 = try peekChar(1)
        if c == "&" && c1 != "&" {
            let t = try next()
            return .command(try parseCommand(invocation: .call, loc(t)))
        }
        if c == ".", let d = c1, d == " " || d == "\t" || d == "$" || d == "{" || d == "'" || d == "\"" || d == "(" {
            let t = try next()
            return .command(try parseCommand(invocation: .dot, loc(t)))
        }
        if Lexer.isWordStart(c) || c == "%" && isSpaceOrEnd(c1) || c == "?" && isSpaceOrEnd(c1)
            || c == "." && (c1 == "/" || c1 == "\\" || c1 == ".") || c == "/" || c == "\\" {
            let l = here
            return .command(try parseCommand(invocation: .normal, l))
        }
        return .expression(try parseExpression())
    }

    private func isSpaceOrEnd(_ c: Unicode.Scalar?) -> Bool {
        guard let c else { return true }
        return c == " " || c == "\t" || c == "\n" || c == "\r"
    }

    /// A command: its name then parameters and arguments in argument mode.
    mutating func parseCommand(invocation: CommandAst.Invocation, _ l: SourceLocation) throws -> CommandAst {
        var name: String?
        var nameExpr: Expr?
        if invocation == .normal {
            let t = try next(.argument)
            guard case .word(let w) = t.kind else { throw unexpected(t) }
            name = w
        } else {
            let t = try peek(.argument)
            if case .word(let w) = t.kind {
                try next(.argument)
                name = w
            } else {
                nameExpr = try parseCommandArgumentPrimary()
            }
        }
        var elements: [CommandElement] = []
        while true {
            let t = try peek(.argument)
            switch t.kind {
            case .newline, .semicolon, .rparen, .rbrace, .eof, .pipe, .redirect:
                return CommandAst(name: name, nameExpr: nameExpr, elements: elements, invocation: invocation, loc: l)
            case .ampersand:
                throw error("The ampersand (&) character is not allowed here.", t)
            case .parameter(let p, let colon):
                try next(.argument)
                var arg: Expr?
                if colon { arg = try parseCommandArgumentPrimary() }
                elements.append(.parameter(name: p, argument: arg, loc: loc(t)))
            case .splat(let v):
                try next(.argument)
                elements.append(.splat(VariablePath(v), loc(t)))
            default:
                elements.append(.argument(try parseCommandArgument()))
            }
        }
    }

    /// An argument, with commas building an array (`Show-Pair 1, 2`).
    mutating func parseCommandArgument() throws -> Expr {
        let first = try parseCommandArgumentPrimary()
        guard try peek(.argument).kind == .comma else { return first }
        var items = [first]
        while try peek(.argument).kind == .comma {
            try next(.argument)
            try skipNewlines()
            items.append(try parseCommandArgumentPrimary())
        }
        return ArrayLiteralExpr(items, first.loc)
    }

    /// One argument value: a bare word (a string), a number, or a primary expression with its
    /// member and index accesses.
    mutating func parseCommandArgumentPrimary() throws -> Expr {
        let t = try peek(.argument)
        switch t.kind {
        case .word(let w):
            try next(.argument)
            return ConstantExpr(.string(w), loc(t))
        case .number(let n):
            try next(.argument)
            return ConstantExpr(Parser.value(n), loc(t))
        case .lbrace, .variable, .literalString, .expandableString, .lparen, .atParen, .atBrace, .dollarParen:
            let p = try parsePrimary()
            return try parsePostfix(p)
        case .comma:
            throw error("Missing argument in parameter list.", t)
        default:
            if try peekChar() == "[" {
                return try parseUnary()
            }
            throw unexpected(t)
        }
    }

    static func value(_ n: NumberLiteral) -> Value {
        switch n {
        case .int(let v): return .int(v)
        case .long(let v): return .long(v)
        case .double(let v): return .double(v)
        case .decimal(let v): return .decimal(v)
        }
    }
}
