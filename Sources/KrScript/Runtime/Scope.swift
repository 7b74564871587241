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
    public let name: String
    public var value: Value
    /// `[int]$n = ...` keeps converting assignments to this type.
    var typeConstraint: DotNetType?
    var readOnly = false

    init(name: String, value: Value, typeConstraint: DotNetType? = nil) {
        self.name = name
        self.value = value
        self.typeConstraint = typeConstraint
    }
}

/// A PowerShell scope. Lookups walk the parent chain: PowerShell scoping is dynamic, so a function's
/// scope has its caller's scope as parent.
public final class Scope: @unchecked Sendable {
    enum Kind { case global, script, function, block }

    let parent: Scope?
    let kind: Kind
    // Small scopes are searched linearly (faster than hashing for a handful of names); a dictionary
    // index is added once a scope grows.
    private var ids: [VarID] = []
    private var vars: [PSVariable] = []
    private var index: [VarID: Int]?
    var functions: [String: FunctionInfo]?

    init(parent: Scope?, kind: Kind) {
        self.parent = parent
        self.kind = kind
    }

    @inline(__always)
    func local(_ id: VarID) -> PSVariable? {
        if let index { return index[id].map { vars[$0] } }
        for i in ids.indices where ids[i] == id { return vars[i] }
        return nil
    }

    func lookup(_ id: VarID) -> PSVariable? {
        var s: Scope? = self
        while let cur = s {
            if let v = cur.local(id) { return v }
            s = cur.parent
        }
        return nil
    }

    @discardableResult
    func define(_ id: VarID, name: String, value: Value) -> PSVariable {
        if let v = local(id) { v.value = value; return v }
        let v = PSVariable(name: name, value: value)
        add(id, v)
        return v
    }

    func add(_ id: VarID, _ v: PSVariable) {
        if var idx = index {
            idx[id] = vars.count
            index = idx
        } else if ids.count >= 12 {
            var idx: [VarID: Int] = [:]
            for (i, x) in ids.enumerated() { idx[x] = i }
            idx[id] = vars.count
            index = idx
        }
        ids.append(id)
        vars.append(v)
    }

    func remove(_ id: VarID) -> Bool {
        guard let i = ids.firstIndex(of: id) else { return false }
        ids.remove(at: i)
        vars.remove(at: i)
        if index != nil {
            var idx: [VarID: Int] = [:]
            for (j, x) in ids.enumerated() { idx[x] = j }
            index = idx
        }
        return true
    }

    /// Variables defined directly in this scope.
    var localVariables: [(VarID, PSVariable)] { Array(zip(ids, vars)) }

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

    func lookupFunction(_ lowered: String) -> FunctionInfo? {
        var s: Scope? = self
        while let cur = s {
            if let f = cur.functions?[lowered] { return f }
            s = cur.parent
        }
        return nil
    }

    func defineFunction(_ f: FunctionInfo) {
        if functions == nil { functions = [:] }
        functions?[f.name.lowercased()] = f
    }
}
