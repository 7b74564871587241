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

    /// Case folding for keys: a key that is ASCII without capitals is its own folded form.
    static func fold(_ s: String) -> String {
        var copy = s
        // Scans the UTF-8 in place (iterating `utf8` costs tens of instructions a byte).
        let folded = copy.withUTF8 { bytes in
            for b in bytes where b >= 0x80 || (b >= 0x41 && b <= 0x5A) { return false }
            return true
        }
        return folded ? s : s.lowercased()
    }
}

/// System.Collections.Hashtable (or OrderedDictionary when `ordered`). Keys keep insertion order in
/// both cases. Every operation takes the table's lock, so route scripts running on several threads
/// can share one table without corrupting it; `synchronized` only changes the reported type name,
/// as [hashtable]::Synchronized does in .NET.
public final class PSHashtable: @unchecked Sendable {
    /// Entries in insertion order (removed ones stay as holes until the next compaction), and an
    /// open-addressing table (linear probing, at most half full) of slots. A slot holds an entry
    /// number and the high half of its key's hash, so a probe rarely reads an entry that is not the
    /// one sought (entries are large and scattered: each read is likely a cache miss). Each entry
    /// keeps its hash, so growing the table never hashes a key again.
    struct Storage {
        struct Entry {
            var key: Value
            var value: Value
            var hashKey: HashKey
            var hash: Int
            var live: Bool
        }
        /// Slot values: 0 is empty, `removed` a tombstone, else (hash high bits << 32) | (entry + 1).
        static let removed = UInt64.max

        var entries: [Entry] = []
        var slots: [UInt64] = []
        var count = 0
        var removedSlots = 0

        static func hash(_ k: HashKey) -> Int {
            var h = Hasher()
            h.combine(k)
            return h.finalize()
        }

        @inline(__always)
        static func tag(_ hash: Int) -> UInt64 { UInt64(UInt(bitPattern: hash)) & 0xFFFF_FFFF_0000_0000 }

        /// The entry holding `k`, if any.
        func find(_ k: HashKey, _ hash: Int) -> Int? {
            guard !slots.isEmpty else { return nil }
            let mask = slots.count - 1
            let tag = Storage.tag(hash)
            var i = hash & mask
            while true {
                let s = slots[i]
                if s == 0 { return nil }
                if s != Storage.removed && s & 0xFFFF_FFFF_0000_0000 == tag {
                    let e = Int(s & 0xFFFF_FFFF) - 1
                    if entries[e].hash == hash && entries[e].hashKey == k { return e }
                }
                i = (i + 1) & mask
            }
        }

        /// Appends a new entry for a key known to be absent.
        mutating func insert(_ key: Value, _ k: HashKey, _ hash: Int, _ value: Value) {
            if (count + removedSlots + 1) * 2 > slots.count { rebuildSlots(minimum: count + 1) }
            let mask = slots.count - 1
            var i = hash & mask
            while slots[i] != 0 && slots[i] != Storage.removed { i = (i + 1) & mask }
            if slots[i] == Storage.removed { removedSlots -= 1 }
            slots[i] = Storage.tag(hash) | UInt64(entries.count + 1)
            entries.append(Entry(key: key, value: value, hashKey: k, hash: hash, live: true))
            count += 1
        }

        mutating func remove(_ k: HashKey, _ hash: Int) -> Bool {
            guard !slots.isEmpty else { return false }
            let mask = slots.count - 1
            let tag = Storage.tag(hash)
            var i = hash & mask
            while true {
                let s = slots[i]
                if s == 0 { return false }
                if s != Storage.removed && s & 0xFFFF_FFFF_0000_0000 == tag {
                    let e = Int(s & 0xFFFF_FFFF) - 1
                    if entries[e].hash == hash && entries[e].hashKey == k {
                        slots[i] = Storage.removed
                        removedSlots += 1
                        entries[e] = Entry(key: .null, value: .null, hashKey: HashKey(.null), hash: 0, live: false)
                        count -= 1
                        if entries.count > 32 && count < entries.count / 2 { compact() }
                        return true
                    }
                }
                i = (i + 1) & mask
            }
        }

        /// A table of at least four times `minimum` slots, holding the live entries.
        private mutating func rebuildSlots(minimum: Int) {
            var size = 8
            while size < minimum * 4 { size *= 2 }
            var t = [UInt64](repeating: 0, count: size)
            let mask = size - 1
            for (n, e) in entries.enumerated() where e.live {
                var i = e.hash & mask
                while t[i] != 0 { i = (i + 1) & mask }
                t[i] = Storage.tag(e.hash) | UInt64(n + 1)
            }
            slots = t
            removedSlots = 0
        }

        /// Drops the holes removed entries left.
        private mutating func compact() {
            entries.removeAll { !$0.live }
            rebuildSlots(minimum: count)
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
        let h = Storage.hash(k)
        return storage.withLock { s in s.find(k, h).map { s.entries[$0].value } }
    }

    public func get(_ key: String) -> Value? { get(.string(key)) }

    public func set(_ key: Value, _ value: Value) {
        let k = HashKey(key)
        let h = Storage.hash(k)
        storage.withLock { s in
            if let i = s.find(k, h) {
                s.entries[i].value = value
            } else {
                s.insert(key, k, h, value)
            }
        }
    }

    /// Adds a key that must not exist yet; returns false when it does.
    public func add(_ key: Value, _ value: Value) -> Bool {
        let k = HashKey(key)
        let h = Storage.hash(k)
        return storage.withLock { s in
            if s.find(k, h) != nil { return false }
            s.insert(key, k, h, value)
            return true
        }
    }

    public func contains(_ key: Value) -> Bool {
        let k = HashKey(key)
        let h = Storage.hash(k)
        return storage.withLock { $0.find(k, h) != nil }
    }

    @discardableResult
    public func remove(_ key: Value) -> Bool {
        let k = HashKey(key)
        let h = Storage.hash(k)
        return storage.withLock { $0.remove(k, h) }
    }

    public func removeAll() {
        storage.withLock { $0 = Storage() }
    }

    /// Atomically reads, transforms and writes one entry (used by the atomic counter helpers).
    public func update(_ key: Value, _ transform: (Value?) throws -> Value) rethrows -> Value {
        let k = HashKey(key)
        let h = Storage.hash(k)
        return try storage.withLock { s in
            let i = s.find(k, h)
            let new = try transform(i.map { s.entries[$0].value })
            if let i {
                s.entries[i].value = new
            } else {
                s.insert(key, k, h, new)
            }
            return new
        }
    }

    /// A consistent copy of the entries, in insertion order.
    public var entries: [(key: Value, value: Value)] {
        storage.withLock { s in
            var out: [(key: Value, value: Value)] = []
            out.reserveCapacity(s.count)
            for e in s.entries where e.live { out.append((e.key, e.value)) }
            return out
        }
    }

    public var keys: [Value] { entries.map(\.key) }
    public var values: [Value] { entries.map(\.value) }

    public func clone() -> PSHashtable {
        let c = PSHashtable(ordered: ordered, synchronized: synchronized)
        let copy = storage.withLock { $0 }
        c.storage.withLock { $0 = copy }
        return c
    }
}
