import Foundation
import Synchronization

/// The table of .NET types scripts can name. Adding a type is adding an entry here (or in one of the
/// `TypeRegistry+*.swift` files), not touching the interpreter.
final class TypeRegistry: @unchecked Sendable {
    static let shared = TypeRegistry()

    private let types = Mutex<[String: DotNetType]>([:])
    /// Each name as first written (the keys of `types` are lower-cased), for tab completion.
    private let spellings = Mutex<[String: String]>([:])

    private init() {
        var t: [String: DotNetType] = [:]
        var spelled: [String: String] = [:]
        func add(_ type: DotNetType, _ aliases: String...) {
            for n in [type.fullName] + aliases {
                t[n.lowercased()] = type
                if spelled[n.lowercased()] == nil { spelled[n.lowercased()] = n }
            }
        }
        add(.object, "object", "psobject")
        add(.int32, "int", "int32")
        add(.int64, "long", "int64")
        add(.byte, "byte")
        add(.double, "double", "float", "single")
        add(.decimal, "decimal")
        add(.string, "string")
        add(.char, "char")
        add(.bool, "bool", "boolean")
        add(.hashtable, "hashtable")
        add(.ordered, "ordered")
        add(.array, "array")
        add(.scriptBlock, "scriptblock")
        add(.dateTime, "datetime")
        add(.timeSpan, "timespan")
        add(.psCustomObject, "pscustomobject")
        add(.void, "void")
        add(.switchParameter, "switch")
        add(.errorRecord, "ErrorRecord")
        add(.valueType, "ValueType")
        add(.runtimeType, "type")
        for e in DotNetType.exceptionTypes { add(e, e.name) }
        for type in TypeRegistry.staticTypes() + CryptoAndNet.types {
            add(type, type.name)
        }
        for (a, type) in GenericTypes.aliases + CryptoAndNet.aliases { add(type, a) }
        t["pscustomobject"] = .psCustomObject
        types.withLock { $0 = t }
        spellings.withLock { $0 = spelled }
        TypeRegistry.attachStatics()
    }

    func register(_ type: DotNetType, aliases: [String] = []) {
        types.withLock { t in
            t[type.fullName.lowercased()] = type
            for a in aliases { t[a.lowercased()] = type }
        }
        spellings.withLock { s in
            for n in [type.fullName] + aliases where s[n.lowercased()] == nil { s[n.lowercased()] = n }
        }
    }

    /// Every name a script can write between brackets (accelerators and full names), as spelled.
    var names: [String] {
        spellings.withLock { Array($0.values) }
    }

    /// Looks a type name up: accelerators, full names, and names with `System.` left off.
    func resolve(name: String) -> DotNetType? {
        var n = name.lowercased()
        if n.hasPrefix("[") && n.hasSuffix("]") { n = String(n.dropFirst().dropLast()) }
        if n.hasSuffix("[]"), let e = resolve(name: String(n.dropLast(2))) { return .arrayOf(e) }
        return types.withLock { t in t[n] ?? t["system." + n] }
    }

    func resolve(_ ast: TypeNameAst) throws -> DotNetType {
        if let r = ast.resolved { return r }
        var base: DotNetType?
        if !ast.genericArguments.isEmpty {
            let args = try ast.genericArguments.map { try resolve($0) }
            base = GenericTypes.make(ast.name, args)
        } else {
            base = resolve(name: ast.name)
        }
        guard var t = base else {
            throw RuntimeError("Unable to find type [\(ast)].", at: ast.loc, type: .runtimeException, errorId: "TypeNotFound")
        }
        if ast.isArray { t = .arrayOf(t) }
        ast.resolved = t
        return t
    }
}
