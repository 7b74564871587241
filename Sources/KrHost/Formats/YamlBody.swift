import Foundation
import KrScript
import Yams

/// Objects as YAML through Yams: hashtables and objects as mappings in their key order, arrays as
/// sequences, scalars tagged with their type; a string that would read back as something else
/// ('42', 'true', '~', a date) is single-quoted.
enum YamlBody {
    static func document(_ v: Value) throws -> String {
        try Yams.serialize(node: node(WireValue.normalize(v)))
    }

    static func node(_ v: Value) -> Yams.Node {
        switch WireValue.shape(v) {
        case .null: return Yams.Node("null", Yams.Tag(.null))
        case .bool(let b): return Yams.Node(b ? "true" : "false", Yams.Tag(.bool))
        case .integer(let s): return Yams.Node(s, Yams.Tag(.int))
        case .float(let s): return Yams.Node(s, Yams.Tag(.float))
        case .string(let s): return string(s)
        case .list(let items): return Yams.Node(items.map(node), Yams.Tag(.seq))
        case .map(let pairs): return Yams.Node(pairs.map { (string($0.0), node($0.1)) }, Yams.Tag(.map))
        }
    }

    /// The emitter does not quote a string on its own when its plain form would read back as a
    /// number, boolean, null or timestamp, so such strings are quoted here.
    static func string(_ s: String) -> Yams.Node {
        let plain = Yams.Node(s, Yams.Tag(.implicit))
        let readsAs = Yams.Resolver.default.resolveTag(of: plain)
        return Yams.Node(s, Yams.Tag(.str), readsAs == .str ? .any : .singleQuoted)
    }
}
