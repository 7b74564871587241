import Foundation
import KrScript

/// Objects as CSV (RFC 4180): a header row of property names, then one row per object, every
/// field quoted as ConvertTo-Csv does (`"` doubled inside), records ended by CRLF. A string is
/// taken as CSV already written; several strings as its lines. Columns are the union of the
/// objects' keys in the order first seen; a scalar among objects fills a `Value` column; `$null`
/// is an empty field and nested arrays or objects are written as compact JSON.
enum CsvBody {
    static func document(_ v: Value) -> String {
        if case .string(let s) = v { return s }
        let normalized = WireValue.normalize(v)
        let items: [Value]
        if case .list(let list) = WireValue.shape(normalized) { items = list } else { items = [normalized] }
        if items.isEmpty { return "" }
        if items.allSatisfy({ if case .string = $0 { return true }; return false }) {
            return items.map(HostValues.string).joined(separator: "\r\n") + "\r\n"
        }
        let rows: [[(String, Value)]] = items.map { item in
            if case .map(let pairs) = WireValue.shape(item) { return pairs }
            return [("Value", item)]
        }
        var columns: [String] = []
        var seen = Set<String>()
        for row in rows {
            for (key, _) in row where seen.insert(key.lowercased()).inserted { columns.append(key) }
        }
        var out = columns.map(quote).joined(separator: ",") + "\r\n"
        for row in rows {
            var byKey: [String: Value] = [:]
            for (k, v) in row { byKey[k.lowercased()] = v }
            out += columns.map { field(byKey[$0.lowercased()]) }.joined(separator: ",") + "\r\n"
        }
        return out
    }

    static func field(_ v: Value?) -> String {
        guard let v else { return "" }
        switch WireValue.shape(v) {
        case .null: return ""
        case .bool(let b): return quote(b ? "True" : "False")
        case .integer(let s), .float(let s), .string(let s): return quote(s)
        case .list, .map: return quote(WireValue.json(v))
        }
    }

    static func quote(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
