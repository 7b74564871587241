import Foundation

/// Shared evaluation helpers: statement lists with PowerShell's error rules, statement values,
/// assignment, and binary-operator dispatch.
extension Stmt {
    /// The collected output: nothing is $null, one item itself, several an array.
    func value(_ c: ExecutionContext) throws -> Value {
        let pipe = CollectingPipe()
        try exec(c, pipe)
        return pipe.result
    }

    func truth(_ c: ExecutionContext) throws -> Bool { Conversions.toBool(try value(c)) }
}

enum Interpreter {
    /// Runs statements in order. A statement-terminating error is printed and the next statement runs,
    /// unless a try block is active or ErrorAction is Stop (then it propagates).
    static func execBlock(_ stmts: [Stmt], _ c: ExecutionContext, _ out: OutputPipe) throws {
        for s in stmts {
            do {
                try s.exec(c, out)
            } catch let e as RuntimeError {
                try statementFailed(e, c)
            }
        }
    }

    /// A statement of a block failed: the error ends the script (rethrown) inside try, with
    /// ErrorAction Stop or when it reaches that far; otherwise it is printed and the block goes on.
    static func statementFailed(_ error: RuntimeError, _ c: ExecutionContext) throws {
        var e = error
        if e.reach == .script || c.tryDepth > 0 { throw e }
        if c.errorActionStop {
            e.reach = .script
            throw e
        }
        c.writeErrorRecord(e)
    }

    /// The value of a statement used as an expression: an expression's own value, else the collected
    /// output (nothing is $null, one item itself, several an array).
    @inline(__always)
    static func valueOf(_ s: Stmt, _ c: ExecutionContext) throws -> Value {
        try s.value(c)
    }

    /// The truth of a condition statement.
    @inline(__always)
    static func condition(_ s: Stmt, _ c: ExecutionContext) throws -> Bool {
        try s.truth(c)
    }

    /// Stores a value into an assignable expression.
    static func assign(_ target: Expr, _ value: Value, _ c: ExecutionContext, constraint: TypeNameAst?) throws {
        switch target {
        case let v as VariableExpr:
            if v.path.id == VarID.null { return }
            if let constraint {
                let t = try TypeRegistry.shared.resolve(constraint)
                let converted = try Conversions.convert(value, to: t, c, v.loc)
                let scope: Scope
                switch v.path.qualifier {
                case .global: scope = c.globalScope
                case .script: scope = c.scope.scriptScope
                default: scope = c.scope
                }
                if let existing = scope.local(v.path.id) {
                    existing.typeConstraint = t
                    existing.value = converted
                } else {
                    scope.add(v.path.id, PSVariable(name: v.path.name, value: converted, typeConstraint: t))
                }
                return
            }
            if v.path.qualifier == .none, let existing = c.scope.local(v.path.id) {
                do { try c.store(existing, value) } catch let e as RuntimeError { throw e.located(v.loc) }
                return
            }
            try c.setVariable(v.path, value)
        case let m as MemberExpr:
            let t = try m.target.eval(c)
            let name = Conversions.toString(try m.member.eval(c), c)
            if m.isStatic {
                throw RuntimeError("Static property '\(name)' cannot be set.", at: m.loc)
            }
            try Members.set(t, name, value, c, m.loc)
        case let i as IndexExpr:
            let t = try i.target.eval(c)
            do { try Members.setIndex(t, try i.index.eval(c), value, c, i.loc) } catch let e as RuntimeError { throw e.located(i.loc) }
        case let cast as CastExpr:
            try assign(cast.operand, value, c, constraint: cast.type)
        default:
            throw RuntimeError("The assignment expression is not valid.", at: target.loc)
        }
    }

    // MARK: binary operators

    static func binary(_ op: BinaryOperator, _ a: Value, _ b: Value, _ c: ExecutionContext, _ loc: SourceLocation) throws -> Value {
        switch op {
        case .add: return try Operators.add(a, b, loc, c)
        case .subtract: return try Operators.subtract(a, b, loc)
        case .multiply: return try Operators.multiply(a, b, loc, c)
        case .divide: return try Operators.divide(a, b, loc)
        case .modulo: return try Operators.modulo(a, b, loc)
        case .range: return try Operators.range(a, b, loc)
        case .format: return try TextOperators.format(a, b, c, loc)
        case .xor: return .bool(Conversions.toBool(a) != Conversions.toBool(b))
        case .band, .bor, .bxor, .shl, .shr: return try Operators.bitwise(op, a, b, loc)
        case .join:
            let sep = Conversions.toString(b, c)
            return .string((Operators.elements(a) ?? [a]).map { Conversions.toString($0, c) }.joined(separator: sep))
        case .replace(let cs): return try TextOperators.replace(a, b, caseSensitive: cs, c, loc)
        case .split(let cs): return try TextOperators.split(a, b, caseSensitive: cs, c, loc)
        case .is, .isNot:
            let t = try typeOperand(b, c, loc)
            let r = Conversions.isInstance(a, of: t)
            return .bool(op == .is ? r : !r)
        case .as:
            let t = try typeOperand(b, c, loc)
            if case .string(let s) = a, [.int32, .int64, .double].contains(t.kind), Conversions.parseNumber(s) == nil { return .null }
            return (try? Conversions.convert(a, to: t, c, loc)) ?? .null
        case .compare(let kind, let cs):
            return try compare(kind, cs, a, b, c, loc)
        case .and, .or, .coalesce:
            return .null
        }
    }

    static func typeOperand(_ b: Value, _ c: ExecutionContext, _ loc: SourceLocation) throws -> DotNetType {
        switch b {
        case .type(let t): return t
        case .string(let s):
            guard let t = TypeRegistry.shared.resolve(name: s) else { throw RuntimeError("Unable to find type [\(s)].", at: loc) }
            return t
        default: throw RuntimeError("The right operand of '-is' and '-as' must be a type.", at: loc)
        }
    }

    static func compare(_ kind: BinaryOperator.CompareKind, _ cs: Bool, _ a: Value, _ b: Value, _ c: ExecutionContext, _ loc: SourceLocation) throws -> Value {
        switch kind {
        case .contains, .notContains:
            let items = Operators.elements(a) ?? [a]
            let found = items.contains { Operators.equals($0, b, caseSensitive: cs) }
            return .bool(kind == .contains ? found : !found)
        case .in, .notIn:
            let items = Operators.elements(b) ?? [b]
            let found = items.contains { Operators.equals($0, a, caseSensitive: cs) }
            return .bool(kind == .in ? found : !found)
        default:
            break
        }
        if let items = Operators.elements(a) {
            // A collection on the left filters: the result is the elements that satisfy the operator.
            var out: [Value] = []
            for item in items where try scalarCompare(kind, cs, item, b, c, loc, setMatches: false) {
                out.append(item)
            }
            return .array(PSArray(out))
        }
        return .bool(try scalarCompare(kind, cs, a, b, c, loc, setMatches: true))
    }

    static func scalarCompare(_ kind: BinaryOperator.CompareKind, _ cs: Bool, _ a: Value, _ b: Value, _ c: ExecutionContext,
                              _ loc: SourceLocation, setMatches: Bool) throws -> Bool {
        switch kind {
        case .eq: return Operators.equals(a, b, caseSensitive: cs)
        case .ne: return !Operators.equals(a, b, caseSensitive: cs)
        case .lt: return try Operators.compare(a, b, caseSensitive: cs, loc) < 0
        case .le: return try Operators.compare(a, b, caseSensitive: cs, loc) <= 0
        case .gt: return try Operators.compare(a, b, caseSensitive: cs, loc) > 0
        case .ge: return try Operators.compare(a, b, caseSensitive: cs, loc) >= 0
        case .like, .notLike:
            let r = WildcardPattern(Conversions.toString(b, c), caseSensitive: cs).matches(Conversions.toString(a, c))
            return kind == .like ? r : !r
        case .match, .notMatch:
            let r = try TextOperators.match(Conversions.toString(a, c), Conversions.toString(b, c), caseSensitive: cs, c, loc, setMatches: setMatches)
            return kind == .match ? r : !r
        default: return false
        }
    }
}
