import Synchronization

/// [pscustomobject]: ordered note properties.
public final class PSCustomObject: PSObject, @unchecked Sendable {
    private var names: [String] = []
    private var values: [String: Value] = [:]
    private let lock = Mutex(())
    /// A type name shown by GetType()/formatting for objects cmdlets make (MeasureInfo ...).
    var typeName: DotNetType = .psCustomObject

    public override init() {}

    public func set(_ name: String, _ value: Value) {
        lock.withLock { _ in
            let k = name.lowercased()
            if values[k] == nil { names.append(name) }
            values[k] = value
        }
    }

    public func get(_ name: String) -> Value? {
        lock.withLock { _ in values[name.lowercased()] }
    }

    public func has(_ name: String) -> Bool { get(name) != nil }

    public override var propertyNames: [String] { lock.withLock { _ in names } }

    public var properties: [(String, Value)] {
        lock.withLock { _ in names.map { ($0, values[$0.lowercased()] ?? .null) } }
    }

    public override var dotNetType: DotNetType { typeName }

    public override func getProperty(_ name: String) -> Value? { get(name) }

    public override func setProperty(_ name: String, _ value: Value) throws -> Bool {
        guard has(name) else { return false }
        set(name, value)
        return true
    }

    public override func toDisplayString(_ ctx: ExecutionContext?) -> String {
        "@{" + properties.map { "\($0.0)=\(Conversions.toString($0.1, ctx))" }.joined(separator: "; ") + "}"
    }
}

/// A script block value: the parsed body plus, for closures, the scope it captured.
public final class ScriptBlock: @unchecked Sendable {
    let ast: ScriptBlockAst
    /// Set by GetNewClosure: variables are looked up here instead of in the caller's scopes.
    let closureScope: Scope?

    init(_ ast: ScriptBlockAst, closureScope: Scope? = nil) {
        self.ast = ast
        self.closureScope = closureScope
    }

    var text: String { ast.text }
}

/// A function defined with `function`.
package final class FunctionInfo: @unchecked Sendable {
    package let name: String
    let body: ScriptBlockAst

    init(name: String, body: ScriptBlockAst) {
        self.name = name
        self.body = body
    }
}

/// A key/value pair from a hashtable's GetEnumerator() (System.Collections.DictionaryEntry).
final class DictionaryEntry: PSObject, @unchecked Sendable {
    let key: Value
    let value: Value
    init(_ key: Value, _ value: Value) { self.key = key; self.value = value }
    static let type = DotNetType("System.Collections.DictionaryEntry", kind: .other, base: .valueType)
    override var dotNetType: DotNetType { DictionaryEntry.type }
    override func getProperty(_ name: String) -> Value? {
        switch name.lowercased() {
        case "key", "name": return key
        case "value": return value
        default: return nil
        }
    }
    override var propertyNames: [String] { ["Name", "Value"] }
    override func toDisplayString(_ ctx: ExecutionContext?) -> String { "System.Collections.DictionaryEntry" }
}
