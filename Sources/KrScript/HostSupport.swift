import Foundation

/// What a host library (KrHost) needs from the language: parsing route code once, making runspace
/// contexts, running a script block in a fresh scope with injected variables, and authoring cmdlets.
/// `package` access: visible to the other targets of this package only.
package enum HostSupport {
    /// Parses code (a route body, a -Code string) into a script block; errors carry file, line, column.
    package static func parseScriptBlock(_ code: String, file: String) throws -> ScriptBlock {
        ScriptBlock(try Parser.parseScript(SourceFile(name: file, text: code)))
    }

    /// A runspace: its own global scope and streams, sharing the command table.
    package static func makeContext(name: String, sink: OutputSink, commands: CommandTable) -> ExecutionContext {
        let c = ExecutionContext(sink: sink, commands: commands)
        c.runspaceName = name
        ScriptEngine.defineAutomaticVariables(c)
        return c
    }

    /// The text of an error for logs and HTTP error bodies.
    package static func describe(_ error: Error) -> (message: String, location: String?) {
        switch error {
        case let e as RuntimeError: return (e.message, e.record.location.map { "\($0.file.name):\($0.line):\($0.column)" })
        case let e as ParseError: return (e.message, "\(e.location.file.name):\(e.location.line):\(e.location.column)")
        default: return ("\(error)", nil)
        }
    }
}

extension ScriptBlock {
    /// Where the block was written (`file:line:column`).
    package var locationText: String { "\(ast.loc.file.name):\(ast.loc.line):\(ast.loc.column)" }
}

extension ExecutionContext {
    /// Runs a script block as a request handler: a fresh scope under this runspace's global scope
    /// holding `variables` and `functions`. Every error ends the block (and reaches the caller), as
    /// if inside try; the block's pipeline output is discarded.
    package func runIsolated(_ sb: ScriptBlock, variables: [(String, Value)], functions: [FunctionInfo]) throws {
        let s = Scope(parent: globalScope, kind: .script)
        for (n, v) in variables { s.define(VarID.intern(n), name: n, value: v) }
        for f in functions { s.defineFunction(f) }
        let savedScope = scope, savedDepth = tryDepth
        scope = s
        tryDepth = 1
        Thread.current.threadDictionary["krsh.runspace"] = runspaceName
        defer {
            scope = savedScope
            tryDepth = savedDepth
        }
        do {
            if let b = sb.ast.begin { try Interpreter.execBlock(b, self, NullPipe.shared) }
            if let e = sb.ast.end { try Interpreter.execBlock(e, self, NullPipe.shared) }
        } catch ControlFlow.returnFromScope {
        } catch ControlFlow.exit {
        }
    }

    /// Variables and functions defined in this context's current scope chain (not the automatic
    /// ones): what Enable-KrConfiguration captures for the runspaces.
    package func capturableState() -> (variables: [(String, Value)], functions: [FunctionInfo]) {
        let automatic: Set<String> = [
            "erroractionpreference", "verbosepreference", "debugpreference", "warningpreference", "islinux", "iswindows",
            "ismacos", "iscoreclr", "psedition", "pid", "home", "psscriptroot", "psversiontable", "?", "args", "input", "_",
            "psboundparameters", "matches", "myinvocation", "this", "error", "ofs",
        ]
        var vars: [(String, Value)] = []
        var funcs: [FunctionInfo] = []
        var seenVars = Set<String>(), seenFuncs = Set<String>()
        var s: Scope? = scope
        while let cur = s {
            for (_, v) in cur.localVariables where !seenVars.contains(v.name.lowercased()) && !automatic.contains(v.name.lowercased()) {
                seenVars.insert(v.name.lowercased())
                vars.append((v.name, v.value))
            }
            for f in (cur.functions ?? [:]).values where !seenFuncs.contains(f.name.lowercased()) {
                seenFuncs.insert(f.name.lowercased())
                funcs.append(f)
            }
            s = cur.parent
        }
        return (vars, funcs)
    }

    /// Defines a variable in the global scope of this context (Set-KrSharedState at the prompt).
    package func defineGlobal(_ name: String, _ value: Value) {
        setGlobal(name, value)
    }

    package var isInteractive: Bool {
        get { hostData["krsh.interactive"] != nil }
        set { hostData["krsh.interactive"] = newValue ? NSNumber(value: true) : nil }
    }
}

/// Called when a `function` statement runs in a context (hosts use it to give new requests the
/// latest definition).
package final class FunctionHook: @unchecked Sendable {
    let body: (FunctionInfo) -> Void
    package init(_ body: @escaping (FunctionInfo) -> Void) { self.body = body }
    package static let key = "krsh.onFunctionDefined"
}

/// Conversions and helpers for host cmdlets, over the language's own rules.
package enum HostValues {
    package static func string(_ v: Value) -> String { Conversions.toString(v, nil) }
    package static func bool(_ v: Value) -> Bool { Conversions.toBool(v) }
    package static func int(_ v: Value, _ inv: Invocation) throws -> Int { try Conversions.toInt(v, inv.loc) }
    package static func double(_ v: Value, _ inv: Invocation) throws -> Double { try Conversions.toDouble(v, inv.loc) }
    package static func elements(_ v: Value) -> [Value] { Operators.elements(v) ?? (v.isNull ? [] : [v]) }
    package static func property(_ v: Value, _ name: String) -> Value? { Members.propertyValue(v, name) }
    package static func toJson(_ v: Value, depth: Int, compress: Bool) -> String { JsonConvert.toJson(v, depth: depth, compress: compress, nil) }
    package static func parseJson(_ text: String, asHashtable: Bool) throws -> Value {
        JsonConvert.value(try JSONText.parse(text), asHashtable: asHashtable)
    }
    package static func convert(_ v: Value, to t: DotNetType, _ inv: Invocation) throws -> Value { try Conversions.convert(v, to: t, inv.ctx, inv.loc) }
    package static func render(_ values: [Value]) -> String { Tables.render(values, nil) }
    /// The format a -Format or ToString(format) call gives.
    package static func format(_ v: Value, _ spec: String?) throws -> String { try TextOperators.formatValue(v, spec, nil, nil) }
    package static func invoke(_ sb: ScriptBlock, _ args: [Value], _ inv: Invocation, childScope: Bool) throws -> Value {
        try Invoker.invokeScriptBlock(sb, args: args, inv.ctx, dotSource: !childScope)
    }
    package static func typeName(_ v: Value) -> String { Conversions.typeOf(v).fullName }
}

/// Named .NET types for host objects.
package enum DotNetTypeName {
    package static func make(_ fullName: String) -> DotNetType { DotNetType(fullName, kind: .other, base: .object) }
}

extension Invocation {
    /// A statement-terminating error with a message (the route fails with 500, the prompt shows it).
    package func fail(_ message: String) -> Error { error(message) }
    /// An error answered with an HTTP status by the host (a malformed body is 400).
    package func fail(_ message: String, errorId: String) -> Error { error(message, errorId: errorId) }
    /// The location of the command being run (`file:line:column`).
    package var locationText: String { "\(loc.file.name):\(loc.line):\(loc.column)" }
    package var context: ExecutionContext { ctx }
}

extension Invocation {
    /// Whether another command follows this one in its pipeline.
    package var hasDownstream: Bool { output is ProcessorPipe }
}

extension ExecutionContext {
    package var commandTable: CommandTable { commands }
    /// A line on stdout, in order with pipeline output (Write-Host).
    package func writeHostLine(_ text: String) { writeHost(text + "\n") }
    package func flushOutput() { sink.flush() }
}

extension HostValues {
    package static func wildcard(_ pattern: String, _ text: String) -> Bool { WildcardPattern(pattern).matches(text) }
    package static func errorId(_ error: Error) -> String? { (error as? RuntimeError)?.record.errorId }
}

extension HostValues {
    /// The locked table behind a ConcurrentDictionary/Dictionary object, for atomic updates.
    package static func counterTable(_ o: PSObject) -> PSHashtable? { (o as? DictionaryObject)?.table }
}

extension ExecutionContext {
    /// Throws when Ctrl-C was pressed (long-running cmdlets call it between steps).
    package func checkInterrupted() throws { try checkInterrupt() }
}

extension HostValues {
    package static func isWildcard(_ s: String) -> Bool { WildcardPattern.containsWildcard(s) }

    /// A one-line form of a value for tables (hashtables as `Count=3; Name=x`), cut to `limit`.
    package static func shortText(_ v: Value, limit: Int) -> String {
        var s: String
        switch v {
        case .hashtable(let h): s = h.entries.map { "\(Conversions.toString($0.key, nil))=\(Conversions.toString($0.value, nil))" }.joined(separator: "; ")
        case .object(let o as DictionaryObject): s = o.table.entries.map { "\(Conversions.toString($0.key, nil))=\(Conversions.toString($0.value, nil))" }.joined(separator: "; ")
        default: s = Conversions.toString(v, nil)
        }
        s = s.replacingOccurrences(of: "\n", with: " ")
        return s.count > limit ? String(s.prefix(limit - 1)) + "…" : s
    }
}

extension ExecutionContext {
    package func writeHostLine(_ text: String, newline: Bool) { writeHost(newline ? text + "\n" : text) }
}

extension HostValues {
    /// PowerShell CLIXML (Export-Clixml's format) for snapshots.
    package static func toClixml(_ v: Value) -> String { Clixml.serialize(v, depth: 64) }
    package static func fromClixml(_ text: String) throws -> Value { try Clixml.deserialize(text) }
    package static func bytes(_ v: Value, _ inv: Invocation) throws -> [UInt8] { try Bytes.from(v, inv.ctx, inv.loc) }
    package static func byteArray(_ b: [UInt8]) -> Value { Bytes.value(b) }
}

extension HostValues {
    package static func sha256Hex(_ bytes: [UInt8]) -> String {
        CryptoAndNet.digest(.sha256, bytes).map { String(format: "%02x", $0) }.joined()
    }

    /// A DateTime (or a date string PowerShell's [datetime] accepts) as an instant.
    package static func date(_ v: Value) -> Date? {
        var d: DotNetDateTime
        switch v {
        case .dateTime(let x): d = x
        case .string(let s): guard let x = DotNetDateTime.parse(s) else { return nil }; d = x
        default: return nil
        }
        if d.kind != .utc { d = d.toUniversalTime() }
        return Date(timeIntervalSince1970: Double(d.ticks - DotNetDateTime.unixEpochTicks) / 10_000_000)
    }
}
