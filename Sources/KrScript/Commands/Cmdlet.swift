/// One parameter of a command: the single declaration that drives binding, tab completion,
/// Get-Command, Get-Help and the generated reference.
public struct ParameterMeta: Sendable {
    public var name: String
    package var type: DotNetType
    public var aliases: [String] = []
    public var position: Int?
    public var mandatory = false
    public var valueFromPipeline = false
    public var valueFromPipelineByPropertyName = false
    /// Collects the positional arguments no other parameter takes (Write-Host's -Object).
    public var remaining = false
    public var validateSet: [String]?
    package var validateRange: (Value, Value)?
    public var validateNotNullOrEmpty = false
    public var help: String = ""
    /// Parameter sets this parameter belongs to (empty: all).
    public var sets: [String] = []

    package init(_ name: String, _ type: DotNetType = .object, position: Int? = nil, mandatory: Bool = false, pipeline: Bool = false,
         byPropertyName: Bool = false, remaining: Bool = false, aliases: [String] = [], set: [String]? = nil, help: String = "") {
        self.name = name
        self.type = type
        self.position = position
        self.mandatory = mandatory
        self.valueFromPipeline = pipeline
        self.valueFromPipelineByPropertyName = byPropertyName
        self.remaining = remaining
        self.aliases = aliases
        self.validateSet = set
        self.help = help
    }

    /// The same parameter, in the named parameter sets only (help prints one syntax line per set).
    package func inSets(_ names: String...) -> ParameterMeta {
        var p = self
        p.sets = names
        return p
    }

    public var isSwitch: Bool { type.kind == .switchParameter }
    public var typeName: String { type.name }
}

/// A help example: the code and what it shows. The test suite runs every example (HelpExampleTests):
/// `setup` is run first and is not shown (a server for the example to use, say), so that the code
/// shown stays what a reader types. An `inRoute` example uses the request (Write-KrJsonResponse ...):
/// the tests run it as the body of a route on a started server and request that route. Examples that
/// listen use port 5000; the tests run them on a free port instead (they replace 5000 in the setup
/// and the code).
public struct CommandExample: Sendable {
    public let code: String
    public let remarks: String
    public let setup: String
    public let inRoute: Bool
    public init(_ code: String, _ remarks: String, setup: String = "", inRoute: Bool = false) {
        self.code = code
        self.remarks = remarks
        self.setup = setup
        self.inRoute = inRoute
    }
}

/// A conceptual help topic (`Get-Help about_KrSharedState`): a name, one line, and the text.
public struct HelpTopic: Sendable {
    public let name: String
    public let synopsis: String
    /// Paragraphs separated by blank lines; lines indented by four spaces are code and kept as they are.
    public let text: String
    public init(_ name: String, synopsis: String, text: String) {
        self.name = name
        self.synopsis = synopsis
        self.text = text
    }
}

/// A built-in command: its metadata and a factory for the object that runs one invocation.
public struct CmdletInfo: Sendable {
    public let name: String
    public let synopsis: String
    public let description: String
    public let parameters: [ParameterMeta]
    public let examples: [CommandExample]
    /// The module that provides it (`KrShell` for the Kr cmdlets, `Core` for the language's own).
    public let module: String
    package let make: @Sendable () -> Cmdlet

    package init(_ name: String, synopsis: String, description: String = "", module: String = "Core", parameters: [ParameterMeta] = [],
         examples: [CommandExample] = [], make: @escaping @Sendable () -> Cmdlet) {
        self.name = name
        self.synopsis = synopsis
        self.description = description
        self.parameters = parameters
        self.examples = examples
        self.module = module
        self.make = make
    }
}

/// The running side of a built-in command. `begin` and `end` run once; `process` once per pipeline
/// input (or once with nil when the command is first in its pipeline).
package class Cmdlet {
    package var inv: Invocation!
    /// The processor running this cmdlet (a cmdlet that has all it needs stops upstream commands
    /// by throwing ControlFlow.stopUpstream with its identity).
    weak var processor: CommandProcessor?
    package init() {}
    package func begin() throws {}
    package func process(_ input: Value?) throws {}
    package func end() throws {}
}

/// A cmdlet defined by a closure run once per input (most simple cmdlets).
package final class ClosureCmdlet: Cmdlet {
    let body: (Invocation, Value?) throws -> Void
    package init(_ body: @escaping (Invocation, Value?) throws -> Void) { self.body = body }
    override package func process(_ input: Value?) throws { try body(inv, input) }
}

/// What a cmdlet sees of its invocation: bound parameters, the context, the output, the location.
package final class Invocation {
    package let ctx: ExecutionContext
    package let loc: SourceLocation
    package let name: String
    var output: OutputPipe
    package var bound: [String: Value]
    /// `-ErrorAction` given on this command.
    package var errorAction: String?

    init(ctx: ExecutionContext, loc: SourceLocation, name: String, output: OutputPipe, bound: [String: Value]) {
        self.ctx = ctx
        self.loc = loc
        self.name = name
        self.output = output
        self.bound = bound
    }

    package func has(_ name: String) -> Bool { bound[name.lowercased()] != nil }
    package func value(_ name: String) -> Value? { bound[name.lowercased()] }
    package func switchOn(_ name: String) -> Bool { bound[name.lowercased()].map(Conversions.toBool) ?? false }
    package func string(_ name: String) -> String? { bound[name.lowercased()].map { Conversions.toString($0, ctx) } }
    package func int(_ name: String) throws -> Int? { try bound[name.lowercased()].map { try Conversions.toInt($0, loc) } }
    package func double(_ name: String) throws -> Double? { try bound[name.lowercased()].map { try Conversions.toDouble($0, loc) } }

    package func write(_ v: Value) throws { try output.write(v) }
    package func writeEnumerated(_ v: Value) throws { try output.writeEnumerated(v) }

    /// A statement-terminating error from this command.
    package func error(_ message: String, type: DotNetType = .runtimeException, errorId: String? = nil) -> RuntimeError {
        RuntimeError(message, at: loc, type: type, errorId: errorId ?? "\(type.name),\(name)")
    }

    /// A non-terminating error: printed, unless ErrorAction is Stop (then it ends the script) or
    /// SilentlyContinue/Ignore (then it is dropped).
    package func writeError(_ message: String, type: DotNetType = .runtimeException, target: Value = .null) throws {
        var e = RuntimeError(message, at: loc, type: type, reach: .nonTerminating, errorId: "\(type.name),\(name)", target: target)
        let action = (errorAction ?? (ctx.errorActionStop ? "stop" : ctx.errorActionPreferenceName)).lowercased()
        switch action {
        case "stop":
            e.reach = .script
            throw e
        case "silentlycontinue", "ignore":
            ctx.setLocal(VarID.question, "?", .bool(false))
        default:
            ctx.writeErrorRecord(e)
        }
    }
}
