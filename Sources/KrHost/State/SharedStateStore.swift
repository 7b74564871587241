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
