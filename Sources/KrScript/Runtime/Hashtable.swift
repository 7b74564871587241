import Foundation
import Synchronization

/// A hashtable key: strings compare case-insensitively (PowerShell's default comparer); integers of
/// any width compare by value.
struct HashKey: Hashable {
    enum Kind: Hashable {
        case string(String)
        case integer(Int64)
        case double(Double)
        case bool(Bool)
        case char(UInt16)
        case reference(ObjectIdentifier)
        case null
        case other(String)
    }
    let kind: Kind

    init(_ v: Value) {
        switch v {
        case .string(let s): kind = .string(HashKey.fold(s))
        case .int(let i): kind = .integer(Int64(i))
        case .long(let i): kind = .integer(i)
        case .double(let d), .decimal(let d): kind = d == d.rounded() && abs(d) < 9e18 ? .integer(Int64(d)) : .double(d)
        case .bool(let b): kind = .bool(b)
        case .char(let c): kind = .char(c)
        case .null: kind = .null
        case .array(let a): kind = .reference(ObjectIdentifier(a))
        case .hashtable(let h): kind = .reference(ObjectIdentifier(h))
        case .scriptBlock(let s): kind = .reference(ObjectIdentifier(s))
        case .object(let o): kind = .reference(ObjectIdentifier(o))
        case .dateTime(let d): kind = .other("dt\(d.ticks)")
        case .timeSpan(let t): kind = .other("ts\(t.ticks)")
        case .type(let t): kind = .other("type:" + t.fullName.lowercased())
        }
    }

    /// Case folding for keys: ASCII fast path.
    static func fold(_ s: String) -> String {
        var ascii = true
        var upper = false
        for b in s.utf8 {
            if b >= 0x80 { ascii = false; break }
            if b >= 0x41 && b <= 0x5A { upper = true }
        }
        if ascii && !upper { return s }
        return s.lowercased()
    }
}

/// System.Collections.Hashtable (or OrderedDictionary when `ordered`). Keys keep insertion order in
/// both cases. Every operation takes the table's lock, so route scripts running on several threads
/// can share one table without corrupting it; `synchronized` only changes the reported type name,
/// as [hashtable]::Synchronized does in .NET.
public final class PSHashtable: @unchecked Sendable {
    struct Storage {
        var index: [HashKey: Int] = [:]
        var keys: [Value] = []
        var values: [Value] = []
        var live: [Bool] = []
        var count = 0

        /// Adds a key that is not present yet.
        mutating func append(_ k: HashKey, _ key: Value, _ value: Value) {
            index[k] = keys.count
            keys.append(key)
            values.append(value)
            live.append(true)
            count += 1
        }
    }

    private let storage = Mutex(Storage())
    public let ordered: Bool
    public var synchronized: Bool

    public init(ordered: Bool = false, synchronized: Bool = false) {
        self.ordered = ordered
        self.synchronized = synchronized
    }

    public var count: Int { storage.withLock { $0.count } }

    public func get(_ key: Value) -> Value? {
        let k = HashKey(key)
        return storage.withLock { s in s.index[k].map { s.values[$0] } }
    }

    public func get(_ key: String) -> Value? { get(.string(key)) }

    public func set(_ key: Value, _ value: Value) {
        let k = HashKey(key)
        storage.withLock { s in
            if let i = s.index[k] {
                s.values[i] = value
            } else {
                s.append(k, key, value)
            }
        }
    }

    /// Adds a key that must not exist yet; returns false when it does.
    public func add(_ key: Value, _ value: Value) -> Bool {
        let k = HashKey(key)
        return storage.withLock { s in
            if s.index[k] != nil { return false }
            s.append(k, key, value)
            return true
        }
    }

    public func contains(_ key: Value) -> Bool {
        let k = HashKey(key)
        return storage.withLock { $0.index[k] != nil }
    }

    @discardableResult
    public func remove(_ key: Value) -> Bool {
        let k = HashKey(key)
        return storage.withLock { s in
            guard let i = s.index.removeValue(forKey: k) else { return false }
            s.live[i] = false
            s.keys[i] = .null
            s.values[i] = .null
            s.count -= 1
            if s.live.count > 32 && s.count < s.live.count / 2 { PSHashtable.compact(&s) }
            return true
        }
    }

    public func removeAll() {
        storage.withLock { $0 = Storage() }
    }

    /// Atomically reads, transforms and writes one entry (used by the atomic counter helpers).
    public func update(_ key: Value, _ transform: (Value?) throws -> Value) rethrows -> Value {
        let k = HashKey(key)
        return try storage.withLock { s in
            let old = s.index[k].map { s.values[$0] }
            let new = try transform(old)
            if let i = s.index[k] {
                s.values[i] = new
            } else {
                s.append(k, key, new)
            }
            return new
        }
    }

    private static func compact(_ s: inout Storage) {
        var n = Storage()
        for i in s.keys.indices where s.live[i] {
            n.index[HashKey(s.keys[i])] = n.keys.count
            n.keys.append(s.keys[i])
            n.values.append(s.values[i])
            n.live.append(true)
        }
        n.count = n.keys.count
        s = n
    }

    /// A consistent copy of the entries, in insertion order.
    public var entries: [(key: Value, value: Value)] {
        storage.withLock { s in
            var out: [(key: Value, value: Value)] = []
            out.reserveCapacity(s.count)
            for i in s.keys.indices where s.live[i] { out.append((s.keys[i], s.values[i])) }
            return out
        }
    }

    public var keys: [Value] { entries.map(\.key) }
    public var values: [Value] { entries.map(\.value) }

    public func clone() -> PSHashtable {
        let c = PSHashtable(ordered: ordered, synchronized: synchronized)
        for (k, v) in entries { c.set(k, v) }
        return c
    }
}
