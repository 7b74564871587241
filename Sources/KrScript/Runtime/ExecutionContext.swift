import Foundation
import Synchronization

/// The state of one runspace: its global scope, the current scope, preferences, and the streams.
/// One thread at a time runs in a context (the REPL's, or a request's borrowed runspace).
public final class ExecutionContext: @unchecked Sendable {
    let globalScope: Scope
    /// Read on every variable access; no access is held across a call, so the runtime exclusivity
    /// check is skipped.
    var scope: Scope {
        get { currentScope }
        set {
            currentScope = newValue
            scopeRef = Unmanaged.passUnretained(newValue)
        }
    }
    @exclusivity(unchecked) private var currentScope: Scope
    /// `scope` without reference counting (`scope` keeps it alive), for variable lookups.
    @exclusivity(unchecked) private(set) var scopeRef: Unmanaged<Scope>
    let sink: OutputSink
    /// NullPipe.shared, without the lazy-global check at each use.
    let nullPipe: OutputPipe = NullPipe.shared
    let commands: CommandTable
    /// Depth of enclosing try blocks at run time: inside one, statement-terminating errors are caught
    /// instead of printed.
    @exclusivity(unchecked) var tryDepth = 0
    var strictMode = false
    /// Errors being handled by enclosing catch blocks (a bare `throw` rethrows the last).
    var caughtErrors: [RuntimeError] = []
    /// The source of the script being run (for error display).
    var colorErrors = false
    /// Set from another thread by Ctrl-C.
    let interruptFlag = Atomic<Bool>(false)
    /// The host the cmdlets of KrHost act on (opaque to the language).
    public var hostData: [String: AnyObject] = [:]
    /// The runspace's name (`Runspace1`...), for [Runspace]::DefaultRunspace.Name.
    public var runspaceName = "Runspace1"

    init(sink: OutputSink, commands: CommandTable) {
        self.sink = sink
        self.commands = commands
        globalScope = Scope(parent: nil, kind: .global)
        currentScope = globalScope
        scopeRef = Unmanaged.passUnretained(globalScope)
    }

    // MARK: variables

    /// The value of an unqualified variable, or nil when it is not defined: the lookup that every
    /// `$name` makes, without reference counting.
    @inline(__always)
    func lookupValue(_ id: VarID) -> Value? {
        guard let v = scopeRef._withUnsafeGuaranteedRef({ $0.lookupRef(id) }) else { return nil }
        return v._withUnsafeGuaranteedRef { $0.value }
    }

    /// `lookupValue` trying slot `hint` first (see Scope.lookupRef(_:hint:)).
    @inline(__always)
    func lookupValue(_ id: VarID, hint: inout Int) -> Value? {
        guard let v = scopeRef._withUnsafeGuaranteedRef({ $0.lookupRef(id, hint: &hint) }) else { return nil }
        return v._withUnsafeGuaranteedRef { $0.value }
    }

    /// The variable of the current scope that `v` (unqualified) names, unretained (see
    /// `Scope.localRef`), trying the slot where `v` found its variable last time first.
    @inline(__always)
    func localRef(_ v: VariableExpr) -> Unmanaged<PSVariable>? {
        let old = v.slotHint.load(ordering: .relaxed)
        var hint = old
        let r = scopeRef._withUnsafeGuaranteedRef { $0.localRef(v.path.id, hint: &hint) }
        if hint != old { v.slotHint.store(hint, ordering: .relaxed) }
        return r
    }

    /// The variable `id` of the current scope, unretained (see `Scope.localRef`).
    @inline(__always)
    func localRef(_ id: VarID) -> Unmanaged<PSVariable>? {
        scopeRef._withUnsafeGuaranteedRef { $0.localRef(id) }
    }

    func lookupVariable(_ path: VariablePath) -> PSVariable? {
        switch path.qualifier {
        case .none, .variable: return scope.lookup(path.id)
        case .global: return globalScope.local(path.id)
        case .script: return scope.scriptScope.lookup(path.id)
        case .local, .private: return scope.local(path.id)
        case .using: return scope.lookup(path.id)
        case .env: return nil
        }
    }

    func getVariable(_ path: VariablePath, _ loc: SourceLocation) throws -> Value {
        if path.qualifier == .env {
            return ProcessInfo.processInfo.environment[path.name].map { .string($0) } ?? .null
        }
        if let v = lookupVariable(path) { return v.value }
        if strictMode {
            throw RuntimeError("The variable '$\(path.name)' cannot be retrieved because it has not been set.", at: loc,
                               errorId: "VariableIsUndefined")
        }
        return .null
    }

    func setVariable(_ path: VariablePath, _ value: Value) throws {
        switch path.qualifier {
        case .env:
            if value.isNull { unsetenv(path.name) } else { setenv(path.name, Conversions.toString(value, self), 1) }
            return
        case .global: try assign(in: globalScope, path, value)
        case .script: try assign(in: scope.scriptScope, path, value)
        default: try assign(in: scope, path, value)
        }
    }

    private func assign(in s: Scope, _ path: VariablePath, _ value: Value) throws {
        if let v = s.local(path.id) {
            try store(v, value)
        } else {
            s.add(path.id, PSVariable(name: path.name, value: value))
        }
    }

    func store(_ v: PSVariable, _ value: Value) throws {
        if v.readOnly { throw RuntimeError("Cannot overwrite variable \(v.name) because it is read-only or constant.", at: nil) }
        if let t = v.typeConstraint {
            v.value = try Conversions.convert(value, to: t, self)
        } else {
            v.value = value
        }
    }

    /// Defines (or overwrites) a variable in the current scope.
    func setLocal(_ id: VarID, _ name: String, _ value: Value) {
        scope.define(id, name: name, value: value)
    }

    public func setGlobal(_ name: String, _ value: Value) {
        globalScope.define(VarID.intern(name), name: name, value: value)
    }

    public func getGlobal(_ name: String) -> Value? {
        globalScope.local(VarID.intern(name))?.value
    }

    // MARK: preferences

    var errorActionStop: Bool {
        if let v = scope.lookup(VarID.errorActionPreference)?.value {
            return Conversions.toString(v, self).lowercased() == "stop"
        }
        return false
    }

    var errorActionPreferenceName: String {
        scope.lookup(VarID.errorActionPreference).map { Conversions.toString($0.value, self) } ?? "Continue"
    }

    var ofs: String {
        if let v = scope.lookup(VarID.ofs)?.value, !v.isNull { return Conversions.toString(v, nil) }
        return " "
    }

    func checkInterrupt() throws {
        if interruptFlag.load(ordering: .relaxed) {
            interruptFlag.store(false, ordering: .relaxed)
            throw ControlFlow.interrupted
        }
    }

    // MARK: scopes

    // Function calls and statements used as values allocate a scope or a collecting pipe and drop
    // it at once; a few are kept here and reused when nothing else holds them.
    // The most recently given back one is kept apart from the rest (most calls nest one deep).
    @exclusivity(unchecked) private var spareScope: Scope?
    @exclusivity(unchecked) private var spareScopes: [Scope] = []
    @exclusivity(unchecked) private var spareCollector: CollectingPipe?
    @exclusivity(unchecked) private var spareCollectors: [CollectingPipe] = []
    private static let spareLimit = 16

    /// A new child scope of the current scope (a recycled one when there is one).
    @inline(__always)
    func takeChildScope(kind: Scope.Kind) -> Scope {
        takeScope(parent: currentScope, kind: kind)
    }

    /// A new child scope of `parent` (a recycled one when there is one).
    @inline(__always)
    func takeScope(parent: Scope, kind: Scope.Kind) -> Scope {
        if let s = spareScope.take() ?? spareScopes.popLast() {
            s.reuse(parent: parent, kind: kind)
            return s
        }
        return Scope(parent: parent, kind: kind, capacity: 4)
    }

    /// Gives back a scope from `takeScope` that is no longer current; it is reused only if
    /// nothing else (a closure, a child scope, a variable listing) holds it.
    @inline(__always)
    func recycle(_ scope: consuming Scope) {
        var s = scope
        guard isKnownUniquelyReferenced(&s) else { return }
        s.clear()
        if spareScope == nil {
            spareScope = s
        } else if spareScopes.count < ExecutionContext.spareLimit {
            spareScopes.append(s)
        }
    }

    @inline(__always)
    func takeCollector() -> CollectingPipe {
        spareCollector.take() ?? spareCollectors.popLast() ?? CollectingPipe()
    }

    /// Gives back a pipe from `takeCollector` once its result has been read.
    @inline(__always)
    func recycle(_ pipe: consuming CollectingPipe) {
        var p = pipe
        guard isKnownUniquelyReferenced(&p) else { return }
        p.clear()
        if spareCollector == nil {
            spareCollector = p
        } else if spareCollectors.count < ExecutionContext.spareLimit {
            spareCollectors.append(p)
        }
    }

    /// Makes `s` the current scope and leaves the previous one in `s` (a swap: no reference
    /// counting, for a call entering and leaving its scope).
    @inline(__always)
    func exchangeScope(_ s: inout Scope) {
        swap(&currentScope, &s)
        scopeRef = Unmanaged.passUnretained(currentScope)
    }

    /// Runs `body` in a new child scope of `parent` (default: the current scope).
    func withScope<T>(_ kind: Scope.Kind, parent: Scope? = nil, _ body: (Scope) throws -> T) rethrows -> T {
        let saved = scope
        let s = Scope(parent: parent ?? scope, kind: kind)
        scope = s
        defer { scope = saved }
        return try body(s)
    }

    // MARK: streams

    func writeErrorRecord(_ e: RuntimeError) {
        sink.writeErr(ErrorFormatter.format(e, color: colorErrors))
        setLocal(VarID.question, "?", .bool(false))
    }

    /// Where Write-Host text goes: the engine flushes pending table output first, to keep order.
    var hostWriter: ((String) -> Void)?

    func writeHost(_ text: String) {
        if let hostWriter { hostWriter(text) } else { sink.writeOut(text) }
    }

    func writeWarning(_ text: String) {
        sink.writeErr((colorErrors ? "\u{1B}[33mWARNING: " : "WARNING: ") + text + (colorErrors ? "\u{1B}[0m\n" : "\n"))
    }
}

/// The `FILE:LINE:COLUMN: error: MESSAGE` line plus the source line and a caret.
enum ErrorFormatter {
    static func format(_ e: RuntimeError, color: Bool) -> String {
        format(message: e.message, location: e.record.location, color: color)
    }

    static func format(message: String, location: SourceLocation?, color: Bool) -> String {
        let red = color ? "\u{1B}[31m" : "", reset = color ? "\u{1B}[0m" : ""
        guard let l = location else { return "\(red)error: \(message)\(reset)\n" }
        var out = "\(red)\(l.file.name):\(l.line):\(l.column): error: \(message)\(reset)\n"
        let line = l.sourceLine
        if !line.isEmpty {
            out += line + "\n"
            var caret = ""
            for (i, ch) in line.unicodeScalars.enumerated() where i < l.column - 1 { caret.unicodeScalars.append(ch == "\t" ? "\t" : " ") }
            out += caret + "^\n"
        }
        return out
    }
}
