import Foundation

/// Named process-wide locks for Use-KrLock. A lock is re-entrant for the thread holding it.
public final class LockRegistry: @unchecked Sendable {
    public static let shared = LockRegistry()

    final class NamedLock {
        let name: String
        let lock = NSRecursiveLock()
        var holders = 0
        var acquisitions = 0
        init(name: String) { self.name = name }
    }

    private let mutex = NSLock()
    private var locks: [String: NamedLock] = [:]

    func named(_ key: String) -> NamedLock {
        mutex.lock()
        defer { mutex.unlock() }
        let k = key.lowercased()
        if let l = locks[k] { return l }
        let l = NamedLock(name: key)
        locks[k] = l
        return l
    }

    /// Runs `body` holding the lock; false when it could not be taken within `timeout` seconds.
    public func withLock<T>(_ key: String, timeout: Double?, _ body: () throws -> T) throws -> T? {
        let l = named(key)
        if let timeout {
            guard l.lock.lock(before: Date(timeIntervalSinceNow: timeout)) else { return nil }
        } else {
            l.lock.lock()
        }
        mutex.lock(); l.holders += 1; l.acquisitions += 1; mutex.unlock()
        defer {
            mutex.lock(); l.holders -= 1; mutex.unlock()
            l.lock.unlock()
        }
        return try body()
    }

    public struct Info: Sendable {
        public let key: String
        public let isHeld: Bool
        public let acquisitions: Int
    }

    public var all: [Info] {
        mutex.lock()
        defer { mutex.unlock() }
        return locks.values.sorted { $0.name.lowercased() < $1.name.lowercased() }
            .map { Info(key: $0.name, isHeld: $0.holders > 0, acquisitions: $0.acquisitions) }
    }

    /// The lock Export/Import-KrSharedState take (never one a script can name).
    static let snapshotKey = "\u{0}krsh.snapshot"
}
