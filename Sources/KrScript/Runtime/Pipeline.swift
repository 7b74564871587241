import Foundation

/// One command of a running pipeline.
class CommandProcessor {
    var output: OutputPipe = NullPipe.shared
    func begin() throws {}
    /// Called once per pipeline input; with nil once when the command is first in its pipeline.
    func process(_ input: Value?) throws {}
    func end() throws {}
}

/// Feeds the next command of a pipeline.
final class ProcessorPipe: OutputPipe, @unchecked Sendable {
    let next: CommandProcessor
    init(_ next: CommandProcessor) { self.next = next }
    override func write(_ v: Value) throws { try next.process(v) }
}

enum PipelineRunner {
    static func run(_ p: PipelineStmt, _ c: ExecutionContext, _ out: OutputPipe) throws {
        if p.command != nil && p.command!.positionalArguments != nil {
            _ = try runPositional(p.command!, c, out)
            return
        }
        var input: Expr?
        var processors: [CommandProcessor] = []
        for (i, el) in p.elements.enumerated() {
            switch el {
            case .expression(let e):
                guard i == 0 else {
                    throw RuntimeError("Expressions are only allowed as the first element of a pipeline.", at: e.loc)
                }
                input = e
            case .command(let cmd):
                processors.append(try makeProcessor(cmd, c, hasInput: i > 0))
            }
        }
        try runProcessors(processors, input: input.map { e in { try e.eval(c) } }, c, out)
    }

    /// `name arg...`: the arguments first, then the command, as in `run`; a simple function is then
    /// called directly, in the scope that already holds its evaluated arguments.
    /// Writes to `out`; with no `out`, returns the collected output as a statement's value.
    static func runPositional(_ cmd: CommandAst, _ c: ExecutionContext, _ out: OutputPipe?) throws -> Value {
        let argExprs = cmd.positionalArguments ?? []
        let scope = c.takeChildScope(kind: .function)
        do {
            for e in argExprs { scope.arguments.append(try e.eval(c)) }
        } catch {
            c.recycle(scope)
            throw error
        }
        if let f = memoizedFunction(cmd, c), f.body.isSimpleFunctionBody {
            let v = try DirectCall.run(f, scope, cmd, c, out)
            c.recycle(scope)
            return v
        }
        let name = cmd.name ?? ""
        let resolved = resolve(cmd, name, c)
        if case .function(let f)? = resolved, f.body.isSimpleFunctionBody {
            let v = try DirectCall.run(f, scope, cmd, c, out)
            c.recycle(scope)
            return v
        }
        var args: [BindArg] = []
        args.reserveCapacity(argExprs.count)
        for (v, e) in zip(scope.arguments, argExprs) { args.append(BindArg(name: nil, value: v, loc: e.loc, attached: false)) }
        c.recycle(scope)
        let proc = try processor(for: resolved, name, args, cmd, c)
        if let out {
            try runProcessors([proc], input: nil, c, out)
            return .null
        }
        let pipe = c.takeCollector()
        try runProcessors([proc], input: nil, c, pipe)
        let r = pipe.result
        c.recycle(pipe)
        return r
    }

    /// The function a command name that has resolved to a function of its own name before
    /// resolves to now, if it still does: the function tables are searched again (exactly:
    /// functions come and go with scopes), but not the alias table. That table is filled at start-up (CommandTable:
    /// "libraries register their cmdlets into it at start-up"; there is no Set-Alias), so a name
    /// that was not an alias then is not one now. If aliases become settable while scripts run,
    /// CommandTable needs a generation counter and the memo must record and compare it.
    @inline(__always)
    static func memoizedFunction(_ cmd: CommandAst, _ c: ExecutionContext) -> FunctionInfo? {
        guard let memo = cmd.resolvedAsFunction.loadUnretained(),
              memo._withUnsafeGuaranteedRef({ $0.table }) == ObjectIdentifier(c.commands), cmd.lowercasedName != nil else {
            return nil
        }
        return c.scopeRef._withUnsafeGuaranteedRef { $0.lookupFunction(cmd.lowercasedName!) }
    }

    /// `c.commands.resolve(name, c)`, noting when the name resolves to a function of its own name
    /// (see `memoizedFunction`).
    static func resolve(_ cmd: CommandAst, _ name: String, _ c: ExecutionContext) -> CommandTable.Resolved? {
        let resolved = c.commands.resolve(name, c)
        if case .function(let f)? = resolved, f.name.lowercased() == cmd.lowercasedName {
            _ = cmd.resolvedAsFunction.storeIfNil(FunctionNameMemo(table: ObjectIdentifier(c.commands)))
        }
        return resolved
    }

    /// Runs linked processors; `input` produces the value fed to the first one.
    static func runProcessors(_ processors: [CommandProcessor], input: (() throws -> Value)?, _ c: ExecutionContext, _ out: OutputPipe) throws {
        for (i, proc) in processors.enumerated() {
            proc.output = i + 1 < processors.count ? ProcessorPipe(processors[i + 1]) : out
        }
        guard let first = processors.first else { return }
        var started = 0
        do {
            for proc in processors {
                try proc.begin()
                started += 1
            }
            if let input {
                let v = try input()
                try ProcessorPipe(first).writeEnumerated(v)
            } else {
                try first.process(nil)
            }
            for proc in processors { try proc.end() }
        } catch ControlFlow.stopUpstream(let id) {
            guard let k = processors.firstIndex(where: { ObjectIdentifier($0) == id }) else { throw ControlFlow.stopUpstream(id) }
            for proc in processors[k...] { try proc.end() }
        }
    }

    static func evaluateArguments(_ cmd: CommandAst, _ c: ExecutionContext) throws -> [BindArg] {
        var args: [BindArg] = []
        for el in cmd.elements {
            switch el {
            case .parameter(let name, let arg, let loc):
                args.append(BindArg(name: name, value: try arg?.eval(c), loc: loc, attached: arg != nil))
            case .argument(let e):
                args.append(BindArg(name: nil, value: try e.eval(c), loc: e.loc, attached: false))
            case .splat(let path, let loc):
                let v = try c.getVariable(path, loc)
                switch v {
                case .hashtable(let h):
                    for (k, val) in h.entries {
                        args.append(BindArg(name: Conversions.toString(k, c), value: val, loc: loc, attached: true))
                    }
                case .array(let a):
                    for item in a.items { args.append(BindArg(name: nil, value: item, loc: loc, attached: false)) }
                case .null:
                    break
                default:
                    args.append(BindArg(name: nil, value: v, loc: loc, attached: false))
                }
            }
        }
        return args
    }

    static func makeProcessor(_ cmd: CommandAst, _ c: ExecutionContext, hasInput: Bool) throws -> CommandProcessor {
        let args = try evaluateArguments(cmd, c)
        if let nameExpr = cmd.nameExpr {
            let target = try nameExpr.eval(c)
            switch target {
            case .scriptBlock(let sb):
                return ScriptProcessor(ast: sb.ast, name: "<ScriptBlock>", args: args, c, loc: cmd.loc,
                                       dotSource: cmd.invocation == .dot, closureScope: sb.closureScope)
            case .object(let info as CommandInfoObject):
                return try resolve(info.name, args, cmd, c)
            default:
                return try resolve(Conversions.toString(target, c), args, cmd, c)
            }
        }
        return try resolve(cmd.name ?? "", args, cmd, c)
    }

    static func resolve(_ name: String, _ args: [BindArg], _ cmd: CommandAst, _ c: ExecutionContext) throws -> CommandProcessor {
        try processor(for: c.commands.resolve(name, c), name, args, cmd, c)
    }

    static func processor(for resolved: CommandTable.Resolved?, _ name: String, _ args: [BindArg], _ cmd: CommandAst,
                          _ c: ExecutionContext) throws -> CommandProcessor {
        switch resolved {
        case .function(let f):
            return ScriptProcessor(ast: f.body, name: f.name, args: args, c, loc: cmd.loc, dotSource: cmd.invocation == .dot, closureScope: nil)
        case .cmdlet(let info):
            // `NAME -?` is Get-Help NAME, as in PowerShell.
            if args.contains(where: { $0.name == "?" }), let help = c.commands.cmdlet("Get-Help") {
                return CmdletProcessor(info: help, args: [BindArg(name: nil, value: .string(info.name), loc: cmd.loc, attached: false)], c, loc: cmd.loc)
            }
            return CmdletProcessor(info: info, args: args, c, loc: cmd.loc)
        case .script(let path):
            let text: String
            do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
                throw RuntimeError("Cannot read the script file '\(path)': \(error.localizedDescription)", at: cmd.loc)
            }
            let ast = try Parser.parseScript(SourceFile(name: path, text: text))
            return ScriptProcessor(ast: ast, name: path, args: args, c, loc: cmd.loc, dotSource: cmd.invocation == .dot, closureScope: nil,
                                   scriptRoot: (path as NSString).deletingLastPathComponent)
        case nil:
            throw RuntimeError("The term '\(name)' is not recognized as a name of a cmdlet, function, script file, or executable program. Check the spelling of the name, or if a path was included, verify that the path is correct and try again.",
                               at: cmd.loc, type: .commandNotFoundException, errorId: "CommandNotFoundException")
        }
    }
}

/// Runs a built-in cmdlet.
final class CmdletProcessor: CommandProcessor {
    let info: CmdletInfo
    let cmdlet: Cmdlet
    let binder: ParameterBinder
    let args: [BindArg]
    let ctx: ExecutionContext
    let loc: SourceLocation
    private var result = ParameterBinder.Result()
    private var pipelineParams: [ParameterMeta]

    init(info: CmdletInfo, args: [BindArg], _ c: ExecutionContext, loc: SourceLocation) {
        self.info = info
        self.cmdlet = info.make()
        self.binder = ParameterBinder(commandName: info.name, parameters: info.parameters, allowExtra: false, supportsCommon: true)
        self.args = args
        self.ctx = c
        self.loc = loc
        self.pipelineParams = info.parameters.filter { $0.valueFromPipeline || $0.valueFromPipelineByPropertyName }
    }

    /// Errors a cmdlet raises that are not runtime errors (a .NET-style value error, an I/O error)
    /// become statement-terminating errors located at the command.
    private func located<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let e as RuntimeError {
            throw e.located(loc)
        } catch let e as ControlFlow {
            throw e
        } catch let e as ParseError {
            throw e
        } catch {
            throw RuntimeError("\(error)", at: loc, errorId: "\(type(of: error)),\(info.name)")
        }
    }

    override func begin() throws {
        try located { try beginCmdlet() }
    }

    private func beginCmdlet() throws {
        result = try binder.bind(args, ctx, loc)
        let inv = Invocation(ctx: ctx, loc: loc, name: info.name, output: output, bound: result.values)
        if let ea = result.common["ErrorAction"] { inv.errorAction = Conversions.toString(ea, ctx) }
        cmdlet.inv = inv
        cmdlet.processor = self
        try cmdlet.begin()
    }

    override func process(_ input: Value?) throws {
        try located { try processCmdlet(input) }
    }

    private func processCmdlet(_ input: Value?) throws {
        if let input, !pipelineParams.isEmpty {
            var values = result.values
            for p in pipelineParams where result.values[p.name.lowercased()] == nil {
                if p.valueFromPipeline {
                    values[p.name.lowercased()] = try binder.convert(input, p, ctx, loc)
                } else if p.valueFromPipelineByPropertyName, let pv = Members.propertyValue(input, p.name) {
                    values[p.name.lowercased()] = try binder.convert(pv, p, ctx, loc)
                }
            }
            cmdlet.inv.bound = values
        } else if input == nil {
            try binder.checkMandatory(result, pipelineWillBind: false, loc)
        }
        try cmdlet.process(input)
    }

    override func end() throws {
        try located { try cmdlet.end() }
    }
}
