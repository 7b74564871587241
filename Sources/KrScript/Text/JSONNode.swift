/// A JSON value as ConvertFrom-Json reads it and ConvertTo-Json writes it (Newtonsoft.Json underneath).
/// Objects keep their member order.
indirect enum JSONNode: Sendable, Equatable {
    case null
    case bool(Bool)
    /// An integer that fits Int64 (ConvertFrom-Json gives `[long]`).
    case int(Int64)
    /// An integer too big for Int64, as its decimal text (ConvertFrom-Json gives `[bigint]`).
    case bigInt(String)
    case double(Double)
    case string(String)
    case array([JSONNode])
    case object([(String, JSONNode)])

    static func == (lhs: JSONNode, rhs: JSONNode) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case let (.bool(a), .bool(b)): a == b
        case let (.int(a), .int(b)): a == b
        case let (.bigInt(a), .bigInt(b)): a == b
        case let (.double(a), .double(b)): a == b || (a.isNaN && b.isNaN)
        case let (.string(a), .string(b)): a == b
        case let (.array(a), .array(b)): a == b
        case let (.object(a), .object(b)):
            a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: false
        }
    }

    /// The member named `key` (exact case), or nil; also nil when this is not an object.
    subscript(key: String) -> JSONNode? {
        guard case .object(let members) = self else { return nil }
        return members.last { $0.0 == key }?.1
    }
}

/// A JSON text error with Newtonsoft's wording, e.g.
/// `Unexpected character encountered while parsing value: x. Path '', line 1, position 1.`
struct JSONTextError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The message without the location (`Unexpected character encountered while parsing value: x.`).
    let reason: String
    /// Newtonsoft's JSON path of the last thing read (`items[1].id`), `""` at the top.
    let path: String
    /// 1-based line; 0 when nothing at all was read yet (Newtonsoft's quirk).
    let line: Int
    /// UTF-16 units before the offending character on its line.
    let position: Int

    var message: String { "\(reason) Path '\(path)', line \(line), position \(position)." }
    var description: String { message }
}

/// ConvertTo-Json / ConvertFrom-Json text: see JSONText+Parse.swift and JSONText+Write.swift.
enum JSONText {}
