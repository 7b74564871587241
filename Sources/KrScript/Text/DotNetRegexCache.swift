import Foundation

/// Compiled regexes keyed by (pattern, options), so `-match` in a loop compiles once. Bounded: when full,
/// the oldest entry goes. Thread-safe; patterns that fail to compile are not cached.
final class DotNetRegexCache: @unchecked Sendable {
    static let shared = DotNetRegexCache(capacity: 256)

    private struct Key: Hashable {
        let pattern: String
        let options: DotNetRegexOptions
    }

    let capacity: Int
    private let lock = NSLock()
    private var entries: [Key: DotNetRegex] = [:]
    private var insertionOrder: [Key] = []

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    var count: Int { lock.withLock { entries.count } }

    func regex(pattern: String, options: DotNetRegexOptions) throws -> DotNetRegex {
        let key = Key(pattern: pattern, options: options)
        if let hit = lock.withLock({ entries[key] }) { return hit }
        // Compile outside the lock; two threads may both compile a new pattern, and the first one kept wins.
        let compiled = try DotNetRegex(pattern: pattern, options: options)
        return lock.withLock {
            if let existing = entries[key] { return existing }
            if entries.count >= capacity, !insertionOrder.isEmpty {
                entries[insertionOrder.removeFirst()] = nil
            }
            entries[key] = compiled
            insertionOrder.append(key)
            return compiled
        }
    }
}
