import Foundation

/// Parameter metadata compiled from a `param()` block (once per script block).
final class CompiledParameters {
    let metas: [ParameterMeta]
    let asts: [ParameterAst]
    let types: [DotNetType?]
    /// `[CmdletBinding()]` or any `[Parameter()]`: unknown arguments are refused and common
    /// parameters accepted.
    let isAdvanced: Bool
    /// Indices of the parameters that take positional arguments, in position order.
    let positionalOrder: [Int]
    /// Their names, in the same order (the keys of `$PSBoundParameters` after a positional call).
    let positionalNames: [String]
    /// For each parameter, what a direct call needs, flattened.
    let slots: [ParameterSlot]
    /// Some positional parameter converts its argument (has a type other than [object]).
    let positionalConverts: Bool

    struct ParameterSlot {
        let id: VarID
        let name: String
        /// The declared type (nil: none).
        let type: DotNetType?
        /// Arguments are converted: a declared type other than [object].
        let converts: Bool
        let isSwitch: Bool
        let defaultValue: Expr?
        let loc: SourceLocation
        /// Rank in `positionalOrder` (-1: none).
        let rank: Int
    }

    /// The compiled parameters of `ast`, compiled on first use (once, even when several threads
    /// call at once: a racing compile's result is dropped).
    static func of(_ ast: ScriptBlockAst, _ c: ExecutionContext) throws -> CompiledParameters {
        if let compiled = ast.compiledParameters.load() { return compiled }
        return ast.compiledParameters.storeIfNil(try CompiledParameters(ast.paramBlock, c))
    }

    /// `of`, unretained: the script block keeps its compiled parameters as long as it lives.
    @inline(__always)
    static func unretained(_ ast: ScriptBlockAst, _ c: ExecutionContext) throws -> Unmanaged<CompiledParameters> {
        if let compiled = ast.compiledParameters.loadUnretained() { return compiled }
        return Unmanaged.passUnretained(ast.compiledParameters.storeIfNil(try CompiledParameters(ast.paramBlock, c)))
    }

    init(_ block: ParamBlockAst?, _ c: ExecutionContext) throws {
        var metas: [ParameterMeta] = []
        var types: [DotNetType?] = []
        var advanced = block?.attributes.contains { $0.name.lowercased() == "cmdletbinding" } ?? false
        let params = block?.parameters ?? []
        var anyExplicitPosition = false
        for p in params {
            let t = try p.type.map { try TypeRegistry.shared.resolve($0) }
            types.append(t)
            var m = ParameterMeta(p.variable.name, t ?? .object)
            for a in p.attributes {
                switch a.name.lowercased() {
                case "parameter":
                    advanced = true
                    for (name, e) in a.named {
                        let v = try e.map { try $0.eval(c) } ?? .bool(true)
                        switch name.lowercased() {
                        case "mandatory": m.mandatory = Conversions.toBool(v)
                        case "position": m.position = try Conversions.toInt(v, a.loc); anyExplicitPosition = true
                        case "valuefrompipeline": m.valueFromPipeline = Conversions.toBool(v)
                        case "valuefrompipelinebypropertyname": m.valueFromPipelineByPropertyName = Conversions.toBool(v)
                        case "valuefromremainingarguments": m.remaining = Conversions.toBool(v)
                        case "helpmessage": m.help = Conversions.toString(v, c)
                        default: break
                        }
                    }
                case "validateset":
                    m.validateSet = try a.positional.map { Conversions.toString(try $0.eval(c), c) }
                case "validaterange":
                    if a.positional.count == 2 { m.validateRange = (try a.positional[0].eval(c), try a.positional[1].eval(c)) }
                case "validatenotnullorempty", "validatenotnull":
                    m.validateNotNullOrEmpty = true
                case "alias":
                    m.aliases += try a.positional.flatMap { e -> [String] in
                        let v = try e.eval(c)
                        return (Operators.elements(v) ?? [v]).map { Conversions.toString($0, c) }
                    }
                default:
                    break
                }
            }
            metas.append(m)
        }
        if !anyExplicitPosition {
            var pos = 0
            for i in metas.indices where !metas[i].isSwitch {
                metas[i].position = pos
                pos += 1
            }
        }
        self.metas = metas
        self.asts = params
        self.types = types
        self.isAdvanced = advanced
        // As the binder orders them: by position, for the parameters that have one.
        positionalOrder = metas.indices.filter { metas[$0].position != nil && !metas[$0].isSwitch && !metas[$0].remaining }
            .sorted { (metas[$0].position ?? 0, $0) < (metas[$1].position ?? 0, $1) }
        positionalNames = positionalOrder.map { metas[$0].name }
        var rank = [Int](repeating: -1, count: metas.count)
        for (k, i) in positionalOrder.enumerated() { rank[i] = k }
        let slots = params.indices.map { i in
            ParameterSlot(id: params[i].variable.id, name: params[i].variable.name, type: types[i],
                          converts: types[i].map { $0.kind != .object } ?? false, isSwitch: metas[i].isSwitch,
                          defaultValue: params[i].defaultValue, loc: params[i].loc, rank: rank[i])
        }
        self.slots = slots
        positionalConverts = positionalOrder.contains { slots[$0].converts }
    }
}

/// Runs a function or script block as a pipeline command: begin/process/end blocks, parameter
/// binding, `$_`, `$input`, `$args`, `$PSBoundParameters`.
final class ScriptProcessor: CommandProcessor {
    let ast: ScriptBlockAst
    let name: String
    let args: [BindArg]
    let ctx: ExecutionContext
    let loc: SourceLocation
    let dotSource: Bool
    let closureScope: Scope?
    let scriptRoot: String?
    private var scope: Scope!
    private var inputs: [Value] = []
    private var compiled: CompiledParameters!
    private var pipelineParam: ParameterMeta?

    init(ast: ScriptBlockAst, name: String, args: [BindArg], _ c: ExecutionContext, loc: SourceLocation, dotSource: Bool,
         closureScope: Scope?, scriptRoot: String? = nil) {
        self.ast = ast
        self.name = name
        self.args = args
        self.ctx = c
        self.loc = loc
        self.dotSource = dotSource
        self.closureScope = closureScope
        self.scriptRoot = scriptRoot
    }

    /// Runs `body` with this command's scope current.
    private func inScope<T>(_ body: () throws -> T) rethrows -> T {
        let saved = ctx.scope
        ctx.scope = scope
        defer { ctx.scope = saved }
        return try body()
    }

    private func runBlock(_ stmts: [Stmt]) throws {
        do {
            try Interpreter.execBlock(stmts, ctx, output)
        } catch ControlFlow.returnFromScope {
        }
    }

    override func begin() throws {
        try StackGuard.check(loc)
        compiled = try CompiledParameters.of(ast, ctx)
        scope = dotSource ? ctx.scope : Scope(parent: closureScope ?? ctx.scope, kind: scriptRoot != nil ? .script : .function)
        let binder = ParameterBinder(commandName: name, parameters: compiled.metas, allowExtra: !compiled.isAdvanced,
                                     supportsCommon: compiled.isAdvanced)
        let r = try binder.bind(args, ctx, loc)
        pipelineParam = compiled.metas.first { $0.valueFromPipeline }
        try inScope {
            if let root = scriptRoot { scope.define(VarID.psScriptRoot, name: "PSScriptRoot", value: .string(root)) }
            let bound = PSHashtable()
            for n in r.boundOrder { bound.set(.string(n), r.values[n.lowercased()] ?? .null) }
            for (i, p) in compiled.asts.enumerated() {
                let m = compiled.metas[i]
                var v: Value
                if let given = r.values[m.name.lowercased()] {
                    v = given
                } else if let d = p.defaultValue {
                    v = try d.eval(ctx)
                    if let t = compiled.types[i] { v = try Conversions.convert(v, to: t, ctx, p.loc) }
                } else if m.isSwitch {
                    v = .object(SwitchValue(false))
                } else if let t = compiled.types[i], t.kind != .object {
                    v = t.kind == .string ? .string("") : ((try? Conversions.convert(.null, to: t, ctx, p.loc)) ?? .null)
                } else {
                    v = .null
                }
                let variable = PSVariable(name: p.variable.name, value: v, typeConstraint: m.isSwitch ? nil : compiled.types[i])
                if dotSource { scope.define(p.variable.id, name: p.variable.name, value: v) } else { scope.add(p.variable.id, variable) }
            }
            try binder.checkMandatory(r, pipelineWillBind: pipelineParam != nil, loc)
            if !dotSource || !r.extra.isEmpty {
                scope.define(VarID.args, name: "args", value: .array(PSArray(r.extra)))
            }
            if compiled.isAdvanced || !dotSource {
                scope.define(VarID.psBoundParameters, name: "PSBoundParameters", value: .hashtable(bound))
            }
            if let ea = r.common["ErrorAction"] {
                scope.define(VarID.errorActionPreference, name: "ErrorActionPreference", value: ea)
            }
            if let b = ast.begin { try runBlock(b) }
        }
    }

    override func process(_ input: Value?) throws {
        guard let input else {
            if let p = ast.process { try inScope { try runBlock(p) } }
            return
        }
        if let p = ast.process {
            try inScope {
                scope.define(VarID.underscore, name: "_", value: input)
                scope.define(VarID.psItem, name: "PSItem", value: input)
                if let pp = pipelineParam, let v = scope.local(VarID.intern(pp.name)) {
                    let binder = ParameterBinder(commandName: name, parameters: compiled.metas, allowExtra: true, supportsCommon: true)
                    v.value = try binder.convert(input, pp, ctx, loc)
                }
                try runBlock(p)
            }
        } else {
            inputs.append(input)
            if let pp = pipelineParam, let v = scope.local(VarID.intern(pp.name)) {
                let binder = ParameterBinder(commandName: name, parameters: compiled.metas, allowExtra: true, supportsCommon: true)
                v.value = try binder.convert(input, pp, ctx, loc)
            }
        }
    }

    /// `$_` for a block that has no process block (Where-Object, switch conditions).
    func defineUnderscore(_ v: Value) {
        scope.define(VarID.underscore, name: "_", value: v)
    }

    override func end() throws {
        guard let e = ast.end else { return }
        try inScope {
            scope.define(VarID.input, name: "input", value: .array(PSArray(inputs)))
            try runBlock(e)
        }
    }
}

/// A call of a function whose body is `isSimpleFunctionBody`, with positional arguments only
/// (`f $a 2`): what ScriptProcessor and ParameterBinder do for it, without the processor, the
/// binder's dictionaries, or the automatic variables that the body does not read (see
/// `PendingInvocationVariables`).
enum DirectCall {
    /// Calls `f` in `scope`, a fresh scope from ExecutionContext.takeScope whose `arguments` hold
    /// the evaluated arguments. Writes to `out`; with no `out`, returns the collected output.
    static func run(_ f: FunctionInfo, _ scope: Scope, _ cmd: CommandAst, _ c: ExecutionContext, _ out: OutputPipe?) throws -> Value {
        if StackGuard.exhausted { try StackGuard.check(cmd.loc) }
        // `other` is this call's scope until it is entered, then the caller's.
        var other = scope
        var entered = false
        do {
            let v = try CompiledParameters.unretained(f.body, c)._withUnsafeGuaranteedRef { compiled -> Value in
                // Binding: positional arguments in position order, converted to the parameter types;
                // the rest go to $args. Parameters without attributes need no validation.
                let boundCount = min(scope.arguments.count, compiled.positionalOrder.count)
                if compiled.positionalConverts {
                    for k in 0..<boundCount {
                        let i = compiled.positionalOrder[k]
                        if compiled.slots[i].converts, let argExprs = cmd.positionalArguments {
                            let binder = ParameterBinder(commandName: f.name, parameters: compiled.metas, allowExtra: true, supportsCommon: false)
                            scope.arguments[k] = try binder.convert(scope.arguments[k], compiled.metas[i], c, argExprs[k].loc)
                        }
                    }
                }
                c.exchangeScope(&other)
                entered = true
                try bind(compiled, boundCount, scope, c)
                let ast = f.body
                if let out {
                    try body(ast, c, out)
                    return .null
                } else if ast.singleExpression != nil {
                    return try value(of: ast.singleExpression!, ast.singleExpressionOutput, c)
                } else {
                    let pipe = c.takeCollector()
                    try body(ast, c, pipe)
                    let r = pipe.result
                    c.recycle(pipe)
                    return r
                }
            }
            c.exchangeScope(&other)
            return v
        } catch {
            if entered { c.exchangeScope(&other) }
            throw error
        }
    }

    private static func body(_ ast: ScriptBlockAst, _ c: ExecutionContext, _ out: OutputPipe) throws {
        do {
            try Interpreter.execBlock(ast.end ?? [], c, out)
        } catch ControlFlow.returnFromScope {
        }
    }

    /// What collecting the output of a body of one expression statement gives, without the pipe:
    /// the statement's error handling, then the value as written (nothing for `$i++`, arrays
    /// unrolled).
    private static func value(of e: Expr, _ output: PipelineStmt.ExpressionOutput, _ c: ExecutionContext) throws -> Value {
        let v: Value
        do {
            v = try e.eval(c)
        } catch let error as RuntimeError {
            try Interpreter.statementFailed(error, c)
            return .null
        }
        switch output {
        case .never: return .null
        case .unlessNull: return v
        case .always: break
        }
        switch v {
        case .array, .object:
            let pipe = c.takeCollector()
            try pipe.writeEnumerated(v)
            let r = pipe.result
            c.recycle(pipe)
            return r
        default:
            return v
        }
    }

    /// Defines the parameter variables and records the pending automatic ones.
    private static func bind(_ compiled: CompiledParameters, _ boundCount: Int, _ scope: Scope, _ c: ExecutionContext) throws {
        try compiled.slots.withUnsafeBufferPointer { slots in
            for i in slots.indices {
                var v: Value
                let k = slots[i].rank
                if k >= 0 && k < boundCount {
                    v = scope.arguments[k]
                } else if let d = slots[i].defaultValue {
                    v = try d.eval(c)
                    if let t = slots[i].type { v = try Conversions.convert(v, to: t, c, slots[i].loc) }
                } else if slots[i].isSwitch {
                    v = .object(SwitchValue(false))
                } else if slots[i].converts, let t = slots[i].type {
                    v = t.kind == .string ? .string("") : ((try? Conversions.convert(.null, to: t, c, slots[i].loc)) ?? .null)
                } else {
                    v = .null
                }
                scope.addVariable(slots[i].id, name: slots[i].name, value: v, typeConstraint: slots[i].isSwitch ? nil : slots[i].type)
            }
        }
        scope.setPendingInvocationVariables(names: compiled.positionalNames, boundCount: boundCount, defineInput: true)
    }
}

/// Invoking script blocks from code (ForEach-Object, Where-Object, .Invoke(), delegates).
enum Invoker {
    /// Runs a script block with arguments; `dollarUnder` sets `$_`. Returns the collected output.
    static func invokeScriptBlock(_ sb: ScriptBlock, args: [Value], dollarUnder: Value? = nil, _ c: ExecutionContext,
                                  dotSource: Bool = false, output: OutputPipe? = nil) throws -> Value {
        let pipe = output ?? CollectingPipe()
        let bindArgs = args.map { BindArg(name: nil, value: $0, loc: sb.ast.loc, attached: false) }
        if dotSource, sb.ast.paramBlock == nil, !sb.ast.hasNamedBlocks, let body = sb.ast.end {
            // Fast path for ForEach-Object / Where-Object blocks: run in the caller's scope.
            let saved = c.scope.local(VarID.underscore)?.value
            if let d = dollarUnder { c.setLocal(VarID.underscore, "_", d) }
            defer { if dollarUnder != nil { c.setLocal(VarID.underscore, "_", saved ?? .null) } }
            do { try Interpreter.execBlock(body, c, pipe) } catch ControlFlow.returnFromScope {}
            return (pipe as? CollectingPipe)?.result ?? .null
        }
        let proc = ScriptProcessor(ast: sb.ast, name: "<ScriptBlock>", args: bindArgs, c, loc: sb.ast.loc, dotSource: dotSource,
                                   closureScope: sb.closureScope)
        proc.output = pipe
        try proc.begin()
        if let d = dollarUnder {
            if sb.ast.process != nil { try proc.process(d) } else { proc.defineUnderscore(d) }
        }
        try proc.end()
        return (pipe as? CollectingPipe)?.result ?? .null
    }

    /// `$sb.Invoke(args)`: the output as a collection (an array, even of one item).
    static func invokeReturningCollection(_ sb: ScriptBlock, _ args: [Value], _ c: ExecutionContext) throws -> Value {
        let pipe = CollectingPipe()
        _ = try invokeScriptBlock(sb, args: args, c, output: pipe)
        return pipe.items.count == 1 ? pipe.items[0] : .array(PSArray(pipe.items))
    }
}

/// A command reference from Get-Command.
final class CommandInfoObject: PSObject, @unchecked Sendable {
    let name: String
    let commandType: String
    let module: String
    let synopsis: String
    init(name: String, commandType: String, module: String, synopsis: String) {
        self.name = name; self.commandType = commandType; self.module = module; self.synopsis = synopsis
    }
    static let type = DotNetType("System.Management.Automation.CommandInfo", kind: .other, base: .object)
    override var dotNetType: DotNetType { CommandInfoObject.type }
    override func getProperty(_ n: String) -> Value? {
        switch n.lowercased() {
        case "name": return .string(name)
        case "commandtype": return .string(commandType)
        case "source", "modulename": return .string(module)
        case "version": return .string(commandType == "Cmdlet" ? ScriptEngine.version : "")
        case "synopsis": return .string(synopsis)
        default: return nil
        }
    }
    override var propertyNames: [String] { ["CommandType", "Name", "Version", "Source"] }
    override func toDisplayString(_ ctx: ExecutionContext?) -> String { name }
}
