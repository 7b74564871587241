import Foundation

/// What the cache did with one request.
public enum CacheOutcome: String, Sendable {
    case hit = "Hit"
    case notModified = "NotModified"
    case stored = "Stored"
    case notStored = "NotStored"
    case bypassed = "Bypassed"
    case gatewayTimeout = "GatewayTimeout"
    case invalidated = "Invalidated"
}

/// One line of Get-KrCacheDecision: the request, what the cache did, and why.
public struct CacheDecision: Sendable {
    public let time: Date
    public let method: String
    /// Path and query as requested.
    public let path: String
    public let status: Int
    public let outcome: CacheOutcome
    /// `stored`, `hit`, `not stored: response has Set-Cookie`, `bypassed: request Cache-Control no-cache` ...
    public let text: String
    /// The entry used or stored, if any.
    public let key: String?
    /// The Age a hit was served with.
    public let age: Int?
}

/// The most recent decisions, oldest dropped first: the teaching view of the cache.
public final class CacheDecisionLog: @unchecked Sendable {
    public let capacity: Int
    private let lock = NSLock()
    private var ring: [CacheDecision] = []
    private var next = 0

    public init(capacity: Int = 1000) {
        self.capacity = max(1, capacity)
        ring.reserveCapacity(self.capacity)
    }

    func add(_ d: CacheDecision) {
        lock.lock()
        defer { lock.unlock() }
        if ring.count < capacity {
            ring.append(d)
        } else {
            ring[next] = d
        }
        next = (next + 1) % capacity
    }

    /// The last `n` decisions (all when nil), oldest first.
    public func last(_ n: Int? = nil) -> [CacheDecision] {
        lock.lock()
        defer { lock.unlock() }
        let ordered = ring.count < capacity ? ring : Array(ring[next...] + ring[..<next])
        guard let n else { return ordered }
        return Array(ordered.suffix(max(0, n)))
    }

    public func clear() {
        lock.lock()
        ring.removeAll(keepingCapacity: true)
        next = 0
        lock.unlock()
    }
}
