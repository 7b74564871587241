import Synchronization

/// An interned, case-folded variable name. Names are interned once at parse time so that scope
/// lookups compare integers.
public struct VarID: Hashable, Sendable {
    let raw: Int32

    private static let table = Mutex<[String: Int32]>([:])

    static func intern(_ name: String) -> VarID {
        var key = HashKey.fold(name)
        if key == "psitem" { key = "_" }
        return table.withLock { t in
            if let id = t[key] { return VarID(raw: id) }
            let id = Int32(t.count)
            t[key] = id
            return VarID(raw: id)
        }
    }

    static let underscore = intern("_")
    static let null = intern("null")
    static let psItem = intern("PSItem")
    static let args = intern("args")
    static let input = intern("input")
    static let matches = intern("Matches")
    static let ofs = intern("OFS")
    static let errorActionPreference = intern("ErrorActionPreference")
    static let psBoundParameters = intern("PSBoundParameters")
    static let psScriptRoot = intern("PSScriptRoot")
    static let question = intern("?")
    static let error = intern("Error")
    static let this = intern("this")
}

/// A variable: a reference cell, so that closures and scopes share it.
public final class PSVariable: @unchecked Sendable {
    // Settable only so that a finished call's parameter variables can be reused (Scope.clear).
    @exclusivity(unchecked) public fileprivate(set) var name: String
    // Read and written on every variable access: exempt from the runtime exclusivity check (nothing
    // holds an inout access to these across a call).
    @exclusivity(unchecked) public var value: Value
    /// `[int]$n = ...` keeps converting assignments to this type.
    @exclusivity(unchecked) var typeConstraint: DotNetType?
    @exclusivity(unchecked) var readOnly = false

    init(name: String, value: Value, typeConstraint: DotNetType? = nil) {
        self.name = name
        self.value = value
        self.typeConstraint = typeConstraint
    }

    /// Stores `v` when the variable is unconstrained and writable; false otherwise.
    @inline(__always)
    func storePlain(_ v: Value) -> Bool {
        guard typeConstraint == nil && !readOnly else { return false }
        value = v
        return true
    }

    /// `value + b` (or `- b`) stored in place when the variable is unconstrained and writable and
    /// both are numbers `Operators.fastAddOrSubtract` handles; returns the new value, else nil.
    @inline(__always)
    func addInPlace(_ b: Value, subtract: Bool) -> Value? {
        guard typeConstraint == nil && !readOnly else { return nil }
        if case .int(let i) = value, case .int(let j) = b {
            let (r, o) = subtract ? i.subtractingReportingOverflow(j) : i.addingReportingOverflow(j)
            if !o {
                value = .int(r)
                return .int(r)
            }
        }
        guard let r = Operators.fastAddOrSubtract(value, b, subtract: subtract) else { return nil }
        value = r
        return r
    }
}

/// A PowerShell scope. Lookups walk the parent chain: PowerShell scoping is dynamic, so a function's
/// scope has its caller's scope as parent.
///
/// Variables live in one manually managed block (the variables, then their ids) so that the lookup
/// walk, which runs on every variable access, neither retains nor releases anything: small scopes
/// are searched linearly, larger ones through an open-addressing table of entry numbers. One thread
/// runs in a scope at a time, and nothing holds an access to these fields across a call, so the
/// runtime exclusivity checks are skipped.
public final class Scope: @unchecked Sendable {
    enum Kind { case global, script, function, block }

    // Variables only so that a finished call's scope can be reused (see ExecutionContext.takeScope).
    @exclusivity(unchecked) private(set) var parent: Scope?
    /// `parent` without reference counting (`parent` keeps it alive), for the lookup walk.
    @exclusivity(unchecked) private var parentRef: Unmanaged<Scope>?
    @exclusivity(unchecked) private(set) var kind: Kind
    @exclusivity(unchecked) private var block: UnsafeMutableRawPointer?
    @exclusivity(unchecked) private var vars: UnsafeMutablePointer<PSVariable>?
    @exclusivity(unchecked) private var ids: UnsafeMutablePointer<VarID>?
    @exclusivity(unchecked) private var count = 0
    /// Slots `count..<initialized` hold spare variables from a previous use of the scope (see
    /// `clear`), which `addVariable` reuses.
    @exclusivity(unchecked) private var initialized = 0
    @exclusivity(unchecked) private var capacity = 0
    /// Entry numbers by hashed id (-1: empty) once the scope has more than `linearLimit` variables.
    @exclusivity(unchecked) private var table: UnsafeMutablePointer<Int32>?
    @exclusivity(unchecked) private var tableMask = 0
    /// Functions defined here, by lower-cased name: a short list compared in order (a call looks
    /// its name up on every call, and comparing a few short strings is cheaper than hashing one),
    /// indexed by a dictionary once it grows.
    @exclusivity(unchecked) private var functionNames: [String] = []
    @exclusivity(unchecked) private var functionInfos: [FunctionInfo] = []
    @exclusivity(unchecked) private var functionIndex: [String: Int]?
    /// The automatic variables of a function call that most bodies never read (`$args`,
    /// `$PSBoundParameters`, `$input`) are kept as plain data and made into variables on first
    /// lookup, so a call does not build a hashtable and two arrays that nobody looks at. These bits
    /// say which are still to be made; `pendingNames` are the bound parameters' names in binding
    /// order, and `arguments` holds their values, then the arguments no parameter took.
    @exclusivity(unchecked) private var pending: UInt8 = 0
    @exclusivity(unchecked) private var pendingNames: [String] = []
    @exclusivity(unchecked) private var pendingBoundCount = 0
    private static let pendingArgs: UInt8 = 1, pendingBound: UInt8 = 2, pendingInput: UInt8 = 4
    /// The evaluated arguments of the call this scope is for (a direct call; see DirectCall).
    @exclusivity(unchecked) var arguments: [Value] = []

    private static let linearLimit = 8

    init(parent: Scope?, kind: Kind) {
        self.parent = parent
        self.parentRef = parent.map { Unmanaged.passUnretained($0) }
        self.kind = kind
    }

    /// A scope with room for `capacity` variables before it grows.
    convenience init(parent: Scope?, kind: Kind, capacity: Int) {
        self.init(parent: parent, kind: kind)
        if capacity > 0 { grow(to: capacity) }
    }

    deinit {
        vars?.deinitialize(count: initialized)
        block?.deallocate()
        table?.deallocate()
    }

    /// Empties the scope (variables, functions, parent) but keeps its storage, for reuse.
    /// Variables nothing else holds stay in their slots as spares.
    func clear() {
        if let vars {
            var kept = 0
            for i in 0..<initialized {
                if isKnownUniquelyReferenced(&vars[i]) {
                    let v = vars[i]
                    v.value = .null
                    v.typeConstraint = nil
                    v.readOnly = false
                    if kept != i { (vars + kept).initialize(to: (vars + i).move()) }
                    kept += 1
                } else {
                    (vars + i).deinitialize(count: 1)
                }
            }
            initialized = kept
        }
        count = 0
        while !arguments.isEmpty { arguments.removeLast() }
        table?.deallocate()
        table = nil
        tableMask = 0
        if !functionNames.isEmpty {
            functionNames = []
            functionInfos = []
            functionIndex = nil
        }
        pending = 0
        parent = nil
        parentRef = nil
    }

    /// Makes a cleared scope a fresh child of `parent`.
    func reuse(parent: Scope, kind: Kind) {
        self.parent = parent
        parentRef = Unmanaged.passUnretained(parent)
        self.kind = kind
    }

    // MARK: lookup

    /// The variable `id` of this scope, unretained: valid while the scope keeps it, so use it before
    /// anything that could remove it runs.
    @inline(__always)
    func localRef(_ id: VarID) -> Unmanaged<PSVariable>? {
        var hint = -1
        return localRef(id, hint: &hint)
    }

    /// `localRef` trying slot `hint` first and setting it to the slot where the variable was found.
    @inline(__always)
    func localRef(_ id: VarID, hint: inout Int) -> Unmanaged<PSVariable>? {
        let i = localIndex(id, hint: hint)
        guard i >= 0, let vars else { return nil }
        hint = i
        return Unmanaged.passUnretained(vars[i])
    }

    /// The slot of variable `id` in this scope, or -1. `hint` is a slot to try first (where the
    /// same variable reference found it last time).
    @inline(__always)
    private func localIndex(_ id: VarID, hint: Int) -> Int {
        if let ids {
            if hint >= 0 && hint < count && ids[hint] == id { return hint }
            if let table {
                var h = Scope.hash(id) & tableMask
                while true {
                    let e = Int(table[h])
                    if e < 0 { break }
                    if ids[e] == id { return e }
                    h = (h + 1) & tableMask
                }
            } else {
                var i = 0
                while i < count {
                    if ids[i] == id { return i }
                    i += 1
                }
            }
        }
        if pending == 0 || materializePending(id) == nil { return -1 }
        return count - 1
    }

    /// `localRef` through the parent chain.
    @inline(__always)
    func lookupRef(_ id: VarID) -> Unmanaged<PSVariable>? {
        var hint = -1
        return lookupRef(id, hint: &hint)
    }

    /// `localRef` through the parent chain, trying slot `hint` first in each scope and setting it
    /// to the slot where the variable was found.
    @inline(__always)
    func lookupRef(_ id: VarID, hint: inout Int) -> Unmanaged<PSVariable>? {
        var s = Unmanaged.passUnretained(self)
        let h = hint
        while true {
            let found: Unmanaged<PSVariable>? = s._withUnsafeGuaranteedRef { scope in
                let i = scope.localIndex(id, hint: h)
                guard i >= 0, let vars = scope.vars else { return nil }
                hint = i
                return Unmanaged.passUnretained(vars[i])
            }
            if let found { return found }
            guard let p = s._withUnsafeGuaranteedRef({ $0.parentRef }) else { return nil }
            s = p
        }
    }

    func local(_ id: VarID) -> PSVariable? { localRef(id)?.takeUnretainedValue() }

    func lookup(_ id: VarID) -> PSVariable? { lookupRef(id)?.takeUnretainedValue() }

    @inline(__always)
    private static func hash(_ id: VarID) -> Int {
        Int(truncatingIfNeeded: (UInt32(bitPattern: id.raw) &* 2_654_435_761) >> 8)
    }

    // MARK: definition

    /// Adds a new variable `id` (reusing a spare one of a previous use of this scope when there
    /// is one).
    @inline(__always)
    func addVariable(_ id: VarID, name: String, value: Value, typeConstraint: DotNetType?) {
        if count < initialized, pending == 0, table == nil, let vars, let ids {
            let v = vars[count]
            if v.name != name { v.name = name }
            v.value = value
            v.typeConstraint = typeConstraint
            ids[count] = id
            count += 1
            if count > Scope.linearLimit { index(count - 1) }
            return
        }
        add(id, PSVariable(name: name, value: value, typeConstraint: typeConstraint))
    }

    @discardableResult
    func define(_ id: VarID, name: String, value: Value) -> PSVariable {
        if let v = local(id) { v.value = value; return v }
        let v = PSVariable(name: name, value: value)
        add(id, v)
        return v
    }

    func add(_ id: VarID, _ v: PSVariable) {
        // A definition made before the pending one was looked up replaces it.
        if pending != 0 { discardPending(id) }
        if count < initialized, let vars {
            // Drop the spares: the new variable takes the next slot.
            (vars + count).deinitialize(count: initialized - count)
            initialized = count
        }
        if count == capacity { grow(to: max(4, capacity * 2)) }
        guard let ids, let vars else { return }
        (vars + count).initialize(to: v)
        (ids + count).initialize(to: id)
        count += 1
        initialized = count
        if table != nil || count > Scope.linearLimit { index(count - 1) }
    }

    private func grow(to newCapacity: Int) {
        let stride = MemoryLayout<PSVariable>.stride + MemoryLayout<VarID>.stride
        let newBlock = UnsafeMutableRawPointer.allocate(byteCount: newCapacity * stride, alignment: MemoryLayout<PSVariable>.alignment)
        let newVars = newBlock.bindMemory(to: PSVariable.self, capacity: newCapacity)
        let newIds = (newBlock + newCapacity * MemoryLayout<PSVariable>.stride).bindMemory(to: VarID.self, capacity: newCapacity)
        if let vars, let ids {
            newVars.moveInitialize(from: vars, count: initialized)
            newIds.moveInitialize(from: ids, count: count)
        }
        block?.deallocate()
        block = UnsafeMutableRawPointer(newVars)
        vars = newVars
        ids = newIds
        capacity = newCapacity
    }

    /// Enters entry `e` into the table, making or enlarging the table as needed.
    private func index(_ e: Int) {
        if table == nil || count * 2 > tableMask + 1 {
            rebuildTable()
            return
        }
        insert(e)
    }

    private func insert(_ e: Int) {
        guard let table, let ids else { return }
        var h = Scope.hash(ids[e]) & tableMask
        while table[h] >= 0 { h = (h + 1) & tableMask }
        table[h] = Int32(e)
    }

    private func rebuildTable() {
        table?.deallocate()
        table = nil
        tableMask = 0
        guard count > Scope.linearLimit else { return }
        var size = 16
        while size < count * 4 { size *= 2 }
        let t = UnsafeMutablePointer<Int32>.allocate(capacity: size)
        t.initialize(repeating: -1, count: size)
        table = t
        tableMask = size - 1
        for e in 0..<count { insert(e) }
    }

    func remove(_ id: VarID) -> Bool {
        materializeAllPending()
        guard let ids, let vars else { return false }
        var i = 0
        while i < count && ids[i] != id { i += 1 }
        guard i < count else { return false }
        (vars + count).deinitialize(count: initialized - count)
        (vars + i).deinitialize(count: 1)
        (vars + i).moveInitialize(from: vars + i + 1, count: count - i - 1)
        (ids + i).moveInitialize(from: ids + i + 1, count: count - i - 1)
        count -= 1
        initialized = count
        if table != nil { rebuildTable() }
        return true
    }

    /// Variables defined directly in this scope, in definition order.
    var localVariables: [(VarID, PSVariable)] {
        materializeAllPending()
        guard let ids, let vars else { return [] }
        return (0..<count).map { (ids[$0], vars[$0]) }
    }

    // MARK: a call's automatic variables, on demand

    /// Records `$args`, `$PSBoundParameters` (and `$input` when `defineInput`) of a function call
    /// without creating them; the first lookup of one of them creates it with the value it would
    /// have had. The scope must not define variables of these names already.
    func setPendingInvocationVariables(names: [String], boundCount: Int, defineInput: Bool) {
        // A reused scope usually serves the same function again: keep the same names array.
        if pendingNames != names { pendingNames = names }
        pendingBoundCount = boundCount
        pending = Scope.pendingArgs | Scope.pendingBound | (defineInput ? Scope.pendingInput : 0)
    }

    /// The pending bit for `id`, or 0.
    @inline(__always)
    private static func pendingBit(_ id: VarID) -> UInt8 {
        if id == VarID.args { return pendingArgs }
        if id == VarID.psBoundParameters { return pendingBound }
        if id == VarID.input { return pendingInput }
        return 0
    }

    /// Creates the pending variable `id` if it is one; nil otherwise.
    private func materializePending(_ id: VarID) -> PSVariable? {
        let bit = Scope.pendingBit(id)
        guard pending & bit != 0 else { return nil }
        let v: PSVariable
        switch bit {
        case Scope.pendingArgs:
            v = PSVariable(name: "args", value: .array(PSArray(Array(arguments[pendingBoundCount...]))))
        case Scope.pendingBound:
            let h = PSHashtable()
            for k in 0..<pendingBoundCount { h.set(.string(pendingNames[k]), arguments[k]) }
            v = PSVariable(name: "PSBoundParameters", value: .hashtable(h))
        default:
            v = PSVariable(name: "input", value: .array(PSArray([])))
        }
        pending &= ~bit
        add(id, v)
        return v
    }

    private func discardPending(_ id: VarID) {
        pending &= ~Scope.pendingBit(id)
    }

    private func materializeAllPending() {
        _ = materializePending(VarID.args)
        _ = materializePending(VarID.psBoundParameters)
        _ = materializePending(VarID.input)
    }

    var scriptScope: Scope {
        var s: Scope = self
        while s.kind != .script && s.kind != .global, let p = s.parent { s = p }
        return s
    }

    var globalScope: Scope {
        var s: Scope = self
        while let p = s.parent { s = p }
        return s
    }

    /// The functions defined in this scope, by lower-cased name (nil when there are none).
    var functions: [String: FunctionInfo]? {
        guard !functionNames.isEmpty else { return nil }
        return Dictionary(zip(functionNames, functionInfos), uniquingKeysWith: { $1 })
    }

    /// The function of this scope named `lowered`.
    private func localFunction(_ lowered: String) -> FunctionInfo? {
        if functionNames.isEmpty { return nil }
        if let functionIndex { return functionIndex[lowered].map { functionInfos[$0] } }
        for i in functionNames.indices where functionNames[i] == lowered { return functionInfos[i] }
        return nil
    }

    func lookupFunction(_ lowered: String) -> FunctionInfo? {
        var s = Unmanaged.passUnretained(self)
        while true {
            if let f = s._withUnsafeGuaranteedRef({ $0.localFunction(lowered) }) { return f }
            guard let p = s._withUnsafeGuaranteedRef({ $0.parentRef }) else { return nil }
            s = p
        }
    }

    func defineFunction(_ f: FunctionInfo) {
        let name = f.name.lowercased()
        if let i = functionIndex.map({ $0[name] }) ?? functionNames.firstIndex(of: name) {
            functionInfos[i] = f
            return
        }
        functionNames.append(name)
        functionInfos.append(f)
        if functionIndex != nil {
            functionIndex?[name] = functionNames.count - 1
        } else if functionNames.count > 16 {
            functionIndex = Dictionary(uniqueKeysWithValues: zip(functionNames, functionNames.indices))
        }
    }
}
