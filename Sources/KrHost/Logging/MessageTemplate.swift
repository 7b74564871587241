import Foundation
import KrScript

/// Serilog message templates, as Write-KrLog takes them: `{Name}` holes filled from positional
/// values, `{{` and `}}` for literal braces, `{@Name}` to destructure an object (rendered as JSON),
/// `{$Name}` to stringify, `{Name:format}` (.NET format strings) and `{Name,10}` / `{Name,-10}`
/// alignment. Named holes take the values in the order the names first appear; when every hole
/// is a number (`{0}`, `{1}`) the number picks the value. A hole with no value stays as written.
/// Strings are rendered without quotes, like Serilog's sinks (`{Message:lj}`) show them.
enum MessageTemplate {
    struct Hole {
        let text: String
        let name: String
        let destructure: Bool
        let alignment: Int?
        let format: String?
    }

    enum Token {
        case text(String)
        case hole(Hole)
    }

    static func render(_ template: String, _ values: [Value]) -> String {
        let tokens = parse(template)
        let holes = tokens.compactMap { t -> Hole? in if case .hole(let h) = t { return h }; return nil }
        let positional = !holes.isEmpty && holes.allSatisfy { Int($0.name) != nil }
        var byName: [String: Int] = [:]
        for h in holes where byName[h.name] == nil { byName[h.name] = byName.count }
        var out = ""
        for t in tokens {
            switch t {
            case .text(let s):
                out += s
            case .hole(let h):
                let index = positional ? Int(h.name) : byName[h.name]
                guard let i = index, i >= 0, i < values.count else { out += h.text; continue }
                out += align(string(values[i], h), h.alignment)
            }
        }
        return out
    }

    /// The text of one value in a hole.
    static func string(_ v: Value, _ h: Hole) -> String {
        if v.isNull { return "null" }
        switch v {
        case .hashtable, .array:
            return HostValues.toJson(v, depth: 10, compress: true)
        case .object where h.destructure:
            return HostValues.toJson(v, depth: 10, compress: true)
        default:
            if let f = h.format, let s = try? HostValues.format(v, f) { return s }
            return HostValues.string(v)
        }
    }

    static func align(_ s: String, _ width: Int?) -> String {
        guard let w = width, abs(w) > s.count else { return s }
        let pad = String(repeating: " ", count: abs(w) - s.count)
        return w > 0 ? pad + s : s + pad
    }

    /// Splits a template into text and holes; anything that is not a well-formed hole is text.
    static func parse(_ template: String) -> [Token] {
        var tokens: [Token] = []
        var text = ""
        let chars = Array(template)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "{", i + 1 < chars.count, chars[i + 1] == "{" {
                text.append("{")
                i += 2
            } else if c == "}", i + 1 < chars.count, chars[i + 1] == "}" {
                text.append("}")
                i += 2
            } else if c == "{", let end = chars[(i + 1)...].firstIndex(of: "}"), let hole = hole(String(chars[i...end])) {
                if !text.isEmpty { tokens.append(.text(text)); text = "" }
                tokens.append(.hole(hole))
                i = end + 1
            } else {
                text.append(c)
                i += 1
            }
        }
        if !text.isEmpty { tokens.append(.text(text)) }
        return tokens
    }

    /// `{[@|$]name[,alignment][:format]}`, or nil when the braces hold something else.
    static func hole(_ text: String) -> Hole? {
        var body = Substring(text.dropFirst().dropLast())
        var format: String?
        if let colon = body.firstIndex(of: ":") {
            format = String(body[body.index(after: colon)...])
            body = body[..<colon]
        }
        var alignment: Int?
        if let comma = body.firstIndex(of: ",") {
            guard let a = Int(body[body.index(after: comma)...]) else { return nil }
            alignment = a
            body = body[..<comma]
        }
        var destructure = false
        if body.first == "@" || body.first == "$" {
            destructure = body.first == "@"
            body = body.dropFirst()
        }
        guard let first = body.first, first.isLetter || first.isNumber || first == "_",
              body.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { return nil }
        return Hole(text: text, name: String(body), destructure: destructure, alignment: alignment, format: format)
    }
}
