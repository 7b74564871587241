import Foundation
import KrScript

/// The response cache's memory: entries by key, the Vary variants of each URL, a least-recently-used
/// list, and the counters Get-KrCacheStatistic shows. The bytes held never exceed `sizeLimit`: an
/// insert first purges what has expired, then evicts from the least recently used end.
/// Every method is safe to call from any thread.
public final class ResponseCacheStore: @unchecked Sendable {
    public let sizeLimit: Int
    public let maximumBodySize: Int
    public let useCaseSensitivePaths: Bool

    private let lock = NSLock()
    private var entries: [String: CacheEntry] = [:]
    /// Primary key -> keys of its variants, oldest first.
    private var variants: [String: [String]] = [:]
    private var mostRecent: CacheEntry?
    private var leastRecent: CacheEntry?
    private var bytes = 0
    private var stats = CacheStatistics()
    private var lastPurge = Date.distantPast

    public init(sizeLimit: Int, maximumBodySize: Int, useCaseSensitivePaths: Bool) {
        self.sizeLimit = sizeLimit
        self.maximumBodySize = maximumBodySize
        self.useCaseSensitivePaths = useCaseSensitivePaths
    }

    private func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    /// `GET /ITEMS?page=1`: GET and HEAD share GET's key; the path is upper-cased (as ASP.NET
    /// Core does) unless paths are case-sensitive; the query string is kept as sent.
    func primaryKey(method: String, path: String, query: String) -> String {
        let m = method.uppercased() == "HEAD" ? "GET" : method.uppercased()
        let p = useCaseSensitivePaths ? path : path.uppercased()
        return "\(m) \(p)" + (query.isEmpty ? "" : "?" + query)
    }

    // MARK: lookup and storage

    enum Lookup {
        case hit(CacheEntry, age: TimeInterval, usability: CacheUsability)
        /// Nothing usable; why, when something was stored.
        case miss(String?)
    }

    /// Selects the stored variant for this request and says whether it may answer it. A hit counts
    /// and becomes the most recently used entry; anything else counts as a miss.
    func lookup(_ primaryKey: String, _ request: KrRequest, _ directives: CacheControl, now: Date) -> Lookup {
        locked {
            // Select first, so that a stale entry still explains the miss before a purge takes it.
            let result = select(primaryKey, request, directives, now)
            purgeIfDue(now)
            if case .hit(let e, _, _) = result {
                e.hits += 1
                stats.hits += 1
                touch(e)
            } else {
                stats.misses += 1
            }
            return result
        }
    }

    private func select(_ primaryKey: String, _ request: KrRequest, _ directives: CacheControl, _ now: Date) -> Lookup {
        let keys = variants[primaryKey] ?? []
        if keys.isEmpty { return .miss(nil) }
        // The most recent matching variant (RFC 9111 §4.1).
        guard let e = keys.reversed().lazy.compactMap({ self.entries[$0] }).first(where: { $0.matches(request) }) else {
            let names = Set(keys.compactMap { entries[$0]?.varyNames }.joined()).sorted().map(CacheEntry.fieldName)
            return .miss("miss: no stored variant for this \(names.joined(separator: ", "))")
        }
        let age = e.age(at: now)
        let usability = CachePolicy.usability(age: age, lifetime: e.freshness.lifetime, source: e.freshness.source,
                                              stored: e.cacheControl, request: directives)
        if case .unusable(let why) = usability { return .miss(why) }
        if now >= e.purgeAt {
            // Kept stale for max-stale requests long enough: purged now.
            remove(e)
            stats.expired += 1
            return .miss("stale: age \(Int(age)) s, fresh for \(Int(e.freshness.lifetime)) s (\(e.freshness.source)); purged")
        }
        return .hit(e, age: age, usability: usability)
    }

    /// Stores an entry, replacing the same key; evicts least recently used entries until it fits.
    /// Returns the refusal when it can never fit.
    func insert(_ entry: CacheEntry, now: Date) -> CacheVerdict? {
        locked {
            purgeIfDue(now)
            if entry.size > sizeLimit {
                stats.refusals[.entryTooLarge, default: 0] += 1
                return CacheVerdict(refusal: .entryTooLarge,
                                    text: "not stored: entry \(CachePolicy.sizeText(entry.size)) > SizeLimit \(CachePolicy.sizeText(sizeLimit))")
            }
            if let old = entries[entry.key] { remove(old) }
            // A response with another Vary rule supersedes the variants stored under the old one.
            for k in variants[entry.primaryKey] ?? [] {
                if let v = entries[k], v.varyNames != entry.varyNames { remove(v) }
            }
            if bytes + entry.size > sizeLimit { purge(now) }
            while bytes + entry.size > sizeLimit, let victim = leastRecent {
                remove(victim)
                stats.evictions += 1
            }
            entries[entry.key] = entry
            variants[entry.primaryKey, default: []].append(entry.key)
            bytes += entry.size
            link(entry)
            stats.stores += 1
            return nil
        }
    }

    /// Removes every variant stored for a primary key (an unsafe method succeeded on it).
    func invalidate(_ primaryKey: String) -> Int {
        locked {
            let victims = (variants[primaryKey] ?? []).compactMap { entries[$0] }
            for e in victims { remove(e) }
            if !victims.isEmpty { stats.invalidations += 1 }
            return victims.count
        }
    }

    // MARK: counters the middleware reports

    func count(_ refusal: CacheRefusal) { locked { stats.refusals[refusal, default: 0] += 1 } }
    func countNotModified() { locked { stats.notModified += 1 } }
    func countGatewayTimeout() { locked { stats.gatewayTimeouts += 1 } }

    // MARK: the prompt's view

    /// The entries, most recently used first (expired ones are purged first).
    public func snapshot(now: Date = Date()) -> [CacheEntrySnapshot] {
        locked {
            purge(now)
            var out: [CacheEntrySnapshot] = []
            var e = mostRecent
            while let cur = e {
                out.append(cur.snapshot(now))
                e = cur.older
            }
            return out
        }
    }

    public func statistics(now: Date = Date()) -> CacheStatistics {
        locked {
            purge(now)
            var s = stats
            s.entries = entries.count
            s.bytes = bytes
            s.sizeLimit = sizeLimit
            s.maximumBodySize = maximumBodySize
            return s
        }
    }

    /// Removes the entries whose path (with or without its query) matches a wildcard pattern, or
    /// equals the text (in the store's case rule); returns what was removed.
    @discardableResult
    public func remove(path pattern: String) -> [CacheEntrySnapshot] {
        let now = Date()
        return locked {
            let wild = HostValues.isWildcard(pattern)
            let victims = entries.values.filter { e in
                let bare = String(e.path.prefix { $0 != "?" })
                if wild { return HostValues.wildcard(pattern, e.path) || HostValues.wildcard(pattern, bare) }
                let same: (String) -> Bool = { self.useCaseSensitivePaths ? $0 == pattern : $0.caseInsensitiveCompare(pattern) == .orderedSame }
                return same(e.path) || same(bare)
            }
            for e in victims { remove(e) }
            return victims.sorted { $0.path < $1.path }.map { $0.snapshot(now) }
        }
    }

    /// Empties the store; with `resetStatistics` the counters start again from zero.
    public func clear(resetStatistics: Bool = false) {
        locked {
            // Unlink so that the entries' strong `older` chain is released.
            while let e = leastRecent { remove(e) }
            if resetStatistics { stats = CacheStatistics() }
        }
    }

    // MARK: internals (under the lock)

    private func purgeIfDue(_ now: Date) {
        if now.timeIntervalSince(lastPurge) >= 1 { purge(now) }
    }

    private func purge(_ now: Date) {
        lastPurge = now
        for e in entries.values where now >= e.purgeAt {
            remove(e)
            stats.expired += 1
        }
    }

    private func remove(_ e: CacheEntry) {
        guard entries[e.key] === e else { return }
        entries[e.key] = nil
        if var keys = variants[e.primaryKey] {
            keys.removeAll { $0 == e.key }
            variants[e.primaryKey] = keys.isEmpty ? nil : keys
        }
        bytes -= e.size
        unlink(e)
    }

    private func link(_ e: CacheEntry) {
        e.older = mostRecent
        e.newer = nil
        mostRecent?.newer = e
        mostRecent = e
        if leastRecent == nil { leastRecent = e }
    }

    private func unlink(_ e: CacheEntry) {
        if let n = e.newer { n.older = e.older } else { mostRecent = e.older }
        if let o = e.older { o.newer = e.newer } else { leastRecent = e.newer }
        e.newer = nil
        e.older = nil
    }

    private func touch(_ e: CacheEntry) {
        guard mostRecent !== e else { return }
        unlink(e)
        link(e)
    }
}
