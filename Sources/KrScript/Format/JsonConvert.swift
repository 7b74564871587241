import Foundation

/// ConvertTo-Json / ConvertFrom-Json semantics over the JSON text layer.
enum JsonConvert {
    /// A value as JSON; past `depth` objects become their string form (as PowerShell does).
    static func node(_ v: Value, depth: Int, _ c: ExecutionContext?, level: Int = 0) -> JSONNode {
        switch v {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(Int64(i))
        case .long(let l): return .int(l)
        case .double(let d), .decimal(let d): return d == d.rounded() && abs(d) < 1e15 && v.isDecimal ? .int(Int64(d)) : .double(d)
        case .char(let ch): return .string(String(utf16CodeUnits: [ch], count: 1))
        case .string(let s): return .string(s)
        case .dateTime(let d): return .string(isoDate(d))
        case .timeSpan(let t): return .string(t.format(nil))
        case .scriptBlock(let sb): return .string(sb.text)
        case .type(let t): return .string(t.fullName)
        case .array(let a):
            if level > depth { return .string(Conversions.toString(v, c)) }
            return .array(a.items.map { node($0, depth: depth, c, level: level + 1) })
        case .hashtable(let h):
            if level > depth { return .string(Conversions.toString(v, c)) }
            return .object(h.entries.map { (Conversions.toString($0.key, c), node($0.value, depth: depth, c, level: level + 1)) })
        case .object(let o):
            if let e = o as? EnumValue { return .int(Int64(e.raw)) }
            if let s = o as? SwitchValue { return .bool(s.isPresent) }
            if let items = o.enumerated, !(o is PSCustomObject) {
                if level > depth { return .string(Conversions.toString(v, c)) }
                return .array(items.map { node($0, depth: depth, c, level: level + 1) })
            }
            if level > depth { return .string(Conversions.toString(v, c)) }
            return .object(o.propertyNames.map { ($0, node(o.getProperty($0) ?? .null, depth: depth, c, level: level + 1)) })
        }
    }

    /// Newtonsoft's ISO 8601 form: 7 fraction digits trimmed, `Z` for UTC, the offset for local.
    static func isoDate(_ d: DotNetDateTime) -> String {
        var s = d.format("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF")
        switch d.kind {
        case .utc: s += "Z"
        case .local: s += d.format("zzz")
        case .unspecified: break
        }
        return s
    }

    static func toJson(_ v: Value, depth: Int, compress: Bool, _ c: ExecutionContext?) -> String {
        JSONText.write(node(v, depth: depth, c), compress: compress)
    }

    /// JSON text to values: objects become pscustomobjects (or ordered hashtables), integers Int64.
    static func value(_ n: JSONNode, asHashtable: Bool) -> Value {
        switch n {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .long(i)
        case .bigInt(let s): return .double(Double(s) ?? 0)
        case .double(let d): return .double(d)
        case .string(let s): return .string(s)
        case .array(let items): return .array(PSArray(items.map { value($0, asHashtable: asHashtable) }))
        case .object(let members):
            if asHashtable {
                let h = PSHashtable(ordered: true)
                for (k, v) in members { h.set(.string(k), value(v, asHashtable: true)) }
                return .hashtable(h)
            }
            let o = PSCustomObject()
            for (k, v) in members { o.set(k, value(v, asHashtable: false)) }
            return .object(o)
        }
    }
}

extension Value {
    var isDecimal: Bool { if case .decimal = self { return true }; return false }
}
