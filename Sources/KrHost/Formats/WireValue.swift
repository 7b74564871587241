import Foundation
import KrScript

/// Values as the body formats (XML, YAML, CSV) see them: first put in the shape
/// `ConvertTo-Json -Depth 10` gives them (dates as ISO 8601 strings, objects as their properties in
/// order, enums as numbers), so that every format agrees with Write-KrJsonResponse.
enum WireValue {
    enum Shape {
        case null
        case bool(Bool)
        case integer(String)
        case float(String)
        case string(String)
        case list([Value])
        case map([(String, Value)])
    }

    /// The value reduced to null, booleans, numbers, strings, arrays and ordered hashtables.
    static func normalize(_ v: Value, depth: Int = 10) -> Value {
        let json = HostValues.toJson(v, depth: depth, compress: true)
        return (try? HostValues.parseJson(json, asHashtable: true)) ?? .string(HostValues.string(v))
    }

    /// What a normalized value is.
    static func shape(_ v: Value) -> Shape {
        switch v {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let n): return .integer(String(n))
        case .long(let n): return .integer(String(n))
        case .double, .decimal: return .float(HostValues.string(v))
        case .string(let s): return .string(s)
        case .array(let a): return .list(a.items)
        case .hashtable(let h): return .map(h.entries.map { (HostValues.string($0.key), $0.value) })
        default: return .string(HostValues.string(v))
        }
    }

    /// Compact JSON for a nested value inside a flat format (a CSV cell).
    static func json(_ v: Value) -> String { HostValues.toJson(v, depth: 10, compress: true) }
}
