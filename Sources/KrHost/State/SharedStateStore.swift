import Foundation
import KrScript

/// A shared-state store: names (case-insensitive identifiers) to values shared by reference with
/// every request. One per host, plus the process-wide GlobalStore.
public final class SharedStateStore: @unchecked Sendable {
    public struct Entry: Sendable {
        public let name: String
        public let value: Value
    }

    public static let global = SharedStateStore()

    private let lock = NSLock()
    private var entries: [String: Entry] = [:]
    private var order: [String] = []

    public init() {}

    /// Sets a value; returns true when it replaced an existing one.
    @discardableResult
    public func set(_ name: String, _ value: Value) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        let k = name.lowercased()
        let replaced = entries[k] != nil
        if !replaced { order.append(k) }
        entries[k] = Entry(name: replaced ? (entries[k]?.name ?? name) : name, value: value)
        return replaced
    }

    public func get(_ name: String) -> Value? {
        lock.lock()
        defer { lock.unlock() }
        return entries[name.lowercased()]?.value
    }

    @discardableResult
    public func remove(_ name: String) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        let k = name.lowercased()
        guard entries.removeValue(forKey: k) != nil else { return false }
        order.removeAll { $0 == k }
        return true
    }

    public func clear() {
        lock.lock()
        entries = [:]
        order = []
        lock.unlock()
    }

    /// The entries in the order they were first set.
    public var snapshot: [Entry] {
        lock.lock()
        defer { lock.unlock() }
        return order.compactMap { entries[$0] }
    }
}

extension SharedStateStore {
    /// A valid shared-state name: an identifier (letters, digits, `_`, not starting with a digit).
    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || first.properties.isAlphabetic else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0) }
    }

    /// .NET value types (copied into each runspace, so writes would not be shared).
    public static func isValueType(_ v: Value) -> Bool {
        switch v {
        case .bool, .int, .long, .double, .decimal, .char, .dateTime, .timeSpan: return true
        default: return false
        }
    }

    public enum CounterError: Error, CustomStringConvertible {
        case notATable(String)
        case notNumeric(key: String, type: String)

        public var description: String {
            switch self {
            case .notATable(let t): return "The table must be a hashtable, an ordered dictionary or a ConcurrentDictionary, not [\(t)]."
            case .notNumeric(let k, let t): return "The key '\(k)' holds a [\(t)], not a number: it cannot be counted."
            }
        }
    }

    /// Atomically adds `by` to `table[key]` (a missing key starts at 0) and returns the new value:
    /// the C# side of Update-KrSynchronizedCounter.
    public static func increment(_ table: Value, key: String, by: Int64) throws -> Value {
        let update: ((Value?) -> Value) -> Value
        switch table {
        case .hashtable(let h):
            update = { f in h.update(.string(key), f) }
        case .object(let o) where HostValues.counterTable(o) != nil:
            guard let h = HostValues.counterTable(o) else { throw CounterError.notATable(HostValues.typeName(table)) }
            update = { f in h.update(.string(key), f) }
        default:
            throw CounterError.notATable(table.isNull ? "null" : HostValues.typeName(table))
        }
        var failure: CounterError?
        let result = update { old in
            switch old ?? .int(0) {
            case .int(let i):
                let (r, o) = i.addingReportingOverflow(Int32(truncatingIfNeeded: by))
                if Int64(Int32(truncatingIfNeeded: by)) == by && !o { return .int(r) }
                return .long(Int64(i) &+ by)
            case .long(let l): return .long(l &+ by)
            case .double(let d): return .double(d + Double(by))
            case .null: return .int(Int32(truncatingIfNeeded: by))
            case let other:
                failure = .notNumeric(key: key, type: HostValues.typeName(other))
                return other
            }
        }
        if let failure { throw failure }
        return result
    }
}
