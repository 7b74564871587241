import Foundation

extension ConstantExpr {
    func eval(_ c: ExecutionContext) throws -> Value { value }
}

extension VariableExpr {
    func eval(_ c: ExecutionContext) throws -> Value {
        if path.qualifier == .none {
            let old = slotHint.load(ordering: .relaxed)
            var hint = old
            if let v = c.lookupValue(path.id, hint: &hint) {
                if hint != old { slotHint.store(hint, ordering: .relaxed) }
                return v
            }
        }
        return try c.getVariable(path, loc)
    }
}

extension ExpandableStringExpr {
    func eval(_ c: ExecutionContext) throws -> Value {
        var s = ""
        for p in parts {
            switch p {
            case .text(let t): s += t
            case .expr(let e): s += ExpandableStringExpr.text(try e.eval(c), c)
            }
        }
        return .string(s)
    }

    /// A value as text in a string: Conversions.toString, with integers formatted directly.
    @inline(__always)
    static func text(_ v: Value, _ c: ExecutionContext) -> String {
        switch v {
        case .string(let s): return s
        case .int(let i): return decimal(Int64(i))
        case .long(let i): return decimal(i)
        default: return Conversions.toString(v, c)
        }
    }

    /// `String(i)` for the common case, without the generic radix machinery.
    static func decimal(_ v: Int64) -> String {
        var digits = 1
        var x = v.magnitude
        while x >= 10 { x /= 10; digits += 1 }
        let length = digits + (v < 0 ? 1 : 0)
        return String(unsafeUninitializedCapacity: length) { out in
            guard let p = out.baseAddress else { return 0 }
            var m = v.magnitude
            var i = length - 1
            repeat {
                p[i] = UInt8(truncatingIfNeeded: m % 10) &+ 0x30
                m /= 10
                i -= 1
            } while m > 0
            if v < 0 { p[0] = 0x2D }
            return length
        }
    }
}

extension ArrayLiteralExpr {
    func eval(_ c: ExecutionContext) throws -> Value {
        var items: [Value] = []
        items.reserveCapacity(elements.count)
        for e in elements { items.append(try e.eval(c)) }
        return .array(PSArray(items))
    }
}

extension ArraySubExpr {
    func eval(_ c: ExecutionContext) throws -> Value {
        let pipe = CollectingPipe()
        try Interpreter.execBlock(body, c, pipe)
        return .array(PSArray(pipe.items))
    }
}

extension SubExpr {
    func eval(_ c: ExecutionContext) throws -> Value {
        let pipe = CollectingPipe()
        try Interpreter.execBlock(body, c, pipe)
        return pipe.result
    }
}

extension ParenExpr {
    func eval(_ c: ExecutionContext) throws -> Value {
        if let e = expression { return try e.eval(c) }
        if let a = assignment { return try a.assign(c) }
        let pipe = CollectingPipe()
        try statement.exec(c, pipe)
        return pipe.result
    }
}

extension AssignmentExpr {
    func eval(_ c: ExecutionContext) throws -> Value { try assignment.assign(c) }
}

extension HashtableExpr {
    func eval(_ c: ExecutionContext) throws -> Value { .hashtable(try build(c, ordered: false)) }

    func build(_ c: ExecutionContext, ordered: Bool) throws -> PSHashtable {
        let h = PSHashtable(ordered: ordered)
        for (k, v) in entries {
            let key = try k.eval(c)
            let value = try Interpreter.valueOf(v, c)
            guard h.add(key, value) else {
                throw RuntimeError("Duplicate keys '\(Conversions.toString(key, c))' are not allowed in hash literals.", at: k.loc)
            }
        }
        return h
    }
}

extension ScriptBlockExpr {
    func eval(_ c: ExecutionContext) throws -> Value { .scriptBlock(ScriptBlock(body)) }
}

extension TypeLiteralExpr {
    func eval(_ c: ExecutionContext) throws -> Value { .type(try TypeRegistry.shared.resolve(type)) }
}

extension CastExpr {
    func eval(_ c: ExecutionContext) throws -> Value {
        let t = try TypeRegistry.shared.resolve(type)
        if let h = operand as? HashtableExpr {
            if t.kind == .ordered { return .hashtable(try h.build(c, ordered: true)) }
            if t.kind == .psCustomObject {
                let o = PSCustomObject()
                for (k, v) in try h.build(c, ordered: true).entries { o.set(Conversions.toString(k, c), v) }
                return .object(o)
            }
        }
        let v = try operand.eval(c)
        if t.kind == .void { return .null }
        return try Conversions.convert(v, to: t, c, loc)
    }

    var isVoid: Bool { type.name.lowercased() == "void" || type.name.lowercased() == "system.void" }
}

extension UnaryExpr {
    func eval(_ c: ExecutionContext) throws -> Value {
        let v = try operand.eval(c)
        switch op {
        case "-not": return .bool(!Conversions.toBool(v))
        case "-": return try Operators.negate(v, loc)
        case "+": return try Conversions.toNumber(v, loc)
        case "-bnot":
            let n = try Conversions.toNumber(v, loc)
            if case .int(let i) = n { return .int(~i) }
            return .long(~(try Conversions.toInt64(n, loc)))
        case "-split": return try TextOperators.unarySplit(v, c)
        case "-join": return .string((Operators.elements(v) ?? [v]).map { Conversions.toString($0, c) }.joined())
        default: throw RuntimeError("Unknown operator \(op).", at: loc)
        }
    }
}

extension IncrementExpr {
    /// `$i++` as a statement: the increment without the value.
    func step(_ c: ExecutionContext) throws {
        if plainVariable != nil, let ref = c.localRef(plainVariable!) {
            let delta = self.delta
            let done = ref._withUnsafeGuaranteedRef { v -> Bool in
                guard v.typeConstraint == nil && !v.readOnly, case .int(let i) = v.value else { return false }
                let (r, o) = i.addingReportingOverflow(delta)
                if o { return false }
                v.value = .int(r)
                return true
            }
            if done { return }
        }
        _ = try eval(c)
    }

    func eval(_ c: ExecutionContext) throws -> Value {
        // Fast path for `$i++` on a variable of this scope holding a number (a variable of a parent
        // scope is read there and written here, by the general path).
        if plainVariable != nil, let ref = c.localRef(plainVariable!) {
            let delta = self.delta, prefix = self.prefix
            let r: Value? = ref._withUnsafeGuaranteedRef { v in
                if prefix { return v.addInPlace(.int(delta), subtract: false) }
                let old = v.value
                return v.addInPlace(.int(delta), subtract: false) == nil ? nil : old
            }
            if let r { return r }
        }
        let old = try target.eval(c)
        let new = try Operators.add(old.isNull ? .int(0) : old, .int(delta), loc, c)
        try Interpreter.assign(target, new, c, constraint: nil)
        return prefix ? new : old
    }
}

extension TernaryExpr {
    func eval(_ c: ExecutionContext) throws -> Value {
        Conversions.toBool(try condition.eval(c)) ? try then.eval(c) : try otherwise.eval(c)
    }
}

extension Expr {
    func truth(_ c: ExecutionContext) throws -> Bool { Conversions.toBool(try eval(c)) }
}

extension BinaryExpr {
    func eval(_ c: ExecutionContext) throws -> Value {
        if folded != nil { return folded! }
        if intOp != .none {
            // Fast paths for the common int cases (loops, counters); anything else, or an
            // overflow, goes to the general operators.
            let a = try lhs.eval(c)
            let b = rhsInt != nil ? .int(rhsInt!) : try rhs.eval(c)
            if case .int(let i) = a, case .int(let j) = b {
                switch intOp {
                case .add:
                    let (r, o) = i.addingReportingOverflow(j)
                    if !o { return .int(r) }
                case .subtract:
                    let (r, o) = i.subtractingReportingOverflow(j)
                    if !o { return .int(r) }
                case .lt: return .bool(i < j)
                case .le: return .bool(i <= j)
                case .gt: return .bool(i > j)
                case .ge: return .bool(i >= j)
                case .eq: return .bool(i == j)
                case .ne: return .bool(i != j)
                case .none: break
                }
            }
            return try Interpreter.binary(op, a, b, c, loc)
        }
        switch op {
        case .and:
            return try .bool(Conversions.toBool(lhs.eval(c)) && Conversions.toBool(rhs.eval(c)))
        case .or:
            return try .bool(Conversions.toBool(lhs.eval(c)) || Conversions.toBool(rhs.eval(c)))
        case .coalesce:
            let a = try lhs.eval(c)
            return a.isNull ? try rhs.eval(c) : a
        default:
            break
        }
        let a = try lhs.eval(c)
        let b = try rhs.eval(c)
        return try Interpreter.binary(op, a, b, c, loc)
    }

    func truth(_ c: ExecutionContext) throws -> Bool {
        switch intOp {
        case .lt, .le, .gt, .ge, .eq, .ne:
            let a = try lhs.eval(c)
            let b = rhsInt != nil ? .int(rhsInt!) : try rhs.eval(c)
            if case .int(let i) = a, case .int(let j) = b {
                switch intOp {
                case .lt: return i < j
                case .le: return i <= j
                case .gt: return i > j
                case .ge: return i >= j
                case .eq: return i == j
                default: return i != j
                }
            }
            return Conversions.toBool(try Interpreter.binary(op, a, b, c, loc))
        default:
            return Conversions.toBool(try eval(c))
        }
    }
}

extension MemberExpr {
    func eval(_ c: ExecutionContext) throws -> Value {
        let t = try target.eval(c)
        if nullConditional && t.isNull { return .null }
        let name = Conversions.toString(try member.eval(c), c)
        if isStatic {
            guard case .type(let ty) = t else { throw RuntimeError("Unable to find type for static member '\(name)'.", at: loc) }
            return try Members.getStatic(ty, name, c, loc)
        }
        return try Members.get(t, name, c, loc)
    }
}

extension InvokeMemberExpr {
    func eval(_ c: ExecutionContext) throws -> Value {
        let t = try target.eval(c)
        if nullConditional && t.isNull { return .null }
        let name = Conversions.toString(try member.eval(c), c)
        var args: [Value] = []
        args.reserveCapacity(arguments.count)
        for a in arguments { args.append(try a.eval(c)) }
        if isStatic {
            guard case .type(let ty) = t else { throw RuntimeError("Unable to find type for static method '\(name)'.", at: loc) }
            return try Members.invokeStatic(ty, name, args, c, loc)
        }
        if t.isNull {
            throw RuntimeError("You cannot call a method on a null-valued expression.", at: loc, errorId: "InvokeMethodOnNull")
        }
        do {
            return try Members.invoke(t, name, args, c, loc)
        } catch let e as RuntimeError {
            throw e.located(loc)
        } catch let e as ControlFlow {
            throw e
        } catch {
            throw RuntimeError("Exception calling \"\(name)\" with \"\(args.count)\" argument(s): \"\(error)\"", at: loc,
                               type: .methodInvocationException, errorId: "MethodInvocationException")
        }
    }
}

extension IndexExpr {
    func eval(_ c: ExecutionContext) throws -> Value {
        let t = try target.eval(c)
        if nullConditional && t.isNull { return .null }
        return try Members.index(t, try index.eval(c), c, loc)
    }
}
