import Foundation

// (`expression!.eval(c)` rather than `if let e = expression`: binding a local copy costs a
// retain/release pair per statement; these run once per statement executed.)
extension PipelineStmt {
    func exec(_ c: ExecutionContext, _ out: OutputPipe) throws {
        if increment != nil {
            try increment!.step(c)
            return
        }
        if expression != nil {
            let v = try expression!.eval(c)
            switch expressionOutput {
            case .always: break
            case .never: return
            case .unlessNull: if v.isNull { return }
            }
            try (discardOutput ? c.nullPipe : out).writeEnumerated(v)
            return
        }
        try PipelineRunner.run(self, c, discardOutput ? c.nullPipe : out)
    }

    func truth(_ c: ExecutionContext) throws -> Bool {
        if expression != nil && !discardOutput { return try expression!.truth(c) }
        return Conversions.toBool(try value(c))
    }

    func value(_ c: ExecutionContext) throws -> Value {
        if expression != nil && !discardOutput { return try expression!.eval(c) }
        if command != nil && !discardOutput && command!.positionalArguments != nil {
            return try PipelineRunner.runPositional(command!, c, nil)
        }
        let pipe = c.takeCollector()
        try exec(c, pipe)
        let r = pipe.result
        c.recycle(pipe)
        return r
    }
}

extension AssignmentStmt {
    func exec(_ c: ExecutionContext, _ out: OutputPipe) throws {
        _ = try assign(c)
    }

    func value(_ c: ExecutionContext) throws -> Value { try assign(c) }

    /// Performs the assignment and returns the value assigned.
    @discardableResult
    func assign(_ c: ExecutionContext) throws -> Value {
        if plainVariable != nil {
            // `$x = v` and `$x op= v` on an unqualified variable without a type constraint written here.
            switch kind {
            case .assign:
                let value = try self.value.value(c)
                if plainVariable!.path.id == VarID.null { return value }
                let ref = c.localRef(plainVariable!)
                if ref == nil || !ref!._withUnsafeGuaranteedRef({ $0.storePlain(value) }) {
                    try storeSlowly(ref, value, c)
                }
                return value
            case .add, .subtract:
                // Numbers in a variable of this scope: update in place. Otherwise (a parent scope's
                // variable is read there and written here) the general path.
                let value = try self.value.value(c)
                let subtract = kind == .subtract
                if let ref = c.localRef(plainVariable!), let r = ref._withUnsafeGuaranteedRef({ $0.addInPlace(value, subtract: subtract) }) {
                    return r
                }
                return try compound(value, c)
            default:
                break
            }
        }
        if kind == .coalesce {
            let current = try targets[0].eval(c)
            if !current.isNull { return current }
        }
        let value = try self.value.value(c)
        if kind == .assign || kind == .coalesce || targets.count > 1 { return try assignPlain(value, c) }
        return try compound(value, c)
    }

    /// `$x = value` when the variable is not a plain local one: a new local, or a store through
    /// the variable's type constraint or read-only check.
    @inline(never)
    private func storeSlowly(_ ref: Unmanaged<PSVariable>?, _ value: Value, _ c: ExecutionContext) throws {
        guard let ve = plainVariable else { return }
        if let ref {
            do { try c.store(ref.takeUnretainedValue(), value) } catch let e as RuntimeError { throw e.located(ve.loc) }
        } else {
            try c.setVariable(ve.path, value)
        }
    }

    /// `$x op= value` in general.
    private func compound(_ value: Value, _ c: ExecutionContext) throws -> Value {
        let target = targets[0]
        let current = try target.eval(c)
        let new: Value
        switch kind {
        case .add: new = try Operators.add(current, value, loc, c)
        case .subtract: new = try Operators.subtract(current, value, loc)
        case .multiply: new = try Operators.multiply(current, value, loc, c)
        case .divide: new = try Operators.divide(current, value, loc)
        case .modulo: new = try Operators.modulo(current, value, loc)
        case .assign, .coalesce: new = value
        }
        try Interpreter.assign(target, new, c, constraint: constraints[0])
        return new
    }

    /// `=` and `??=` (once the target is $null), to one or several targets.
    private func assignPlain(_ value: Value, _ c: ExecutionContext) throws -> Value {
        if targets.count > 1 {
            let items = Operators.elements(value) ?? [value]
            for (i, t) in targets.enumerated() {
                let v: Value
                if i == targets.count - 1 {
                    let rest = Array(items.dropFirst(i))
                    v = rest.isEmpty ? .null : (rest.count == 1 ? rest[0] : .array(PSArray(rest)))
                } else {
                    v = i < items.count ? items[i] : .null
                }
                try Interpreter.assign(t, v, c, constraint: constraints[i])
            }
            return value
        }
        try Interpreter.assign(targets[0], value, c, constraint: constraints[0])
        return value
    }
}

extension IfStmt {
    func exec(_ c: ExecutionContext, _ out: OutputPipe) throws {
        for clause in clauses where try Interpreter.condition(clause.condition, c) {
            try Interpreter.execBlock(clause.body, c, out)
            return
        }
        if let elseBody { try Interpreter.execBlock(elseBody, c, out) }
    }
}

/// Runs a loop body, turning break/continue aimed at this loop into a result.
enum LoopSignal { case next, breakOut }

@inline(__always)
func runLoopBody(_ body: [Stmt], label: String?, _ c: ExecutionContext, _ out: OutputPipe) throws -> LoopSignal {
    do {
        try Interpreter.execBlock(body, c, out)
        return .next
    } catch ControlFlow.breakLoop(let l) {
        if l == nil || l?.lowercased() == label?.lowercased() { return .breakOut }
        throw ControlFlow.breakLoop(l)
    } catch ControlFlow.continueLoop(let l) {
        if l == nil || l?.lowercased() == label?.lowercased() { return .next }
        throw ControlFlow.continueLoop(l)
    }
}

extension WhileStmt {
    func exec(_ c: ExecutionContext, _ out: OutputPipe) throws {
        while try Interpreter.condition(condition, c) {
            try c.checkInterrupt()
            if try runLoopBody(body, label: label, c, out) == .breakOut { break }
        }
    }
}

extension DoStmt {
    func exec(_ c: ExecutionContext, _ out: OutputPipe) throws {
        repeat {
            try c.checkInterrupt()
            if try runLoopBody(body, label: label, c, out) == .breakOut { break }
        } while try Interpreter.condition(condition, c) != isUntil
    }
}

extension ForStmt {
    func exec(_ c: ExecutionContext, _ out: OutputPipe) throws {
        let null = c.nullPipe
        if initializer != nil { try initializer!.exec(c, null) }
        while true {
            if condition != nil, !(try condition!.truth(c)) { break }
            try c.checkInterrupt()
            if try runLoopBody(body, label: label, c, out) == .breakOut { break }
            if iterator != nil { try iterator!.exec(c, null) }
        }
    }
}

extension ForEachStmt {
    func exec(_ c: ExecutionContext, _ out: OutputPipe) throws {
        let coll = try Interpreter.valueOf(collection, c)
        let items: [Value]
        switch coll {
        case .null: return
        default: items = Operators.elements(coll) ?? [coll]
        }
        let v = c.scope.local(variable.id) ?? c.scope.define(variable.id, name: variable.name, value: .null)
        for item in items {
            try c.checkInterrupt()
            v.value = item
            if try runLoopBody(body, label: label, c, out) == .breakOut { break }
        }
    }
}

extension SwitchStmt {
    func exec(_ c: ExecutionContext, _ out: OutputPipe) throws {
        let subjectValue = try Interpreter.valueOf(subject, c)
        let items: [Value] = Operators.elements(subjectValue) ?? [subjectValue]
        let saved = c.scope.local(VarID.underscore)?.value
        defer { if let saved { c.setLocal(VarID.underscore, "_", saved) } }
        func mine(_ l: String?) -> Bool { l == nil || l?.lowercased() == label?.lowercased() }
        itemLoop: for item in items {
            c.setLocal(VarID.underscore, "_", item)
            var matched = false
            for clause in clauses {
                if let pattern = clause.pattern {
                    guard try matches(pattern, item, c) else { continue }
                    matched = true
                } else {
                    continue
                }
                do {
                    try Interpreter.execBlock(clause.body, c, out)
                } catch ControlFlow.breakLoop(let l) where mine(l) {
                    break itemLoop
                } catch ControlFlow.continueLoop(let l) where mine(l) {
                    continue itemLoop
                }
            }
            if !matched, let d = clauses.first(where: { $0.pattern == nil }) {
                do {
                    try Interpreter.execBlock(d.body, c, out)
                } catch ControlFlow.breakLoop(let l) where mine(l) {
                    break itemLoop
                } catch ControlFlow.continueLoop(let l) where mine(l) {
                    continue itemLoop
                }
            }
        }
    }

    private func matches(_ pattern: Expr, _ item: Value, _ c: ExecutionContext) throws -> Bool {
        if let sb = pattern as? ScriptBlockExpr {
            let r = try Invoker.invokeScriptBlock(ScriptBlock(sb.body), args: [], dollarUnder: item, c, dotSource: true)
            return Conversions.toBool(r)
        }
        let p = try pattern.eval(c)
        switch mode {
        case .exact:
            if case .string = p { return Operators.equals(.string(Conversions.toString(item, c)), p, caseSensitive: caseSensitive) }
            return Operators.equals(item, p, caseSensitive: caseSensitive)
        case .wildcard:
            return WildcardPattern(Conversions.toString(p, c), caseSensitive: caseSensitive).matches(Conversions.toString(item, c))
        case .regex:
            return try TextOperators.match(Conversions.toString(item, c), Conversions.toString(p, c), caseSensitive: caseSensitive, c, loc, setMatches: true)
        }
    }
}

extension TryStmt {
    func exec(_ c: ExecutionContext, _ out: OutputPipe) throws {
        defer {
            if let finally {
                // A finally block runs whatever happened; its own errors replace the pending one.
                try? Interpreter.execBlock(finally, c, out)
            }
        }
        c.tryDepth += 1
        do {
            try Interpreter.execBlock(body, c, out)
            c.tryDepth -= 1
        } catch let e as RuntimeError {
            c.tryDepth -= 1
            guard let handler = try findCatch(e, c) else { throw e }
            let saved = c.scope.local(VarID.underscore)?.value
            c.setLocal(VarID.underscore, "_", .object(e.record))
            c.caughtErrors.append(e)
            defer {
                c.caughtErrors.removeLast()
                c.setLocal(VarID.underscore, "_", saved ?? .null)
            }
            try Interpreter.execBlock(handler.body, c, out)
        } catch {
            c.tryDepth -= 1
            throw error
        }
    }

    private func findCatch(_ e: RuntimeError, _ c: ExecutionContext) throws -> Catch? {
        for handler in catches {
            if handler.types.isEmpty { return handler }
            for tn in handler.types {
                let t = try TypeRegistry.shared.resolve(tn)
                if e.record.exception.type.isSubtype(of: t) { return handler }
            }
        }
        return nil
    }
}

extension ThrowStmt {
    func exec(_ c: ExecutionContext, _ out: OutputPipe) throws {
        guard let value else {
            if var last = c.caughtErrors.last {
                last.reach = .script
                throw last
            }
            throw RuntimeError("ScriptHalted", at: loc, reach: .script)
        }
        let v = try Interpreter.valueOf(value, c)
        switch v {
        case .object(let r as ErrorRecord):
            throw RuntimeError(record: r, reach: .script)
        case .object(let ex as ExceptionObject):
            let r = ErrorRecord(exception: ex, location: loc, errorId: ex.type.name, target: .null)
            ex.errorRecord = r
            throw RuntimeError(record: r, reach: .script)
        case .null:
            throw RuntimeError("ScriptHalted", at: loc, reach: .script)
        default:
            throw RuntimeError(Conversions.toString(v, c), at: loc, reach: .script, target: v)
        }
    }
}

extension ReturnStmt {
    func exec(_ c: ExecutionContext, _ out: OutputPipe) throws {
        if let value { try value.exec(c, out) }
        throw ControlFlow.returnFromScope
    }
}

extension ExitStmt {
    func exec(_ c: ExecutionContext, _ out: OutputPipe) throws {
        var code: Int32 = 0
        if let value {
            code = try Conversions.toInt32(try Interpreter.valueOf(value, c), loc)
        }
        throw ControlFlow.exit(code)
    }
}

extension BreakStmt {
    func exec(_ c: ExecutionContext, _ out: OutputPipe) throws {
        throw isContinue ? ControlFlow.continueLoop(label) : ControlFlow.breakLoop(label)
    }
}

extension FunctionDefStmt {
    func exec(_ c: ExecutionContext, _ out: OutputPipe) throws {
        let f = FunctionInfo(name: name, body: body)
        c.scope.defineFunction(f)
        (c.hostData[FunctionHook.key] as? FunctionHook)?.body(f)
    }
}
