import Foundation
import KrScript

/// Objects as XML, in the manner of Kestrun's XmlHelper: a hashtable or object becomes an element
/// with one child per key or property, an array an element with one `<Item>` per element, `$null`
/// an element with `xsi:nil="true"`. Names that are not valid XML names are mended (`2nd key`
/// becomes `_nd_key`); text is escaped, and characters XML 1.0 cannot carry become U+FFFD.
enum XmlBody {
    static let xsiNamespace = "http://www.w3.org/2001/XMLSchema-instance"

    static func document(_ v: Value, root: String) -> String {
        var out = ""
        element(elementName(root), WireValue.normalize(v), into: &out)
        return out
    }

    static func element(_ name: String, _ v: Value, into out: inout String) {
        switch WireValue.shape(v) {
        case .null:
            out += "<\(name) xsi:nil=\"true\" xmlns:xsi=\"\(xsiNamespace)\" />"
        case .bool(let b):
            leaf(name, b ? "true" : "false", into: &out)
        case .integer(let s), .float(let s), .string(let s):
            leaf(name, s, into: &out)
        case .list(let items):
            if items.isEmpty { out += "<\(name) />"; return }
            out += "<\(name)>"
            for item in items { element("Item", item, into: &out) }
            out += "</\(name)>"
        case .map(let pairs):
            if pairs.isEmpty { out += "<\(name) />"; return }
            out += "<\(name)>"
            for (key, value) in pairs { element(elementName(key), value, into: &out) }
            out += "</\(name)>"
        }
    }

    static func leaf(_ name: String, _ text: String, into out: inout String) {
        out += "<\(name)>\(escape(text))</\(name)>"
    }

    /// A valid XML element name: a letter or `_` first, then letters, digits, `_`, `-` or `.`;
    /// anything else becomes `_`.
    static func elementName(_ raw: String) -> String {
        let trimmed = raw.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return "Element" }
        var out = ""
        for (i, c) in trimmed.enumerated() {
            let ok = i == 0 ? (c.isLetter || c == "_") : (c.isLetter || c.isNumber || c == "_" || c == "-" || c == ".")
            out.append(ok ? c : "_")
        }
        return out
    }

    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.unicodeScalars.append(isXmlChar(u) ? u : "\u{FFFD}")
            }
        }
        return out
    }

    /// XML 1.0's Char production.
    static func isXmlChar(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x9, 0xA, 0xD, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: return true
        default: return false
        }
    }
}
