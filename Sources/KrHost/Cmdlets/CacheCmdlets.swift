import Foundation
import KrScript

/// Add-KrCacheMiddleware and the store at the prompt: Get-KrCacheEntry, Get-KrCacheStatistic,
/// Get-KrCacheDecision, Clear-KrCache, Remove-KrCacheEntry.
enum CacheCmdlets {
    static var all: [CmdletInfo] {
        [
            KrCmdlet.info("Add-KrCacheMiddleware", "Adds a server-side response cache: GET/HEAD responses marked public are stored in memory and replayed while fresh.", [
                KrCmdlet.serverParameter,
                ParameterMeta("SizeLimit", .int64, help: "Total bytes the cache may hold (default 100 MB); least recently used entries make room."),
                ParameterMeta("MaximumBodySize", .int64, help: "Bodies larger than this many bytes are not stored (default 64 MB)."),
                ParameterMeta("UseCaseSensitivePaths", .switchParameter, help: "/Items and /items are different entries (default: the same)."),
            ] + CacheControl.parameters.map(defaultDirective) + [
                ParameterMeta("PassThru", .switchParameter, help: "Outputs the server."),
            ], examples: [
                CommandExample("Add-KrCacheMiddleware -SizeLimit 8388608 -MaximumBodySize 65536 -Public -MaxAge 60",
                               "8 MB of cache, bodies up to 64 KB; responses that set no Cache-Control get 'public, max-age=60' and 'Vary: Accept-Encoding'.", setup: "New-KrServer -Name example | Out-Null"),
            ]) {
                ClosureCmdlet { inv, _ in try add(inv) }
            },
            KrCmdlet.info("Get-KrCacheEntry", "Lists the responses in the cache: Key, Method, Path, Vary, Status, Size, Age, Expires, Hits.", [
                KrCmdlet.serverParameter,
                ParameterMeta("Path", .string, position: 0, help: "Only entries whose path (with or without its query) matches this wildcard pattern."),
            ], examples: [
                CommandExample("Get-KrCacheEntry -Path '/api/*' | Format-Table Path, Age, Hits", "The cached API responses, how old they are and how often they were served.", setup: "New-KrServer -Name example | Out-Null\nAdd-KrCacheMiddleware"),
            ]) {
                ClosureCmdlet { inv, _ in
                    let c = try cache(inv)
                    let pattern = inv.string("Path")
                    for e in c.store.snapshot() {
                        if let p = pattern, !HostValues.wildcard(p, e.path), !HostValues.wildcard(p, String(e.path.prefix { $0 != "?" })) { continue }
                        try inv.write(.object(try entryRow(e, inv)))
                    }
                }
            },
            KrCmdlet.info("Get-KrCacheStatistic", "Counts of the cache: entries, bytes, hits, misses, stores, evictions, and refusals by reason.", [
                KrCmdlet.serverParameter,
            ], examples: [
                CommandExample("(Get-KrCacheStatistic).Refusals", "How many responses were not stored (or requests bypassed the cache), by reason.", setup: "New-KrServer -Name example | Out-Null\nAdd-KrCacheMiddleware"),
            ]) {
                ClosureCmdlet { inv, _ in try inv.write(.object(statisticRow(try cache(inv).store.statistics()))) }
            },
            KrCmdlet.info("Get-KrCacheDecision", "The recent requests with what the cache did and why (stored, hit, not stored: reason, bypassed: reason).", [
                KrCmdlet.serverParameter,
                ParameterMeta("Last", .int32, position: 0, help: "How many of the most recent decisions (default 20)."),
            ], examples: [
                CommandExample("Get-KrCacheDecision -Last 5", "Why the last five requests were or were not served from (or stored in) the cache.", setup: "New-KrServer -Name example | Out-Null\nAdd-KrCacheMiddleware"),
            ]) {
                ClosureCmdlet { inv, _ in
                    let n = try inv.int("Last") ?? 20
                    guard n >= 0 else { throw inv.fail("-Last must not be negative.") }
                    for d in try cache(inv).decisions.last(n) { try inv.write(.object(try decisionRow(d, inv))) }
                }
            },
            KrCmdlet.info("Clear-KrCache", "Removes every entry from the cache.", [
                KrCmdlet.serverParameter,
                ParameterMeta("ResetStatistics", .switchParameter, help: "Also sets the counters to zero and empties the decision log."),
            ], examples: [
                CommandExample("Clear-KrCache -ResetStatistics", "An empty cache and fresh counters, for the next demo.", setup: "New-KrServer -Name example | Out-Null\nAdd-KrCacheMiddleware"),
            ]) {
                ClosureCmdlet { inv, _ in
                    let c = try cache(inv)
                    let reset = inv.switchOn("ResetStatistics")
                    c.store.clear(resetStatistics: reset)
                    if reset { c.decisions.clear() }
                }
            },
            KrCmdlet.info("Remove-KrCacheEntry", "Removes the cached responses of a path (all its query strings and Vary variants), or of a wildcard pattern.", [
                KrCmdlet.serverParameter,
                ParameterMeta("Path", .string, position: 0, mandatory: true, help: "A path ('/items'), a path with its query ('/items?page=2'), or a wildcard pattern ('/api/*')."),
                ParameterMeta("PassThru", .switchParameter, help: "Outputs the removed entries."),
            ], examples: [
                CommandExample("Remove-KrCacheEntry -Path '/products'", "The next GET /products runs the route again.", setup: "New-KrServer -Name example | Out-Null\nAdd-KrCacheMiddleware"),
            ]) {
                ClosureCmdlet { inv, _ in
                    let removed = try cache(inv).store.remove(path: inv.string("Path") ?? "")
                    if inv.switchOn("PassThru") { for e in removed { try inv.write(.object(try entryRow(e, inv))) } }
                }
            },
        ]
    }

    /// The shared directive switches, described as defaults for responses that set no Cache-Control.
    private static func defaultDirective(_ p: ParameterMeta) -> ParameterMeta {
        var q = p
        q.help = "Default for responses without Cache-Control: " + p.help
        return q
    }

    static func add(_ inv: Invocation) throws {
        let h = try KrCmdlet.host(inv)
        if h.responseCache != nil {
            throw inv.fail("Server '\(h.name)' already has a response cache; Clear-KrCache empties it.")
        }
        var o = ResponseCacheOptions()
        if let s = try inv.int("SizeLimit") {
            guard s > 0 else { throw inv.fail("-SizeLimit must be a positive number of bytes, not \(s).") }
            o.sizeLimit = s
        }
        if let m = try inv.int("MaximumBodySize") {
            guard m > 0 else { throw inv.fail("-MaximumBodySize must be a positive number of bytes, not \(m).") }
            o.maximumBodySize = m
        }
        o.useCaseSensitivePaths = inv.switchOn("UseCaseSensitivePaths")
        let cc = try CacheControl.from(inv)
        o.defaultCacheControl = cc.isEmpty ? nil : cc
        h.middleware.add(ResponseCacheMiddleware(o))
        try KrCmdlet.passThru(inv, h)
    }

    static func cache(_ inv: Invocation) throws -> ResponseCacheMiddleware {
        let h = try KrCmdlet.host(inv)
        guard let c = h.responseCache else {
            throw inv.fail("Server '\(h.name)' has no response cache: add one with Add-KrCacheMiddleware.")
        }
        return c
    }

    /// A local [datetime], as Get-Date gives.
    static func dateTime(_ d: Date, _ inv: Invocation) throws -> Value {
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withInternetDateTime]
        return try HostValues.convert(.string(iso.string(from: d)), to: .dateTime, inv)
    }

    static func entryRow(_ e: CacheEntrySnapshot, _ inv: Invocation) throws -> CacheRow {
        CacheRow(CacheRow.entryType, [
            ("Key", .string(e.key)), ("Method", .string(e.method)), ("Path", .string(e.path)), ("Vary", .string(e.vary)),
            ("Status", .int(Int32(e.status))), ("Size", .long(Int64(e.size))), ("Age", .int(Int32(clamping: e.age))),
            ("Expires", try dateTime(e.expires, inv)), ("Hits", .int(Int32(clamping: e.hits))), ("IsFresh", .bool(e.isFresh)),
        ], shown: 9)
    }

    static func decisionRow(_ d: CacheDecision, _ inv: Invocation) throws -> CacheRow {
        // Four columns so that the log reads as a table; Time, Outcome, Key and Age are there to select.
        CacheRow(CacheRow.decisionType, [
            ("Method", .string(d.method)), ("Path", .string(d.path)), ("Status", .int(Int32(d.status))), ("Decision", .string(d.text)),
            ("Time", try dateTime(d.time, inv)), ("Outcome", .string(d.outcome.rawValue)),
            ("Key", d.key.map { .string($0) } ?? .null), ("Age", d.age.map { .int(Int32(clamping: $0)) } ?? .null),
        ], shown: 4)
    }

    static func statisticRow(_ s: CacheStatistics) -> CacheRow {
        let refused = s.refusals.values.reduce(0, +)
        return CacheRow(CacheRow.statisticType, [
            ("Entries", .int(Int32(clamping: s.entries))), ("Bytes", .long(Int64(s.bytes))), ("SizeLimit", .long(Int64(s.sizeLimit))),
            ("MaximumBodySize", .long(Int64(s.maximumBodySize))),
            ("Hits", .long(Int64(s.hits))), ("Misses", .long(Int64(s.misses))), ("HitRatio", .double(s.hitRatio)),
            ("NotModified", .long(Int64(s.notModified))), ("Stores", .long(Int64(s.stores))), ("Evictions", .long(Int64(s.evictions))),
            ("Expired", .long(Int64(s.expired))), ("Invalidations", .long(Int64(s.invalidations))),
            ("GatewayTimeouts", .long(Int64(s.gatewayTimeouts))), ("Refused", .long(Int64(refused))),
            ("Refusals", .object(RefusalCounts(s.refusals))),
        ], shown: 15)
    }
}

/// A row the cache cmdlets output: named values, the first `shown` of them displayed.
final class CacheRow: PSObject, @unchecked Sendable {
    static let entryType = DotNetTypeName.make("KrShell.Caching.CacheEntry")
    static let decisionType = DotNetTypeName.make("KrShell.Caching.CacheDecision")
    static let statisticType = DotNetTypeName.make("KrShell.Caching.CacheStatistic")

    let type: DotNetType
    let fields: [(String, Value)]
    let shown: Int

    init(_ type: DotNetType, _ fields: [(String, Value)], shown: Int) {
        self.type = type
        self.fields = fields
        self.shown = shown
    }

    override var dotNetType: DotNetType { type }
    override var propertyNames: [String] { fields.prefix(shown).map(\.0) }
    override func getProperty(_ n: String) -> Value? { fields.first { $0.0.caseInsensitiveCompare(n) == .orderedSame }?.1 }
}

/// Refusals by reason: a property per reason (`.SetCookie`), shown as `SetCookie=2; NotPublic=1`.
final class RefusalCounts: PSObject, @unchecked Sendable {
    static let type = DotNetTypeName.make("KrShell.Caching.CacheRefusals")
    let counts: [CacheRefusal: Int]
    init(_ c: [CacheRefusal: Int]) { counts = c }
    override var dotNetType: DotNetType { RefusalCounts.type }
    override var propertyNames: [String] { CacheRefusal.allCases.map(\.rawValue) }
    override func getProperty(_ n: String) -> Value? {
        CacheRefusal.allCases.first { $0.rawValue.caseInsensitiveCompare(n) == .orderedSame }.map { .long(Int64(counts[$0] ?? 0)) }
    }
    override func toDisplayString(_ ctx: ExecutionContext?) -> String {
        let parts = CacheRefusal.allCases.compactMap { r in counts[r].flatMap { $0 > 0 ? "\(r.rawValue)=\($0)" : nil } }
        return parts.isEmpty ? "(none)" : parts.joined(separator: "; ")
    }
}
