import Foundation
import Synchronization

/// Collections scripts construct: List[T], ArrayList, Dictionary[K,V], ConcurrentDictionary[K,V];
/// plus [Text.Encoding] and [Runspace]::DefaultRunspace.
enum GenericTypes {
    static let arrayList = DotNetType("System.Collections.ArrayList", kind: .other, base: .object)
    static let encoding = DotNetType("System.Text.Encoding", kind: .other, base: .object)
    static let runspace = DotNetType("System.Management.Automation.Runspaces.Runspace", kind: .other, base: .object)

    static var plainTypes: [DotNetType] { [arrayList, encoding, runspace] }

    /// Short names scripts use for these types.
    static let aliases: [(String, DotNetType)] = [
        ("Collections.ArrayList", arrayList), ("Text.Encoding", encoding),
        ("Management.Automation.Runspaces.Runspace", runspace),
    ]

    static func attachStatics() {
        arrayList.statics = StaticMembers(construct: { _, _, _ in .object(ListObject(type: arrayList, elementType: nil)) })
        encoding.statics = StaticMembers(property: { n in
            switch n.lowercased() {
            case "utf8", "default", "ascii", "unicode": return .object(EncodingObject(name: n.lowercased() == "default" ? "utf8" : n.lowercased()))
            default: return nil
            }
        })
        runspace.statics = StaticMembers(property: { n in
            n.lowercased() == "defaultrunspace" ? .object(RunspaceObject()) : nil
        })
    }

    /// Builds a closed generic type: `List[string]`, `ConcurrentDictionary[string,int]`.
    static func make(_ name: String, _ args: [DotNetType]) -> DotNetType? {
        let n = name.lowercased()
        let short = n.split(separator: ".").last.map(String.init) ?? n
        let argNames = "[" + args.map(\.fullName).joined(separator: ",") + "]"
        switch (short, args.count) {
        case ("list", 1):
            let t = DotNetType("System.Collections.Generic.List`1" + argNames, kind: .other, base: .object, generic: args, name: "List`1")
            t.statics = StaticMembers(construct: { _, _, _ in .object(ListObject(type: t, elementType: args[0])) })
            return t
        case ("dictionary", 2), ("concurrentdictionary", 2), ("sorteddictionary", 2):
            let concurrent = short == "concurrentdictionary"
            let ns = concurrent ? "System.Collections.Concurrent." : "System.Collections.Generic."
            let base = concurrent ? "ConcurrentDictionary`2" : (short == "dictionary" ? "Dictionary`2" : "SortedDictionary`2")
            let t = DotNetType(ns + base + argNames, kind: .other, base: .object, generic: args, name: base)
            t.statics = StaticMembers(construct: { _, _, _ in .object(DictionaryObject(type: t, keyType: args[0], valueType: args[1])) })
            return t
        default:
            return nil
        }
    }
}

/// List[T] and ArrayList.
final class ListObject: PSObject, Indexable, @unchecked Sendable {
    let type: DotNetType
    let elementType: DotNetType?
    private let items = Mutex<[Value]>([])

    init(type: DotNetType, elementType: DotNetType?) {
        self.type = type
        self.elementType = elementType
    }

    override var dotNetType: DotNetType { type }
    override var enumerated: [Value]? { items.withLock { $0 } }

    private func conv(_ v: Value, _ c: ExecutionContext, _ l: SourceLocation?) throws -> Value {
        guard let t = elementType else { return v }
        return try Conversions.convert(v, to: t, c, l)
    }

    override func getProperty(_ name: String) -> Value? {
        name.lowercased() == "count" ? .int(Int32(items.withLock { $0.count })) : nil
    }

    override func callMethod(_ name: String, _ args: [Value], _ c: ExecutionContext) throws -> Value? {
        let l: SourceLocation? = nil
        switch (name, args.count) {
        case ("add", 1):
            let v = try conv(args[0], c, l)
            let index = items.withLock { s -> Int in s.append(v); return s.count - 1 }
            return elementType == nil ? .int(Int32(index)) : .null
        case ("addrange", 1):
            let vs = try (Operators.elements(args[0]) ?? [args[0]]).map { try conv($0, c, l) }
            items.withLock { $0.append(contentsOf: vs) }
            return .null
        case ("remove", 1):
            return .bool(items.withLock { s in
                guard let i = s.firstIndex(where: { Operators.equals($0, args[0], caseSensitive: true) }) else { return false }
                s.remove(at: i)
                return true
            })
        case ("removeat", 1):
            let i = try Conversions.toInt(args[0], l)
            try items.withLock { s in
                guard i >= 0 && i < s.count else { throw RuntimeError("Index was out of range.", at: l, type: .argumentOutOfRangeException) }
                s.remove(at: i)
            }
            return .null
        case ("insert", 2):
            let i = try Conversions.toInt(args[0], l)
            let v = try conv(args[1], c, l)
            items.withLock { s in s.insert(v, at: max(0, min(i, s.count))) }
            return .null
        case ("clear", 0): items.withLock { $0.removeAll() }; return .null
        case ("contains", 1): return .bool(items.withLock { $0 }.contains { Operators.equals($0, args[0], caseSensitive: true) })
        case ("indexof", 1): return .int(Int32(items.withLock { $0 }.firstIndex { Operators.equals($0, args[0], caseSensitive: true) } ?? -1))
        case ("toarray", 0): return .array(PSArray(items.withLock { $0 }))
        case ("sort", 0):
            let sorted = try items.withLock { $0 }.sorted { try Operators.compare($0, $1, caseSensitive: true, l) < 0 }
            items.withLock { $0 = sorted }
            return .null
        case ("reverse", 0): items.withLock { $0.reverse() }; return .null
        default: return nil
        }
    }

    func index(_ idx: Value, _ c: ExecutionContext, _ loc: SourceLocation) throws -> Value {
        try Members.indexList(items.withLock { $0 }, idx, loc)
    }

    func setIndex(_ idx: Value, _ value: Value, _ c: ExecutionContext, _ loc: SourceLocation) throws {
        let i = try Conversions.toInt(idx, loc)
        let v = try conv(value, c, loc)
        try items.withLock { s in
            guard i >= 0 && i < s.count else { throw RuntimeError("Index was out of range.", at: loc, type: .argumentOutOfRangeException) }
            s[i] = v
        }
    }
}

/// Dictionary[K,V] and ConcurrentDictionary[K,V], over a locked hashtable. Script blocks passed
/// where .NET wants a delegate (AddOrUpdate's update function) are invoked as one.
final class DictionaryObject: PSObject, Indexable, @unchecked Sendable {
    let type: DotNetType
    let keyType: DotNetType
    let valueType: DotNetType
    let table = PSHashtable()

    init(type: DotNetType, keyType: DotNetType, valueType: DotNetType) {
        self.type = type
        self.keyType = keyType
        self.valueType = valueType
    }

    override var dotNetType: DotNetType { type }
    override var propertyNames: [String] { table.keys.map { Conversions.toString($0, nil) } }

    private func key(_ v: Value, _ c: ExecutionContext?) throws -> Value { try Conversions.convert(v, to: keyType, c, nil) }
    private func value(_ v: Value, _ c: ExecutionContext?) throws -> Value { try Conversions.convert(v, to: valueType, c, nil) }

    override func getProperty(_ name: String) -> Value? {
        if let v = table.get(.string(name)) { return v }
        switch name.lowercased() {
        case "count": return .int(Int32(table.count))
        case "keys": return .array(PSArray(table.keys))
        case "values": return .array(PSArray(table.values))
        case "isempty": return .bool(table.count == 0)
        default: return nil
        }
    }

    override func setProperty(_ name: String, _ v: Value) throws -> Bool {
        table.set(try key(.string(name), nil), try value(v, nil))
        return true
    }

    private func call(_ f: Value, _ args: [Value], _ c: ExecutionContext) throws -> Value {
        if case .scriptBlock(let sb) = f { return try Invoker.invokeScriptBlock(sb, args: args, c) }
        return f
    }

    override func callMethod(_ name: String, _ a: [Value], _ c: ExecutionContext) throws -> Value? {
        switch (name, a.count) {
        case ("tryadd", 2): return .bool(table.add(try key(a[0], c), try value(a[1], c)))
        case ("add", 2):
            guard table.add(try key(a[0], c), try value(a[1], c)) else {
                throw RuntimeError("An item with the same key has already been added. Key: \(Conversions.toString(a[0], c))", at: nil, type: .argumentException)
            }
            return .null
        case ("containskey", 1): return .bool(table.contains(try key(a[0], c)))
        case ("remove", 1), ("tryremove", 1): return .bool(table.remove(try key(a[0], c)))
        case ("clear", 0): table.removeAll(); return .null
        case ("addorupdate", 3):
            let k = try key(a[0], c)
            return try table.update(k) { old in
                guard let old else { return try self.value(try self.call(a[1], [k], c), c) }
                return try self.value(try self.call(a[2], [k, old], c), c)
            }
        case ("getoradd", 2):
            let k = try key(a[0], c)
            return try table.update(k) { old in try old ?? self.value(try self.call(a[1], [k], c), c) }
        case ("toarray", 0):
            return .array(PSArray(table.entries.map { .object(DictionaryEntry($0.key, $0.value)) }))
        case ("getenumerator", 0):
            return .array(PSArray(table.entries.map { .object(DictionaryEntry($0.key, $0.value)) }))
        default: return nil
        }
    }

    func index(_ idx: Value, _ c: ExecutionContext, _ loc: SourceLocation) throws -> Value {
        table.get(try key(idx, c)) ?? .null
    }

    func setIndex(_ idx: Value, _ v: Value, _ c: ExecutionContext, _ loc: SourceLocation) throws {
        table.set(try key(idx, c), try value(v, c))
    }
}

/// [Text.Encoding]::UTF8 and friends.
final class EncodingObject: PSObject, @unchecked Sendable {
    let name: String
    init(name: String) { self.name = name }
    static let type = DotNetType("System.Text.UTF8Encoding", kind: .other, base: GenericTypes.encoding)
    override var dotNetType: DotNetType { EncodingObject.type }
    override func callMethod(_ n: String, _ a: [Value], _ c: ExecutionContext) throws -> Value? {
        switch (n, a.count) {
        case ("getbytes", 1):
            let s = Conversions.toString(a[0], c)
            switch name {
            case "unicode": return Bytes.value(s.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
            case "ascii": return Bytes.value(s.unicodeScalars.map { $0.isASCII ? UInt8($0.value) : 0x3F })
            default: return Bytes.value(Array(s.utf8))
            }
        case ("getstring", 1):
            let bytes = try Bytes.from(a[0], c, SourceLocation(file: SourceFile(name: "", text: ""), line: 0, column: 0))
            return .string(String(decoding: bytes, as: UTF8.self))
        default: return nil
        }
    }
    override func getProperty(_ n: String) -> Value? {
        switch n.lowercased() {
        case "webname", "bodyname": return .string(name == "utf8" ? "utf-8" : name)
        default: return nil
        }
    }
}

/// [Runspace]::DefaultRunspace: names the runspace running the current thread's script.
final class RunspaceObject: PSObject, @unchecked Sendable {
    static let type = DotNetType("System.Management.Automation.Runspaces.LocalRunspace", kind: .other, base: GenericTypes.runspace)
    override var dotNetType: DotNetType { RunspaceObject.type }
    override func getProperty(_ n: String) -> Value? {
        switch n.lowercased() {
        case "name": return .string(RunspaceObject.currentName)
        default: return nil
        }
    }

    /// Set by the engine on the thread that runs a context.
    @TaskLocal static var currentNameTask = "Runspace1"
    static var currentName: String { Thread.current.threadDictionary["krsh.runspace"] as? String ?? currentNameTask }
}
