import Foundation

/// Member access on values: properties, methods, indexing. Dictionary keys come before type
/// properties, as PowerShell does for hashtables.
enum Members {
    // MARK: properties

    static func get(_ v: Value, _ name: String, _ c: ExecutionContext, _ loc: SourceLocation) throws -> Value {
        if let r = propertyValue(v, name) { return r }
        // Member enumeration: a property of each element of a collection.
        if let items = Operators.elements(v) {
            var out: [Value] = []
            for item in items {
                if let r = propertyValue(item, name) { out.append(contentsOf: Operators.elements(r) ?? [r]) }
            }
            if out.isEmpty && c.strictMode { throw missingProperty(name, loc) }
            return out.isEmpty ? .null : (out.count == 1 ? out[0] : .array(PSArray(out)))
        }
        if v.isNull, ["count", "length"].contains(name.lowercased()) { return .int(0) }
        if c.strictMode && !v.isNull { throw missingProperty(name, loc) }
        return .null
    }

    static func missingProperty(_ name: String, _ loc: SourceLocation) -> RuntimeError {
        RuntimeError("The property '\(name)' cannot be found on this object. Verify that the property exists.", at: loc,
                     errorId: "PropertyNotFoundStrict")
    }

    /// A property of one value, or nil when it has none by that name.
    static func propertyValue(_ v: Value, _ name: String) -> Value? {
        let n = name.lowercased()
        switch v {
        case .null: return nil
        case .hashtable(let h):
            if let x = h.get(.string(name)) { return x }
            switch n {
            case "count": return .int(Int32(h.count))
            case "keys": return .array(PSArray(h.keys))
            case "values": return .array(PSArray(h.values))
            case "issynchronized": return .bool(h.synchronized)
            case "syncroot": return v
            default: return nil
            }
        case .object(let o):
            if let x = o.getProperty(name) { return x }
            if n == "psobject" { return .object(PSObjectView(v)) }
        case .string(let s):
            if n == "length" { return .int(Int32(s.utf16.count)) }
        case .array(let a):
            switch n {
            case "count", "length": return .int(Int32(a.count))
            case "rank": return .int(1)
            case "issynchronized": return .bool(false)
            default: break
            }
        case .dateTime(let d):
            if let x = DateMembers.property(d, n) { return x }
        case .timeSpan(let t):
            if let x = DateMembers.property(t, n) { return x }
        case .type(let t):
            switch n {
            case "name": return .string(t.name)
            case "fullname": return .string(t.fullName)
            case "namespace": return .string(t.fullName.split(separator: ".").dropLast().joined(separator: "."))
            case "basetype": return t.baseType.map { .type($0) } ?? .null
            case "isarray": return .bool(t.kind == .array)
            default: break
            }
        case .scriptBlock(let sb):
            if n == "ast" || n == "text" { return .string(sb.text) }
        default:
            break
        }
        // Every single object answers Count and Length with 1 (PowerShell's intrinsic members).
        if n == "count" || n == "length" { return .int(1) }
        return nil
    }

    static func set(_ v: Value, _ name: String, _ value: Value, _ c: ExecutionContext, _ loc: SourceLocation) throws {
        switch v {
        case .hashtable(let h):
            h.set(.string(name), value)
            return
        case .object(let o):
            if try o.setProperty(name, value) { return }
        case .null:
            throw RuntimeError("The property '\(name)' cannot be found on this object. Verify that the property exists and can be set.",
                               at: loc, errorId: "PropertyAssignmentException")
        default:
            break
        }
        throw RuntimeError("The property '\(name)' cannot be found on this object. Verify that the property exists and can be set.",
                           at: loc, errorId: "PropertyAssignmentException")
    }

    // MARK: indexing

    static func index(_ v: Value, _ idx: Value, _ c: ExecutionContext, _ loc: SourceLocation) throws -> Value {
        switch v {
        case .null:
            throw RuntimeError("Cannot index into a null array.", at: loc, errorId: "NullArray")
        case .hashtable(let h):
            if case .array(let keys) = idx { return .array(PSArray(keys.items.map { h.get($0) ?? .null })) }
            // OrderedDictionary's int indexer: `$ordered[0]` is the first value.
            if h.ordered, let position = Self.position(idx) {
                let values = h.values
                return values.indices.contains(position) ? values[position] : .null
            }
            return h.get(idx) ?? .null
        case .array(let a):
            return try indexList(a.items, idx, loc)
        case .string(let s):
            let units = Array(s.utf16)
            let chars = try indexList(units.map { Value.char($0) }, idx, loc)
            return chars
        case .object(let o):
            if let ix = o as? Indexable { return try ix.index(idx, c, loc) }
            if let items = o.enumerated { return try indexList(items, idx, loc) }
        default:
            break
        }
        // Scalars index like one-element arrays.
        if case .int(let i) = idx, i == 0 || i == -1 { return v }
        throw RuntimeError("Unable to index into an object of type \(Conversions.typeOf(v).fullName).", at: loc, errorId: "CannotIndex")
    }

    /// An int index (not a string that looks like one).
    private static func position(_ v: Value) -> Int? {
        switch v {
        case .int(let i): return Int(i)
        case .long(let l): return Int(exactly: l)
        default: return nil
        }
    }

    static func indexList(_ items: [Value], _ idx: Value, _ loc: SourceLocation) throws -> Value {
        if let many = Operators.elements(idx) {
            var out: [Value] = []
            for i in many {
                let r = try indexList(items, i, loc)
                if !r.isNull { out.append(r) }
            }
            return .array(PSArray(out))
        }
        let i = try Conversions.toInt(idx, loc)
        let j = i < 0 ? items.count + i : i
        return j >= 0 && j < items.count ? items[j] : .null
    }

    static func setIndex(_ v: Value, _ idx: Value, _ value: Value, _ c: ExecutionContext, _ loc: SourceLocation) throws {
        switch v {
        case .hashtable(let h):
            h.set(idx, value)
        case .array(let a):
            let i = try Conversions.toInt(idx, loc)
            let j = i < 0 ? a.count + i : i
            guard j >= 0 && j < a.count else {
                throw RuntimeError("Index was outside the bounds of the array.", at: loc, type: .runtimeException, errorId: "IndexOutOfRange")
            }
            a.items[j] = try a.elementType.map { try Conversions.convert(value, to: $0, c, loc) } ?? value
        case .object(let o as Indexable):
            try o.setIndex(idx, value, c, loc)
        case .null:
            throw RuntimeError("Cannot index into a null array.", at: loc, errorId: "NullArray")
        default:
            throw RuntimeError("Unable to index into an object of type \(Conversions.typeOf(v).fullName).", at: loc, errorId: "CannotIndex")
        }
    }

    // MARK: methods

    static func invoke(_ v: Value, _ name: String, _ args: [Value], _ c: ExecutionContext, _ loc: SourceLocation) throws -> Value {
        let n = name.lowercased()
        switch n {
        case "gettype" where args.isEmpty: return .type(Conversions.typeOf(v))
        case "psobject" where args.isEmpty: return .object(PSObjectView(v))
        default: break
        }
        do {
            if let r = try invokeTyped(v, n, args, c, loc) { return r }
        } catch let e as RuntimeError {
            throw e
        }
        if n == "tostring" && args.isEmpty { return .string(Conversions.toString(v, c)) }
        if n == "equals" && args.count == 1 { return .bool(Operators.equals(v, args[0], caseSensitive: true)) }
        if n == "gethashcode" && args.isEmpty { return .int(Int32(truncatingIfNeeded: Conversions.toString(v, c).hashValue)) }
        // Method enumeration over collections (`$list.ToUpper()`).
        if let items = Operators.elements(v), !items.isEmpty {
            var out: [Value] = []
            for item in items { out.append(try invoke(item, name, args, c, loc)) }
            return .array(PSArray(out))
        }
        throw RuntimeError("Method invocation failed because [\(Conversions.typeOf(v).fullName)] does not contain a method named '\(name)'.",
                           at: loc, errorId: "MethodNotFound")
    }

    private static func invokeTyped(_ v: Value, _ n: String, _ args: [Value], _ c: ExecutionContext, _ loc: SourceLocation) throws -> Value? {
        switch v {
        case .string(let s): return try StringMethods.call(s, n, args, c, loc)
        case .array(let a): return try CollectionMethods.callArray(a, n, args, c, loc)
        case .hashtable(let h): return try CollectionMethods.callHashtable(h, n, args, c, loc)
        case .scriptBlock(let sb):
            switch n {
            case "invoke": return try Invoker.invokeReturningCollection(sb, args, c)
            case "invokereturnasis": return try Invoker.invokeScriptBlock(sb, args: args, c)
            case "getnewclosure": return .scriptBlock(Closures.capture(sb, c))
            default: return nil
            }
        case .int, .long, .double, .decimal:
            return try NumberMethods.call(v, n, args, c, loc)
        case .char(let ch):
            if n == "tostring" && args.isEmpty { return .string(String(utf16CodeUnits: [ch], count: 1)) }
            if n == "compareto" && args.count == 1 { return .int(Int32(try Operators.compare(v, args[0], caseSensitive: true, loc))) }
            return nil
        case .bool(let b):
            if n == "tostring" { return .string(b ? "True" : "False") }
            return nil
        case .dateTime(let d): return try DateMembers.call(d, n, args, c, loc)
        case .timeSpan(let t): return try DateMembers.call(t, n, args, c, loc)
        case .type(let t):
            if n == "tostring" { return .string(t.fullName) }
            return nil
        case .object(let o):
            return try o.callMethod(n, args, c)
        case .null:
            return nil
        }
    }

    // MARK: statics

    static func getStatic(_ t: DotNetType, _ name: String, _ c: ExecutionContext, _ loc: SourceLocation) throws -> Value {
        if let v = t.statics?.property?(name) { return v }
        throw RuntimeError("The property '\(name)' cannot be found on type [\(t.fullName)].", at: loc, errorId: "PropertyNotFound")
    }

    static func invokeStatic(_ t: DotNetType, _ name: String, _ args: [Value], _ c: ExecutionContext, _ loc: SourceLocation) throws -> Value {
        if name.lowercased() == "new" {
            if let ctor = t.statics?.construct { return try ctor(args, c, loc) }
            throw RuntimeError("Cannot create an instance of [\(t.fullName)]: it has no constructor.", at: loc, errorId: "ConstructorNotFound")
        }
        if let r = try t.statics?.method?(name, args, c, loc) { return r }
        throw RuntimeError("Method invocation failed because [\(t.fullName)] does not contain a method named '\(name)'.", at: loc,
                           errorId: "MethodNotFound")
    }
}

/// Objects with an indexer (lists, dictionaries, match collections, a response's headers).
package protocol Indexable: AnyObject {
    func index(_ idx: Value, _ c: ExecutionContext, _ loc: SourceLocation) throws -> Value
    func setIndex(_ idx: Value, _ value: Value, _ c: ExecutionContext, _ loc: SourceLocation) throws
}

extension Indexable {
    package func setIndex(_ idx: Value, _ value: Value, _ c: ExecutionContext, _ loc: SourceLocation) throws {
        throw RuntimeError("The object does not support assigning by index.", at: loc)
    }
}

/// `$x.PSObject`: the properties view.
final class PSObjectView: PSObject, @unchecked Sendable {
    let value: Value
    init(_ v: Value) { value = v }
    override var dotNetType: DotNetType { .psObject }
    override func getProperty(_ name: String) -> Value? {
        switch name.lowercased() {
        case "properties":
            let names: [String]
            switch value {
            case .object(let o): names = o.propertyNames
            case .hashtable(let h): names = h.keys.map { Conversions.toString($0, nil) }
            default: names = []
            }
            return .array(PSArray(names.map { n in
                let p = PSCustomObject()
                p.set("Name", .string(n))
                p.set("Value", Members.propertyValue(value, n) ?? .null)
                return .object(p)
            }))
        case "typenames": return .array(PSArray([.string(Conversions.typeOf(value).fullName)]))
        case "baseobject": return value
        default: return nil
        }
    }
}

/// GetNewClosure: a scope holding copies of the variables visible now, whose parent is the global
/// scope (so the block no longer sees its caller's variables).
enum Closures {
    static func capture(_ sb: ScriptBlock, _ c: ExecutionContext) -> ScriptBlock {
        let s = Scope(parent: c.globalScope, kind: .block)
        var seen = Set<VarID>()
        var cur: Scope? = c.scope
        while let scope = cur, scope !== c.globalScope {
            for (id, v) in scope.localVariables where !seen.contains(id) {
                seen.insert(id)
                s.add(id, PSVariable(name: v.name, value: v.value))
            }
            cur = scope.parent
        }
        return ScriptBlock(sb.ast, closureScope: s)
    }
}
