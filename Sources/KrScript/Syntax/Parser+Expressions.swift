extension Parser {
    /// Evaluation recurses once per operator of a chain: a bound keeps it within the stack.
    static let maxOperatorChain = 1000

    /// Binary operators with their precedence (higher binds tighter).
    static let binaryOperators: [String: (BinaryOperator, Int)] = {
        var t: [String: (BinaryOperator, Int)] = [
            "-and": (.and, 1), "-or": (.or, 1), "-xor": (.xor, 1),
            "-band": (.band, 2), "-bor": (.bor, 2), "-bxor": (.bxor, 2),
            "??": (.coalesce, 3),
            "+": (.add, 5), "-": (.subtract, 5),
            "*": (.multiply, 6), "/": (.divide, 6), "%": (.modulo, 6),
            "-f": (.format, 7), "..": (.range, 8),
            "-join": (.join, 4), "-is": (.is, 4), "-isnot": (.isNot, 4), "-as": (.as, 4),
            "-shl": (.shl, 4), "-shr": (.shr, 4),
        ]
        let kinds: [(String, BinaryOperator.CompareKind)] = [
            ("eq", .eq), ("ne", .ne), ("gt", .gt), ("ge", .ge), ("lt", .lt), ("le", .le),
            ("like", .like), ("notlike", .notLike), ("match", .match), ("notmatch", .notMatch),
            ("contains", .contains), ("notcontains", .notContains), ("in", .in), ("notin", .notIn),
        ]
        for (name, kind) in kinds {
            t["-" + name] = (.compare(kind, caseSensitive: false), 4)
            t["-i" + name] = (.compare(kind, caseSensitive: false), 4)
            t["-c" + name] = (.compare(kind, caseSensitive: true), 4)
        }
        for (prefix, cs) in [("", false), ("i", false), ("c", true)] {
            t["-\(prefix)replace"] = (.replace(caseSensitive: cs), 4)
            t["-\(prefix)split"] = (.split(caseSensitive: cs), 4)
        }
        return t
    }()

    mutating func parseExpression() throws -> Expr {
        let cond = try parseBinary(1)
        let t = try peek()
        guard t.kind == .op("?") else { return cond }
        try next()
        try skipNewlines()
        let a = try parseExpression()
        try skipNewlines()
        let colon = try peek()
        guard colon.kind == .op(":") else { throw error("Missing ':' in the ternary expression.", colon, incomplete: colon.kind == .eof) }
        try next()
        try skipNewlines()
        let b = try parseExpression()
        return TernaryExpr(cond, a, b, loc(t))
    }

    mutating func parseBinary(_ minPrec: Int) throws -> Expr {
        var lhs = try parseArrayLiteral()
        var chain = 0
        while true {
            let t = try peek()
            guard case .op(let o) = t.kind, let (op, prec) = Parser.binaryOperators[o], prec >= minPrec else { return lhs }
            chain += 1
            if chain > Parser.maxOperatorChain {
                throw error("The expression has more than \(Parser.maxOperatorChain) operators in a row; split it into several statements.", t)
            }
            try next()
            try skipNewlines()
            // `??` is right-associative; the others are left-associative.
            let rhs = try parseBinary(op == .coalesce ? prec : prec + 1)
            lhs = BinaryExpr(op, lhs, rhs, loc(t))
        }
    }

    /// `a, b, c`: the comma binds tighter than every binary operator.
    mutating func parseArrayLiteral() throws -> Expr {
        let first = try parseUnary()
        guard try peek().kind == .comma else { return first }
        var items = [first]
        while try peek().kind == .comma {
            try next()
            try skipNewlines()
            items.append(try parseUnary())
        }
        return ArrayLiteralExpr(items, first.loc)
    }

    mutating func parseUnary() throws -> Expr {
        if StackGuard.exhausted { throw error("The expression is nested too deeply to parse.", at: here) }
        let t = try peek()
        switch t.kind {
        case .op("!"), .op("-not"):
            try next()
            try skipNewlines()
            return UnaryExpr("-not", try parseUnary(), loc(t))
        case .op("-"), .op("+"):
            try next()
            let operand = try parseUnary()
            if case .op("+") = t.kind { return UnaryExpr("+", operand, loc(t)) }
            if let c = operand as? ConstantExpr {
                switch c.value {
                case .int(let v) where v != Int32.min: return ConstantExpr(.int(-v), loc(t))
                case .long(let v): return ConstantExpr(.long(-v), loc(t))
                case .double(let v): return ConstantExpr(.double(-v), loc(t))
                default: break
                }
            }
            return UnaryExpr("-", operand, loc(t))
        case .op("-bnot"), .op("-split"), .op("-join"):
            try next()
            guard case .op(let o) = t.kind else { throw unexpected(t) }
            return UnaryExpr(o, try parseUnary(), loc(t))
        case .comma:
            try next()
            return ArrayLiteralExpr([try parseUnary()], loc(t))
        case .op("++"), .op("--"):
            try next()
            let target = try parseUnary()
            return IncrementExpr(target, delta: t.kind == .op("++") ? 1 : -1, prefix: true, loc(t))
        case .lbracket:
            return try parseTypeOrCast()
        default:
            return try parsePostfix(try parsePrimary())
        }
    }

    /// `[type]` followed by an operand is a cast; alone, or followed by `::` or `.`, a type literal.
    private mutating func parseTypeOrCast() throws -> Expr {
        let l = here
        let type = try parseTypeNameInBrackets()
        if let c = lx.current {
            if c == ":" && lx.char(lx.pos + 1) == ":" || c == "." {
                return try parsePostfix(TypeLiteralExpr(type, l))
            }
        }
        let t = try peek()
        switch t.kind {
        case .variable, .number, .literalString, .expandableString, .lparen, .atParen, .atBrace, .dollarParen,
             .lbracket, .op("-"), .op("!"), .op("-not"), .op("+"), .comma, .lbrace, .op("-split"), .op("-join"):
            let operand = try parseUnary()
            return CastExpr(type, operand, l)
        default:
            return TypeLiteralExpr(type, l)
        }
    }

    mutating func parsePrimary() throws -> Expr {
        let t = try next()
        let l = loc(t)
        switch t.kind {
        case .number(let n): return ConstantExpr(Parser.value(n), l)
        case .literalString(let s): return ConstantExpr(.string(s), l)
        case .expandableString(let s, let e, let hereString): return try parseExpandable(start: s, end: e, here: hereString, l)
        case .variable(let name):
            switch name.lowercased() {
            case "true": return ConstantExpr(.bool(true), l)
            case "false": return ConstantExpr(.bool(false), l)
            case "null": return ConstantExpr(.null, l)
            default: return VariableExpr(VariablePath(name), l)
            }
        case .lparen:
            try skipNewlines()
            if try peek().kind == .rparen {
                throw error("An expression was expected after '('.", try peek())
            }
            let s = try parseStatement()
            try skipNewlines()
            let close = try peek()
            guard close.kind == .rparen else {
                throw error("Missing closing ')' in expression.", at: l, incomplete: close.kind == .eof)
            }
            try next()
            return ParenExpr(s, l)
        case .dollarParen:
            let body = try parseStatementList(closer: .rparen, openLoc: l)
            try next()
            return SubExpr(body, l)
        case .atParen:
            let body = try parseStatementList(closer: .rparen, openLoc: l)
            try next()
            return ArraySubExpr(body, l)
        case .atBrace:
            return try parseHashtable(l)
        case .lbrace:
            let body = try parseScriptBlockBody(closer: .rbrace, openLoc: l)
            try next()
            return ScriptBlockExpr(body, l)
        case .eof:
            throw error("An expression was expected.", t, incomplete: true)
        default:
            throw unexpected(t)
        }
    }

    /// Member access, method calls, indexing and postfix `++`/`--`. Whitespace before `.` or `[`
    /// ends the expression, as in PowerShell.
    mutating func parsePostfix(_ base: Expr) throws -> Expr {
        var e = base
        while true {
            guard let c = lx.current else { return e }
            let c1 = lx.char(lx.pos + 1)
            if c == "." && c1 != "." || c == ":" && c1 == ":" || c == "?" && c1 == "." {
                let isStatic = c == ":"
                let nullCond = c == "?"
                lx.reset(to: lx.pos + (c == "." ? 1 : 2))
                let member = try parseMemberName()
                if lx.current == "(" {
                    lx.reset(to: lx.pos + 1)
                    let args = try parseMethodArguments()
                    e = InvokeMemberExpr(e, member, args, isStatic: isStatic, nullConditional: nullCond, member.loc)
                } else {
                    e = MemberExpr(e, member, isStatic: isStatic, nullConditional: nullCond, member.loc)
                }
            } else if c == "[" || c == "?" && c1 == "[" {
                let nullCond = c == "?"
                let open = lx.location(lx.pos)
                lx.reset(to: lx.pos + (nullCond ? 2 : 1))
                try skipNewlines()
                let idx = try parseExpression()
                try skipNewlines()
                let close = try peek()
                guard close.kind == .rbracket else { throw error("Missing ']' after array index expression.", at: open, incomplete: close.kind == .eof) }
                try next()
                e = IndexExpr(e, idx, nullConditional: nullCond, open)
            } else if (c == "+" && c1 == "+" || c == "-" && c1 == "-") && (e is VariableExpr || e is MemberExpr || e is IndexExpr) {
                let l = lx.location(lx.pos)
                lx.reset(to: lx.pos + 2)
                e = IncrementExpr(e, delta: c == "+" ? 1 : -1, prefix: false, l)
            } else {
                return e
            }
        }
    }

    private mutating func parseMemberName() throws -> Expr {
        let l = here
        if let c = lx.current, Lexer.isWordStart(c) {
            let s = lx.pos
            var p = s
            while let d = lx.char(p), Lexer.isWordChar(d) { p += 1 }
            lx.reset(to: p)
            return ConstantExpr(.string(lx.text(s, p)), l)
        }
        let t = try peek()
        switch t.kind {
        case .literalString, .expandableString, .variable, .lparen, .dollarParen:
            return try parsePrimary()
        default:
            throw error("Missing property name after the reference operator.", t, incomplete: t.kind == .eof)
        }
    }

    /// Arguments of a method call after `(`, consuming the `)`.
    private mutating func parseMethodArguments() throws -> [Expr] {
        var args: [Expr] = []
        let open = lx.location(lx.pos - 1)
        try skipNewlines()
        if try peek().kind == .rparen { try next(); return args }
        while true {
            try skipNewlines()
            args.append(try parseBinaryNoComma())
            try skipNewlines()
            let t = try next()
            if t.kind == .rparen { return args }
            if t.kind != .comma { throw error("Missing closing ')' in method call.", at: open, incomplete: t.kind == .eof) }
        }
    }

    /// A method argument: an expression in which a top-level comma separates arguments.
    mutating func parseBinaryNoComma() throws -> Expr {
        let cond = try parseBinaryOperand(1)
        let t = try peek()
        guard t.kind == .op("?") else { return cond }
        try next()
        let a = try parseBinaryNoComma()
        guard try next().kind == .op(":") else { throw error("Missing ':' in the ternary expression.", t) }
        return TernaryExpr(cond, a, try parseBinaryNoComma(), loc(t))
    }

    private mutating func parseBinaryOperand(_ minPrec: Int) throws -> Expr {
        var lhs = try parseUnary()
        while true {
            let t = try peek()
            guard case .op(let o) = t.kind, let (op, prec) = Parser.binaryOperators[o], prec >= minPrec else { return lhs }
            try next()
            try skipNewlines()
            let rhs = try parseBinaryOperand(op == .coalesce ? prec : prec + 1)
            lhs = BinaryExpr(op, lhs, rhs, loc(t))
        }
    }

    // MARK: hashtables

    private mutating func parseHashtable(_ l: SourceLocation) throws -> Expr {
        var entries: [(key: Expr, value: Stmt)] = []
        while true {
            try skipSeparators()
            let t = try peek()
            if t.kind == .rbrace { try next(); break }
            if t.kind == .eof { throw error("Missing closing '}' in hash literal.", at: l, incomplete: true) }
            let key = try parseHashKey()
            try skipNewlines()
            let eq = try peek()
            guard eq.kind == .op("=") else {
                throw error("Missing '=' operator after key in hash literal.", eq, incomplete: eq.kind == .eof)
            }
            try next()
            try skipNewlines()
            let value = try parseStatement()
            entries.append((key, value))
            let after = try peek()
            switch after.kind {
            case .newline, .semicolon, .rbrace: continue
            case .eof: throw error("Missing closing '}' in hash literal.", at: l, incomplete: true)
            default: throw error("Missing statement after '=' in hash literal.", after)
            }
        }
        return HashtableExpr(entries, l)
    }

    private mutating func parseHashKey() throws -> Expr {
        _ = try lx.skipTrivia()
        let l = here
        if let c = lx.current, Lexer.isWordStart(c) {
            let s = lx.pos
            var p = s
            while let d = lx.char(p), Lexer.isWordChar(d) || d == "-" || d == "." { p += 1 }
            lx.reset(to: p)
            return ConstantExpr(.string(lx.text(s, p)), l)
        }
        return try parseUnary()
    }
}
