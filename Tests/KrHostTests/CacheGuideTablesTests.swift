import Foundation
import Testing
@testable import KrHost
@testable import KrScript

// The caching guide's tables (seeds/003), row by row, over real sockets on 127.0.0.1. Every route
// counts its runs in $Runs.n, so a request that leaves the count alone was answered by the cache.
// Rows other suites already show are not repeated here: the file server's switch table
// (FileServerCacheControlTests), -SizeLimit, -MaximumBodySize and -UseCaseSensitivePaths and the
// storage rules (ResponseCacheTests), the RFC 9110 precedence rules (RevalidationTests).

/// A GET route that counts its runs, then runs `body`.
func countingRoute(_ pattern: String, _ body: String) -> String {
    """
    Add-KrMapRoute -Verbs Get -Pattern '\(pattern)' -ScriptBlock {
        Update-KrSynchronizedCounter -Table $Runs -Key n | Out-Null
        \(body)
    }

    """
}

extension CacheServer {
    /// A key of the shared $Runs table other than `n` (routes count outcomes there).
    func counter(_ key: String) -> Int {
        guard case .hashtable(let h)? = host.sharedState.get("Runs"), let v = h.get(.string(key)) else { return 0 }
        if case .int(let n) = v { return Int(n) }
        if case .long(let n) = v { return Int(n) }
        return -1
    }

    /// Get-KrCacheDecision typed at the prompt while the server runs: the last `n` Decision texts.
    func promptDecisions(_ n: Int) async -> [String] {
        let before = sink.stdout.count
        let outcome = await engine.interact("Get-KrCacheDecision -Last \(n) | ForEach-Object { $_.Decision }")
        #expect(outcome == .completed, "\(sink.stderr)")
        return String(sink.stdout.dropFirst(before)).split(separator: "\n").map(String.init)
    }

    /// Whole seconds the entry for `path`, stored by a request sent at `sent`, is fresh for: it
    /// expires its lifetime after the request reached the cache, so within a second after `sent`.
    func lifetime(_ path: String, sent: Date) -> Int? {
        guard let e = cache.store.snapshot().first(where: { $0.path == path }) else { return nil }
        return Int(e.expires.timeIntervalSince(sent).rounded(.down))
    }
}

/// One row of a directive table: the switches, the Cache-Control they give, and what the response
/// cache does with such a response ("stored", or the refusal it logs).
struct DirectiveRow: Sendable, CustomTestStringConvertible {
    let switches: String
    let header: String?
    let decision: String
    /// Seconds a stored response is fresh for.
    let lifetime: Int?
    init(_ switches: String, _ header: String?, _ decision: String, lifetime: Int? = nil) {
        self.switches = switches
        self.header = header
        self.decision = decision
        self.lifetime = lifetime
    }
    var stored: Bool { decision == "stored" }
    var testDescription: String { switches.isEmpty ? "(none)" : switches }
}

private let lacksPublic = "not stored: response Cache-Control lacks public"
private let isPrivate = "not stored: response Cache-Control private"
private let isNoStore = "not stored: response Cache-Control no-store"
private let isNoCache = "not stored: response Cache-Control no-cache"

// MARK: - 3. Per-response directives (Add-KrCacheResponse)

@Suite(.serialized) struct CacheResponseTableTests {
    /// Each switch of the table alone, then combinations in ASP.NET's directive order, under a
    /// response cache without defaults: only what is public and not no-store/no-cache/private is stored.
    static let rows: [DirectiveRow] = [
        DirectiveRow("-Public", "public", "stored", lifetime: 10),
        DirectiveRow("-Private", "private", isPrivate),
        DirectiveRow("-MaxAge 60", "max-age=60", lacksPublic),
        DirectiveRow("-SharedMaxAge 60", "s-maxage=60", lacksPublic),
        DirectiveRow("-NoStore", "no-store", isNoStore),
        DirectiveRow("-NoCache", "no-cache", isNoCache),
        DirectiveRow("-MustRevalidate", "must-revalidate", lacksPublic),
        DirectiveRow("-ProxyRevalidate", "proxy-revalidate", lacksPublic),
        DirectiveRow("-NoTransform", "no-transform", lacksPublic),
        DirectiveRow("-OnlyIfCached", "only-if-cached", lacksPublic),
        DirectiveRow("-MaxStale", "max-stale", lacksPublic),
        DirectiveRow("-MaxStaleLimit 30", "max-stale=30", lacksPublic),
        DirectiveRow("-MaxStale -MaxStaleLimit 30", "max-stale=30", lacksPublic),
        DirectiveRow("-MinFresh 5", "min-fresh=5", lacksPublic),
        // Same payload for all users: public with a lifetime is stored for that long.
        DirectiveRow("-Public -MaxAge 60", "public, max-age=60", "stored", lifetime: 60),
        // s-maxage overrides max-age for a shared cache, which the response cache is.
        DirectiveRow("-MaxAge 5 -SharedMaxAge 120 -Public", "public, max-age=5, s-maxage=120", "stored", lifetime: 120),
        // no-store overrides most other directives.
        DirectiveRow("-Public -MaxAge 60 -NoStore", "no-store, public, max-age=60", isNoStore),
        // no-cache: may be stored, but this cache (as ASP.NET's) does not store what it must revalidate.
        DirectiveRow("-Public -MaxAge 60 -NoCache", "public, no-cache, max-age=60", isNoCache),
        DirectiveRow("-NoTransform -Public -MaxAge 60", "no-transform, public, max-age=60", "stored", lifetime: 60),
        // The guide's example.
        DirectiveRow("-Private -MaxAge 60 -MustRevalidate", "must-revalidate, max-age=60, private", isPrivate),
        DirectiveRow("-MinFresh 4 -MaxStaleLimit 3 -SharedMaxAge 2 -MaxAge 1 -NoCache -ProxyRevalidate -MustRevalidate -Private -OnlyIfCached -NoTransform -NoStore",
                     "no-store, no-transform, only-if-cached, must-revalidate, proxy-revalidate, no-cache, max-age=1, s-maxage=2, max-stale=3, min-fresh=4, private",
                     isNoStore),
    ]

    @Test(arguments: rows)
    func everySwitchGivesItsDirective(_ row: DirectiveRow) async throws {
        let s = try await CacheServer.start("", routes: countingRoute("/r", """
            Add-KrCacheResponse \(row.switches)
            Write-KrTextResponse 'r'
            """))
        defer { s.stop() }
        let sent = Date()
        let first = await s.get("/r")
        let second = await s.get("/r")
        #expect(first.status == 200 && second.status == 200 && second.body == "r")
        #expect(first.headers["cache-control"] == row.header)
        #expect(second.headers["cache-control"] == row.header)
        #expect(first.headers["age"] == nil)
        #expect((second.headers["age"] != nil) == row.stored, "\(second.headers)")
        #expect(s.runs == (row.stored ? 1 : 2))
        #expect(s.decisions == (row.stored ? ["stored", "hit"] : [row.decision, row.decision]))
        if let lifetime = row.lifetime { #expect(s.lifetime("/r", sent: sent) == lifetime) }
    }

    /// Add-KrCacheResponse overrides the middleware's defaults (here `-Public -MaxAge 60`): its value
    /// replaces the default whole; the default's `Vary: Accept-Encoding` still comes with it.
    static let overrides: [DirectiveRow] = [
        DirectiveRow("", "public, max-age=60", "stored", lifetime: 60),
        DirectiveRow("-Private", "private", isPrivate),
        DirectiveRow("-Private -MaxAge 60 -MustRevalidate", "must-revalidate, max-age=60, private", isPrivate),
        DirectiveRow("-NoStore", "no-store", isNoStore),
        DirectiveRow("-NoCache", "no-cache", isNoCache),
        DirectiveRow("-MaxAge 30", "max-age=30", lacksPublic),
        DirectiveRow("-Public", "public", "stored", lifetime: 10),
        DirectiveRow("-Public -MaxAge 5", "public, max-age=5", "stored", lifetime: 5),
        DirectiveRow("-Public -SharedMaxAge 300", "public, s-maxage=300", "stored", lifetime: 300),
    ]

    @Test(arguments: overrides)
    func perResponseDirectivesOverrideTheMiddlewareDefaults(_ row: DirectiveRow) async throws {
        let call = row.switches.isEmpty ? "" : "Add-KrCacheResponse \(row.switches)"
        let s = try await CacheServer.start("-Public -MaxAge 60", routes: countingRoute("/o", """
            \(call)
            Write-KrTextResponse 'o'
            """))
        defer { s.stop() }
        let sent = Date()
        let first = await s.get("/o")
        let second = await s.get("/o")
        #expect(first.headers["cache-control"] == row.header)
        #expect(first.headers["vary"] == "Accept-Encoding")
        #expect(second.headers["cache-control"] == row.header)
        #expect(s.runs == (row.stored ? 1 : 2))
        #expect(s.decisions == (row.stored ? ["stored", "hit"] : [row.decision, row.decision]))
        if let lifetime = row.lifetime { #expect(s.lifetime("/o", sent: sent) == lifetime) }
    }

    /// -MustRevalidate ("prevent offline reuse after stale") and -ProxyRevalidate ("shared caches
    /// enforce revalidation"): once stale, not even a client that accepts stale responses gets it.
    @Test(arguments: [
        ("", "hit, stale by N s (max-stale)"),
        ("-MustRevalidate", "stale: age N s, fresh for N s (max-age=1); must-revalidate forbids serving it stale; stored"),
        ("-ProxyRevalidate", "stale: age N s, fresh for N s (max-age=1); proxy-revalidate forbids serving it stale; stored"),
    ])
    func revalidateSwitchesForbidServingStale(_ switches: String, _ decision: String) async throws {
        let s = try await CacheServer.start("", routes: countingRoute("/s", """
            Add-KrCacheResponse -Public -MaxAge 1 \(switches)
            Write-KrTextResponse 's'
            """))
        defer { s.stop() }
        _ = await s.get("/s")
        try await Task.sleep(for: .milliseconds(1300))
        let stale = await s.get("/s", [("Cache-Control", "max-stale=30")])
        #expect(stale.status == 200 && stale.body == "s")
        let servedStale = switches.isEmpty
        #expect((stale.headers["age"] != nil) == servedStale)
        #expect(s.runs == (servedStale ? 1 : 2))
        #expect(s.timelessDecisions == ["stored", decision])
    }
}

// MARK: - 2. Add-KrCacheMiddleware's directive parameters

@Suite(.serialized) struct CacheMiddlewareTableTests {
    /// "-MaxAge / -SharedMaxAge: apply freshness lifetimes implicitly if not already present";
    /// "-Public / -Private: set cacheability scope for stored responses"; and the other switches the
    /// cmdlet shares. The route sets no Cache-Control, so it gets the default (and Vary: Accept-Encoding).
    static let rows: [DirectiveRow] = [
        DirectiveRow("-Public", "public", "stored", lifetime: 10),
        DirectiveRow("-Private", "private", isPrivate),
        DirectiveRow("-MaxAge 60", "max-age=60", lacksPublic),
        DirectiveRow("-SharedMaxAge 60", "s-maxage=60", lacksPublic),
        DirectiveRow("-Public -MaxAge 60", "public, max-age=60", "stored", lifetime: 60),
        DirectiveRow("-Public -SharedMaxAge 120", "public, s-maxage=120", "stored", lifetime: 120),
        DirectiveRow("-SharedMaxAge 120 -MaxAge 60 -Public", "public, max-age=60, s-maxage=120", "stored", lifetime: 120),
        DirectiveRow("-Private -MaxAge 60", "max-age=60, private", isPrivate),
        DirectiveRow("-Public -MaxAge 60 -NoStore", "no-store, public, max-age=60", isNoStore),
        DirectiveRow("-Public -MaxAge 60 -NoCache", "public, no-cache, max-age=60", isNoCache),
        DirectiveRow("-Public -MaxAge 60 -MustRevalidate", "public, must-revalidate, max-age=60", "stored", lifetime: 60),
        DirectiveRow("-Public -MaxAge 60 -ProxyRevalidate", "public, proxy-revalidate, max-age=60", "stored", lifetime: 60),
        DirectiveRow("-Public -MaxAge 60 -NoTransform", "no-transform, public, max-age=60", "stored", lifetime: 60),
        DirectiveRow("-Public -MaxAge 60 -OnlyIfCached", "only-if-cached, public, max-age=60", "stored", lifetime: 60),
        DirectiveRow("-Public -MaxAge 60 -MaxStale", "public, max-age=60, max-stale", "stored", lifetime: 60),
        DirectiveRow("-Public -MaxAge 60 -MaxStaleLimit 30", "public, max-age=60, max-stale=30", "stored", lifetime: 60),
        DirectiveRow("-Public -MaxAge 60 -MinFresh 5", "public, max-age=60, min-fresh=5", "stored", lifetime: 60),
        DirectiveRow("", nil, "not stored: response has no Cache-Control (public is required)"),
    ]

    @Test(arguments: rows)
    func everyDefaultSwitchGivesItsDirective(_ row: DirectiveRow) async throws {
        let s = try await CacheServer.start(row.switches)
        defer { s.stop() }
        let sent = Date()
        let first = await s.get("/d")
        let second = await s.get("/d")
        #expect(first.status == 200 && second.body == "/d|")
        #expect(first.headers["cache-control"] == row.header)
        #expect(second.headers["cache-control"] == row.header)
        #expect(first.headers["vary"] == (row.header == nil ? nil : "Accept-Encoding"))
        #expect((second.headers["age"] != nil) == row.stored)
        #expect(s.runs == (row.stored ? 1 : 2))
        #expect(s.decisions == (row.stored ? ["stored", "hit"] : [row.decision, row.decision]))
        if let lifetime = row.lifetime { #expect(s.lifetime("/d", sent: sent) == lifetime) }
    }
}

// MARK: - -Public with -Private; numbers >= 1 (all three cmdlets)

@Suite(.serialized) struct CacheSwitchErrorTests {
    static let badArguments: [(String, String)] = [
        ("-Public -Private", "-Public and -Private cannot be used together."),
        ("-MaxAge 0", "The 0 argument is less than the minimum allowed range of 1."),
        ("-MaxAge -5", "The -5 argument is less than the minimum allowed range of 1."),
        ("-SharedMaxAge 0", "The 0 argument is less than the minimum allowed range of 1."),
        ("-MaxStaleLimit 0", "The 0 argument is less than the minimum allowed range of 1."),
        ("-MinFresh 0", "The 0 argument is less than the minimum allowed range of 1."),
    ]

    @Test(arguments: badArguments)
    func middlewareCmdletsRefuse(_ arguments: String, _ message: String) async throws {
        let (engine, sink) = makeEngine()
        let name = "cacheerr\(freePort())"
        defer { HostRegistry.shared.remove(name) }
        let outcome = await engine.run("""
            New-KrServer -Name \(name) | Out-Null
            Add-KrCacheMiddleware \(arguments)
            Add-KrFileServerMiddleware -RootPath '/tmp' \(arguments)
            """, file: "err.ps1")
        #expect(outcome == .completed)
        #expect(sink.stderr.contains("err.ps1:2:") && sink.stderr.contains("err.ps1:3:"), "\(sink.stderr)")
        #expect(sink.stderr.components(separatedBy: message).count == 3, "\(sink.stderr)")
        #expect(HostRegistry.shared.get(name)?.middleware.all.isEmpty == true, "nothing was added")
    }

    @Test(arguments: badArguments)
    func addKrCacheResponseRefuses(_ arguments: String, _ message: String) async throws {
        let s = try await CacheServer.start("", routes: countingRoute("/bad", """
            Add-KrCacheResponse -Public -MaxAge 60
            Add-KrCacheResponse \(arguments)
            Write-KrTextResponse 'bad'
            """))
        defer { s.stop() }
        let r = await s.get("/bad")
        #expect(r.status == 500, "\(r)")
        #expect(r.headers["cache-control"] == nil)
        #expect(s.runs == 1)
        #expect(s.cache.store.statistics().entries == 0)
        #expect(s.host.logger.recent(500).contains { $0.message.contains(message) }, "the log says why")
    }
}

// MARK: - The field-name comparison the cache and the validators use on every request

@Suite struct FieldNameComparisonTests {
    @Test(arguments: [
        ("If-None-Match", "if-none-match", true),
        ("IF-NONE-MATCH", "If-None-Match", true),
        ("cache-control", "Cache-Control", true),
        ("Cache-Control", "Cache-Contro", false),
        ("Cache-Contro", "Cache-Control", false),
        ("Age", "Agf", false),
        ("", "", true),
        ("Vary", "", false),
        // Only ASCII letters fold: '@' and '`' are 0x40 and 0x60, '[' and '{' 0x5B and 0x7B.
        ("a@", "a`", false),
        ("x[", "x{", false),
        ("É-Tag", "é-tag", false),
    ])
    func asciiCaseIsIgnored(_ a: String, _ b: String, _ same: Bool) {
        #expect(Revalidation.sameFieldName(a, b) == same)
        #expect(Revalidation.sameFieldName(b, a) == same)
    }

    @Test func repeatedFieldsAreJoined() {
        let headers = [("Cache-Control", "max-age=5"), ("Host", "x"), ("cache-control", "no-cache")]
        #expect(Revalidation.header(headers, "CACHE-CONTROL") == "max-age=5, no-cache")
        #expect(Revalidation.header(headers, "Pragma") == nil)
    }
}
