import Foundation
import Hummingbird
import NIOCore
import Testing
@testable import KrHost
@testable import KrScript

/// Layer 2 of the caching guide: Add-KrCacheMiddleware and the store cmdlets. Every route counts
/// its runs in a shared table, so a request that leaves the count alone was answered by the cache.
@Suite(.serialized) struct ResponseCacheTests {
    // MARK: hits and misses

    @Test func guideExampleStoresAndReplaysWithAge() async throws {
        let s = try await CacheServer.start("-SizeLimit 8388608 -MaximumBodySize 65536 -Public -MaxAge 60")
        defer { s.stop() }
        let first = await s.get("/products")
        #expect(first.status == 200)
        #expect(first.body == "/products|")
        #expect(first.headers["cache-control"] == "public, max-age=60")
        #expect(first.headers["vary"] == "Accept-Encoding")
        #expect(first.headers["age"] == nil)
        let second = await s.get("/products")
        #expect(second.status == 200)
        #expect(second.body == "/products|")
        #expect(second.headers["age"] == "0")
        #expect(second.headers["cache-control"] == "public, max-age=60")
        #expect(s.runs == 1, "a hit must not run the route")
        try await Task.sleep(for: .milliseconds(1100))
        let later = await s.get("/products")
        #expect(Int(later.headers["age"] ?? "") ?? 0 >= 1, "\(later.headers)")
        #expect(s.runs == 1)
        #expect(s.decisions == ["stored", "hit", "hit"])
        let stats = s.cache.store.statistics()
        #expect(stats.hits == 2 && stats.misses == 1 && stats.stores == 1 && stats.entries == 1)
    }

    /// Each storage rule: two identical requests both run the route, and the log says why.
    @Test(arguments: [
        CacheStorageCase("no Cache-Control", [], "not stored: response has no Cache-Control (public is required)", .notPublic),
        CacheStorageCase("not public", ["Cache-Control: max-age=60"], "not stored: response Cache-Control lacks public", .notPublic),
        CacheStorageCase("no-store", ["Cache-Control: public, no-store"], "not stored: response Cache-Control no-store", .noStore),
        CacheStorageCase("no-cache", ["Cache-Control: public, no-cache, max-age=60"], "not stored: response Cache-Control no-cache", .noCache),
        CacheStorageCase("private", ["Cache-Control: private, max-age=60"], "not stored: response Cache-Control private", .privateResponse),
        CacheStorageCase("Set-Cookie", ["Cache-Control: public, max-age=60", "Set-Cookie: id=1"], "not stored: response has Set-Cookie", .setCookie),
        CacheStorageCase("Vary *", ["Cache-Control: public, max-age=60", "Vary: *"], "not stored: response has Vary: *", .varyStar),
        CacheStorageCase("status 404", ["Cache-Control: public, max-age=60"], "not stored: status 404 (only 200 is stored)", .status, status: 404),
        CacheStorageCase("status 203", ["Cache-Control: public, max-age=60"], "not stored: status 203 (only 200 is stored)", .status, status: 203),
        CacheStorageCase("max-age=0", ["Cache-Control: public, max-age=0"], "not stored: already stale (max-age=0)", .alreadyStale),
        CacheStorageCase("Expires past", ["Cache-Control: public", "Expires: Thu, 01 Jan 2015 00:00:00 GMT"],
                    "not stored: already stale (Expires is not in the future)", .alreadyStale),
        CacheStorageCase("Expires 0", ["Cache-Control: public", "Expires: 0"], "not stored: already stale (Expires is not a date)", .alreadyStale),
        CacheStorageCase("body too large", ["Cache-Control: public, max-age=60"], "not stored: body 70 KB > MaximumBodySize 64 KB", .bodyTooLarge, size: 71_680),
        CacheStorageCase("request no-store", ["Cache-Control: public, max-age=60"], "not stored: request Cache-Control no-store", .requestNoStore,
                    request: [("Cache-Control", "no-store")]),
        CacheStorageCase("Authorization", ["Cache-Control: public, max-age=60"], "bypassed: request has Authorization", .authorization,
                    request: [("Authorization", "Basic dTpw")]),
    ])
    func responsesThatAreNotStored(_ c: CacheStorageCase) async throws {
        let s = try await CacheServer.start("-MaximumBodySize 65536")
        defer { s.stop() }
        let target = CacheServer.target("/rule", headers: c.responseHeaders, status: c.status, size: c.size)
        for _ in 0..<2 {
            let r = await s.get(target, c.requestHeaders)
            #expect(r.status == c.status, "\(c.name)")
            #expect(r.headers["age"] == nil, "\(c.name): served from the cache")
        }
        #expect(s.runs == 2, "\(c.name): the route runs every time")
        #expect(s.decisions == [c.decision, c.decision], "\(c.name)")
        #expect(s.cache.store.statistics().refusals[c.refusal] == 2, "\(c.name)")
        #expect(s.cache.store.statistics().entries == 0)
        if c.refusal == .authorization {
            // Not stored either: the next request without Authorization runs the route too.
            _ = await s.get(target)
            #expect(s.runs == 3)
        }
    }

    @Test func freshnessFromSharedMaxAgeMaxAgeOrExpires() async throws {
        let s = try await CacheServer.start("")
        defer { s.stop() }
        let sMaxAge = CacheServer.target("/smax", headers: ["Cache-Control: public, max-age=1, s-maxage=60"])
        let maxAge = CacheServer.target("/max", headers: ["Cache-Control: public, max-age=1"])
        let expires = CacheServer.target("/exp", headers: ["Cache-Control: public", "Expires: \(CachePolicy.formatHTTPDate(Date().addingTimeInterval(60)))"])
        let heuristic = CacheServer.target("/heur", headers: ["Cache-Control: public"])
        for t in [sMaxAge, maxAge, expires, heuristic] { _ = await s.get(t) }
        #expect(s.runs == 4)
        try await Task.sleep(for: .milliseconds(1300))
        for t in [sMaxAge, expires, heuristic] {
            #expect(await s.get(t).headers["age"] != nil, "\(t) is still fresh")
        }
        #expect(s.runs == 4)
        let stale = await s.get(maxAge)
        #expect(stale.headers["age"] == nil)
        #expect(s.runs == 5)
        #expect(s.timelessDecisions.last == "stale: age N s, fresh for N s (max-age=1); stored")
        let entries = s.cache.store.snapshot()
        #expect(entries.count == 4)
    }

    // MARK: request directives

    @Test func requestNoCacheAndPragmaBypassTheStoreButStillStore() async throws {
        let s = try await CacheServer.start("-Public -MaxAge 60")
        defer { s.stop() }
        _ = await s.get("/nc")
        let bypassed = await s.get("/nc", [("Cache-Control", "no-cache")])
        #expect(bypassed.headers["age"] == nil)
        #expect(s.runs == 2)
        _ = await s.get("/nc", [("Pragma", "no-cache")])
        #expect(s.runs == 3)
        // Cache-Control wins over Pragma (RFC 9111 §5.4).
        #expect(await s.get("/nc", [("Pragma", "no-cache"), ("Cache-Control", "max-stale")]).headers["age"] != nil)
        #expect(s.runs == 3)
        #expect(s.decisions == ["stored", "bypassed: request Cache-Control no-cache; stored", "bypassed: request Pragma no-cache; stored", "hit"])
        #expect(s.cache.store.statistics().refusals[.requestNoCache] == 2)
    }

    @Test func requestMaxAgeAndMinFresh() async throws {
        let s = try await CacheServer.start("-Public -MaxAge 60")
        defer { s.stop() }
        _ = await s.get("/age")
        try await Task.sleep(for: .milliseconds(1100))
        #expect(await s.get("/age", [("Cache-Control", "max-age=5")]).headers["age"] != nil)
        #expect(await s.get("/age", [("Cache-Control", "min-fresh=30")]).headers["age"] != nil)
        #expect(s.runs == 1)
        #expect(await s.get("/age", [("Cache-Control", "min-fresh=120")]).headers["age"] == nil)
        #expect(s.runs == 2)
        #expect(s.decisions[3].hasPrefix("request min-fresh=120: 5"), "\(s.decisions)")
        try await Task.sleep(for: .milliseconds(1100))
        #expect(await s.get("/age", [("Cache-Control", "max-age=0")]).headers["age"] == nil)
        #expect(s.runs == 3)
        #expect(s.timelessDecisions.last == "request max-age=0: stored response is N s old; stored", "\(s.decisions)")
    }

    @Test func maxStaleServesStaleUnlessTheResponseForbidsIt() async throws {
        let s = try await CacheServer.start("")
        defer { s.stop() }
        let plain = CacheServer.target("/stale", headers: ["Cache-Control: public, max-age=1"])
        let strict = CacheServer.target("/strict", headers: ["Cache-Control: public, max-age=1, must-revalidate"])
        _ = await s.get(plain)
        _ = await s.get(strict)
        try await Task.sleep(for: .milliseconds(1300))
        // First, while the must-revalidate entry is still there to explain itself (a purge takes it next).
        #expect(await s.get(strict, [("Cache-Control", "max-stale=5")]).headers["age"] == nil)
        let within = await s.get(plain, [("Cache-Control", "max-stale=5")])
        #expect(Int(within.headers["age"] ?? "") ?? 0 >= 1, "\(within.headers)")
        let unlimited = await s.get(plain, [("Cache-Control", "max-stale")])
        #expect(unlimited.headers["age"] != nil)
        #expect(s.runs == 3)
        #expect(await s.get(plain, [("Cache-Control", "max-stale=0")]).headers["age"] == nil, "stale by more than 0 s")
        #expect(s.runs == 4)
        let d = s.timelessDecisions
        #expect(d[2] == "stale: age N s, fresh for N s (max-age=1); must-revalidate forbids serving it stale; stored", "\(d)")
        #expect(d[3] == "hit, stale by N s (max-stale)")
        #expect(d[5] == "stale: age N s, fresh for N s (max-age=1); stale by N s > max-stale=0; stored", "\(d)")
    }

    @Test func onlyIfCachedAnswers504OnAMiss() async throws {
        let s = try await CacheServer.start("-Public -MaxAge 60")
        defer { s.stop() }
        let miss = await s.get("/oic", [("Cache-Control", "only-if-cached")])
        #expect(miss.status == 504)
        #expect(s.runs == 0)
        _ = await s.get("/oic")
        let hit = await s.get("/oic", [("Cache-Control", "only-if-cached")])
        #expect(hit.status == 200 && hit.body == "/oic|")
        #expect(s.runs == 1)
        #expect(s.decisions == ["only-if-cached and nothing usable is stored: 504", "stored", "hit"])
        #expect(s.cache.store.statistics().gatewayTimeouts == 1)
    }

    // MARK: HEAD, conditional requests, keys

    @Test func headIsAnsweredFromAStoredGet() async throws {
        let s = try await CacheServer.start("-Public -MaxAge 60")
        defer { s.stop() }
        let get = await s.get("/h", method: "GET")
        let head = await s.get("/h", method: "HEAD")
        #expect(head.status == 200)
        #expect(head.body.isEmpty)
        #expect(head.headers["content-length"] == String(get.body.utf8.count))
        #expect(head.headers["age"] == "0")
        #expect(s.runs == 1)
        // HEAD on a miss runs the route and stores nothing; the GET after it runs too.
        _ = await s.get("/h2", method: "HEAD")
        _ = await s.get("/h2", method: "GET")
        #expect(s.runs == 3)
        #expect(s.decisions == ["stored", "hit", "not stored: HEAD responses are not stored (a stored GET answers HEAD)", "stored"])
    }

    @Test func conditionalRequestsAreAnswered304FromTheStore() async throws {
        let s = try await CacheServer.start("")
        defer { s.stop() }
        let lastModified = "Mon, 01 Jan 2024 00:00:00 GMT"
        let t = CacheServer.target("/v", headers: ["Cache-Control: public, max-age=60", "ETag: \"v1\"", "Last-Modified: \(lastModified)"])
        _ = await s.get(t)
        let strong = await s.get(t, [("If-None-Match", "\"v1\"")])
        #expect(strong.status == 304)
        #expect(strong.body.isEmpty)
        #expect(strong.headers["etag"] == "\"v1\"")
        #expect(strong.headers["cache-control"] == "public, max-age=60")
        #expect(strong.headers["age"] != nil)
        #expect(await s.get(t, [("If-None-Match", "\"x\", W/\"v1\"")]).status == 304, "weak comparison, list")
        #expect(await s.get(t, [("If-None-Match", "*")]).status == 304)
        #expect(await s.get(t, [("If-None-Match", "\"v2\"")]).status == 200)
        #expect(await s.get(t, [("If-Modified-Since", lastModified)]).status == 304)
        #expect(await s.get(t, [("If-Modified-Since", "Sun, 31 Dec 2023 23:59:59 GMT")]).status == 200)
        // If-None-Match decides alone when present.
        #expect(await s.get(t, [("If-None-Match", "\"v2\""), ("If-Modified-Since", lastModified)]).status == 200)
        #expect(s.runs == 1)
        #expect(s.decisions[1] == "hit: 304 Not Modified (If-None-Match matches the stored response)")
        #expect(s.decisions[5] == "hit: 304 Not Modified (If-Modified-Since matches the stored response)")
        #expect(s.cache.store.statistics().notModified == 4)
    }

    @Test func varyValuesSeparateEntries() async throws {
        let s = try await CacheServer.start("")
        defer { s.stop() }
        let t = CacheServer.target("/vary", headers: ["Cache-Control: public, max-age=60", "Vary: Accept-Language"])
        _ = await s.get(t, [("Accept-Language", "en")])
        _ = await s.get(t, [("Accept-Language", "fr")])
        #expect(s.runs == 2)
        #expect(await s.get(t, [("Accept-Language", "en")]).headers["age"] != nil)
        #expect(await s.get(t, [("Accept-Language", "fr")]).headers["age"] != nil)
        #expect(s.runs == 2)
        _ = await s.get(t)
        #expect(s.runs == 3, "absent differs from any value")
        #expect(s.decisions[1] == "miss: no stored variant for this Accept-Language; stored")
        let vary = s.cache.store.snapshot().map(\.vary).sorted()
        #expect(vary == ["Accept-Language: (none)", "Accept-Language: en", "Accept-Language: fr"])
    }

    @Test func queryStringsSeparateEntries() async throws {
        let s = try await CacheServer.start("-Public -MaxAge 60")
        defer { s.stop() }
        #expect(await s.get("/q?page=1").body == "/q?page=1|")
        #expect(await s.get("/q?page=2").body == "/q?page=2|")
        #expect(await s.get("/q?page=1").body == "/q?page=1|")
        #expect(await s.get("/q").body == "/q|")
        #expect(s.runs == 3)
    }

    @Test(arguments: [false, true])
    func pathCaseFollowsUseCaseSensitivePaths(_ sensitive: Bool) async throws {
        let s = try await CacheServer.start("-Public -MaxAge 60" + (sensitive ? " -UseCaseSensitivePaths" : ""))
        defer { s.stop() }
        _ = await s.get("/Items")
        let other = await s.get("/items")
        #expect(s.runs == (sensitive ? 2 : 1))
        // Case-insensitive: the stored /Items answers /items.
        #expect(other.body == (sensitive ? "/items|" : "/Items|"))
    }

    // MARK: size, eviction, purge, invalidation

    @Test func bodiesOverMaximumAndEntriesOverSizeLimitAreNotStored() async throws {
        let s = try await CacheServer.start("-SizeLimit 4096 -MaximumBodySize 2048 -Public -MaxAge 60")
        defer { s.stop() }
        _ = await s.get(CacheServer.target("/big", size: 3000))
        #expect(s.decisions.last == "not stored: body 2.9 KB > MaximumBodySize 2 KB")
        _ = await s.get(CacheServer.target("/fits", size: 2000))
        #expect(s.decisions.last == "stored")
        #expect(s.cache.store.statistics().bytes <= 4096)
    }

    @Test func leastRecentlyUsedEntryIsEvictedFirst() async throws {
        let s = try await CacheServer.start("-SizeLimit 10000 -Public -MaxAge 60")
        defer { s.stop() }
        for p in ["/a", "/b", "/c"] { _ = await s.get(CacheServer.target(p, size: 3000)) }
        _ = await s.get(CacheServer.target("/a", size: 3000))
        #expect(s.runs == 3)
        _ = await s.get(CacheServer.target("/d", size: 3000))
        let paths = s.cache.store.snapshot().map { String($0.path.prefix { $0 != "?" }) }
        #expect(paths == ["/d", "/a", "/c"], "most recently used first; /b was the least recently used")
        let stats = s.cache.store.statistics()
        #expect(stats.evictions == 1)
        #expect(stats.bytes <= 10000)
    }

    /// Eight clients, 480 requests over 60 paths against a 20 KB cache: the byte bound holds at
    /// every moment, nothing is mixed up, and the counts add up.
    @Test func sizeLimitHoldsUnderConcurrentWriters() async throws {
        let limit = 20_000
        let s = try await CacheServer.start("-SizeLimit \(limit) -Public -MaxAge 60")
        defer { s.stop() }
        let store = s.cache.store
        let port = s.port
        let (failures, maxSeen) = await offPool { () -> ([String], Int) in
            let done = LockedBox(false)
            let seen = LockedBox(0)
            let monitor = Thread {
                while !done.get() {
                    seen.set(max(seen.get(), store.statistics().bytes))
                    usleep(2000)
                }
            }
            monitor.start()
            let failures = Collector()
            let group = DispatchGroup()
            for client in 0..<8 {
                group.enter()
                Thread {
                    for i in 0..<60 {
                        let path = "/load\((client * 7 + i) % 60)"
                        let r = rawHTTP(port, "GET", CacheServer.target(path, size: 2500))
                        if r.status != 200 || !r.body.hasPrefix(path + "?size=2500|") || r.body.utf8.count != path.utf8.count + 2500 + 11 {
                            failures.append("\(path): \(r.status) \(r.body.prefix(40))")
                        }
                    }
                    group.leave()
                }.start()
            }
            group.wait()
            done.set(true)
            return (failures.items, seen.get())
        }
        #expect(failures.isEmpty, "\(failures.prefix(3))")
        #expect(maxSeen <= limit)
        let stats = store.statistics()
        let entries = store.snapshot()
        #expect(stats.bytes <= limit)
        #expect(stats.bytes == entries.reduce(0) { $0 + $1.size })
        #expect(stats.entries == entries.count)
        #expect(stats.evictions > 0)
        #expect(stats.hits + stats.misses == 480)
        #expect(s.runs == stats.misses, "every miss ran the route once, every hit did not")
        #expect(stats.stores == stats.misses)
    }

    @Test func expiredEntriesArePurged() async throws {
        let s = try await CacheServer.start("")
        defer { s.stop() }
        _ = await s.get(CacheServer.target("/short", headers: ["Cache-Control: public, max-age=1"]))
        _ = await s.get(CacheServer.target("/strict", headers: ["Cache-Control: public, max-age=1, must-revalidate"]))
        #expect(s.cache.store.snapshot().count == 2)
        try await Task.sleep(for: .milliseconds(1200))
        // Past its freshness: the must-revalidate entry is useless and goes; the other waits for max-stale.
        #expect(s.cache.store.snapshot().map { $0.path.hasPrefix("/short") } == [true])
        try await Task.sleep(for: .milliseconds(1000))
        #expect(s.cache.store.snapshot().isEmpty)
        #expect(s.cache.store.statistics().expired == 2)
    }

    @Test func unsafeMethodsInvalidateTheirTarget() async throws {
        let s = try await CacheServer.start("-Public -MaxAge 60")
        defer { s.stop() }
        _ = await s.get("/inv")
        _ = await s.get("/inv", method: "POST")
        _ = await s.get("/other", method: "POST")
        _ = await s.get("/inv")
        #expect(s.runs == 4)
        #expect(s.decisions == ["stored", "invalidated: POST answered 200; 1 stored entry removed", "bypassed: method POST is not cached", "stored"])
    }

    @Test func defaultCacheControlOnlyWhereTheResponseSetsNone() async throws {
        let s = try await CacheServer.start("-Public -MaxAge 60", routes: """
            Add-KrMapRoute -Verbs Get -Pattern '/mine' -ScriptBlock {
                Update-KrSynchronizedCounter -Table $Runs -Key n | Out-Null
                Add-KrCacheResponse -Private -MaxAge 30
                Write-KrTextResponse 'mine'
            }
            """)
        defer { s.stop() }
        let mine = await s.get("/mine")
        #expect(mine.headers["cache-control"] == "max-age=30, private")
        #expect(mine.headers["vary"] == "Accept-Encoding")
        let missing = await s.get(CacheServer.target("/missing", status: 404))
        #expect(missing.headers["cache-control"] == nil)
        #expect(missing.headers["vary"] == nil)
        _ = await s.get("/mine")
        // Never a public default on a response to a request with credentials.
        let authorized = await s.get("/auth", [("Authorization", "Bearer t")])
        #expect(authorized.headers["cache-control"] == nil)
        #expect(s.runs == 4)
        #expect(s.decisions == ["not stored: response Cache-Control private", "not stored: status 404 (only 200 is stored)",
                                "not stored: response Cache-Control private", "bypassed: request has Authorization"])
    }

    // MARK: the store at the prompt

    @Test func storeCmdletsShowAndChangeTheCache() async throws {
        let s = try await CacheServer.start("-SizeLimit 1048576 -Public -MaxAge 60")
        defer { s.stop() }
        _ = await s.get("/a")
        _ = await s.get("/a")
        _ = await s.get("/b?x=1")
        _ = await s.get(CacheServer.target("/c", headers: ["Cache-Control: public, max-age=60", "Set-Cookie: s=1"]))
        let before = s.sink.stdout.count
        let outcome = await s.engine.interact("""
            $e = Get-KrCacheEntry -Path '/a'
            "$($e.Key)|$($e.Method)|$($e.Path)|$($e.Vary)|$($e.Status)|$($e.Hits)|$($e.Age)|$($e.Expires -gt (Get-Date))|$($e.Size -gt 0)"
            @(Get-KrCacheEntry).Count
            $s = Get-KrCacheStatistic
            "$($s.Entries) $($s.Hits) $($s.Misses) $($s.HitRatio) $($s.Stores) $($s.Evictions) $($s.SizeLimit) $($s.Refusals.SetCookie) $($s.Bytes -gt 0)"
            "$($s.Refusals)"
            Get-KrCacheDecision -Last 2 | ForEach-Object { "$($_.Method) $($_.Path) $($_.Status) $($_.Outcome): $($_.Decision)" }
            (Get-KrCacheDecision).Count
            Remove-KrCacheEntry -Path '/B'
            @(Get-KrCacheEntry).Count
            Clear-KrCache -ResetStatistics
            "$(@(Get-KrCacheEntry).Count) $((Get-KrCacheStatistic).Hits) $((Get-KrCacheDecision).Count)"
            """)
        #expect(outcome == .completed, "\(s.sink.stderr)")
        let out = String(s.sink.stdout.dropFirst(before))
        let cookie = CacheServer.target("/c", headers: ["Cache-Control: public, max-age=60", "Set-Cookie: s=1"])
        #expect(out == """
            GET /A | Accept-Encoding|GET|/a|Accept-Encoding: (none)|200|1|0|True|True
            2
            2 1 3 0.25 2 0 1048576 1 True
            SetCookie=1
            GET /b?x=1 200 Stored: stored
            GET \(cookie) 200 NotStored: not stored: response has Set-Cookie
            4
            1
            0 0 0

            """, "\(out)\nstderr: \(s.sink.stderr)")
    }

    @Test func storeCmdletsDisplayAsTables() async throws {
        let s = try await CacheServer.start("-Public -MaxAge 60")
        defer { s.stop() }
        _ = await s.get("/t")
        _ = await s.get("/t")
        let before = s.sink.stdout.count
        _ = await s.engine.interact("Get-KrCacheDecision")
        let table = String(s.sink.stdout.dropFirst(before))
        #expect(table.contains("Method Path Status Decision"), "\(table)")
        #expect(table.contains("GET    /t      200 stored"), "\(table)")
        #expect(table.contains("GET    /t      200 hit"), "\(table)")
        let mark = s.sink.stdout.count
        _ = await s.engine.interact("Get-KrCacheStatistic")
        let list = String(s.sink.stdout.dropFirst(mark))
        #expect(list.contains("HitRatio        : 0.5"), "\(list)")
        #expect(list.contains("Refusals        : (none)"), "\(list)")
    }

    @Test func clearErrorsWithoutACacheAndOnASecondCache() async throws {
        let (engine, sink) = makeEngine()
        let outcome = await engine.run("""
            New-KrServer -Name nocache1 | Out-Null
            Get-KrCacheStatistic
            Add-KrCacheMiddleware -SizeLimit 0
            Add-KrCacheMiddleware -Public -Private
            Add-KrCacheMiddleware
            Add-KrCacheMiddleware
            (Get-KrCacheStatistic).SizeLimit
            """, file: "nocache.ps1")
        defer { HostRegistry.shared.remove("nocache1") }
        #expect(outcome == .completed)
        let err = sink.stderr
        #expect(err.contains("nocache.ps1:2:") && err.contains("Server 'nocache1' has no response cache: add one with Add-KrCacheMiddleware."), "\(err)")
        #expect(err.contains("nocache.ps1:3:") && err.contains("-SizeLimit must be a positive number of bytes, not 0."), "\(err)")
        #expect(err.contains("nocache.ps1:4:") && err.contains("-Public and -Private cannot be used together."), "\(err)")
        #expect(err.contains("nocache.ps1:6:") && err.contains("already has a response cache"), "\(err)")
        #expect(sink.stdout.hasPrefix("104857600\n"), "\(sink.stdout)")
    }

    // MARK: the parts alone

    @Test func storeEvictsByRecencyAndRefusesWhatCannotFit() {
        let store = ResponseCacheStore(sizeLimit: 1000, maximumBodySize: 1000, useCaseSensitivePaths: false)
        let now = Date()
        func entry(_ path: String, _ size: Int) -> CacheEntry {
            let key = store.primaryKey(method: "GET", path: path, query: "")
            return CacheEntry(key: key, primaryKey: key, path: path, varyNames: [], varyValues: [], status: 200, headers: [],
                              body: Array(repeating: 0x61, count: size - key.utf8.count), cacheControl: CacheControl.parse("public, max-age=60"),
                              freshness: CacheFreshness(lifetime: 60, source: "max-age=60", initialAge: 0), storedAt: now)
        }
        #expect(store.insert(entry("/a", 400), now: now) == nil)
        #expect(store.insert(entry("/b", 400), now: now) == nil)
        let req = KrRequest(method: "GET", path: "/A", queryString: "", headers: [], body: [], remoteAddress: "")
        guard case .hit = store.lookup(store.primaryKey(method: "HEAD", path: "/A", query: ""), req, CacheControl(), now: now) else {
            Issue.record("HEAD /A should find GET /a")
            return
        }
        #expect(store.insert(entry("/c", 400), now: now) == nil)
        #expect(store.snapshot(now: now).map(\.path) == ["/c", "/a"])
        #expect(store.insert(entry("/huge", 1001), now: now)?.text == "not stored: entry 1001 bytes > SizeLimit 1000 bytes")
        #expect(store.statistics(now: now).bytes == 800)
        #expect(store.remove(path: "/*").count == 2)
        #expect(store.statistics(now: now).bytes == 0)
    }

    @Test(arguments: [
        ("Sun, 06 Nov 1994 08:49:37 GMT", 784_111_777.0),
        ("Sunday, 06-Nov-94 08:49:37 GMT", 784_111_777.0),
        ("Sun Nov  6 08:49:37 1994", 784_111_777.0),
        ("Thu, 01 Jan 1970 00:00:00 GMT", 0.0),
    ])
    func httpDatesParse(_ text: String, _ seconds: Double) {
        #expect(CachePolicy.parseHTTPDate(text)?.timeIntervalSince1970 == seconds)
    }

    @Test func httpDatesFormatAndRejectJunk() {
        #expect(CachePolicy.formatHTTPDate(Date(timeIntervalSince1970: 784_111_777)) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(CachePolicy.formatHTTPDate(Date(timeIntervalSince1970: 1_709_164_800)) == "Thu, 29 Feb 2024 00:00:00 GMT")
        for junk in ["0", "", "yesterday", "Sun, 32 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 25:49:37 GMT"] {
            #expect(CachePolicy.parseHTTPDate(junk) == nil, "\(junk)")
        }
        #expect(CachePolicy.sizeText(71_680) == "70 KB")
        #expect(CachePolicy.sizeText(8_388_608) == "8 MB")
        #expect(CachePolicy.sizeText(512) == "512 bytes")
        #expect(Revalidation.parseTagCondition("\"a,b\", W/\"c\"") == .tags([Revalidation.EntityTag("a,b"), Revalidation.EntityTag("c", weak: true)]))
    }
}

/// One row of the storage rules table.
struct CacheStorageCase: Sendable, CustomTestStringConvertible {
    let name: String
    let responseHeaders: [String]
    let decision: String
    let refusal: CacheRefusal
    let status: Int
    let size: Int?
    let requestHeaders: [(String, String)]
    init(_ name: String, _ responseHeaders: [String], _ decision: String, _ refusal: CacheRefusal, status: Int = 200, size: Int? = nil,
         request: [(String, String)] = []) {
        self.name = name
        self.responseHeaders = responseHeaders
        self.decision = decision
        self.refusal = refusal
        self.status = status
        self.size = size
        self.requestHeaders = request
    }
    var testDescription: String { name }
}

/// A running server with a response cache, a counting catch-all route, and a test middleware
/// inside the cache that adds the response headers (and status) named in the query: `?h=ETag%3A%22v1%22`.
struct CacheServer: Sendable {
    let engine: ScriptEngine
    let sink: CollectingSink
    let port: Int
    let name: String
    let host: KrHost
    let cache: ResponseCacheMiddleware

    struct StartError: Error, CustomStringConvertible { let description: String }

    /// `middleware`: more script lines after Add-KrCacheMiddleware (so inside the cache), such as a file server.
    static func start(_ cacheArguments: String, middleware: String = "", routes: String = "") async throws -> CacheServer {
        let (engine, sink) = makeEngine()
        let port = freePort()
        let name = "rcache\(port)"
        let outcome = await engine.run("""
            New-KrServer -Name \(name) | Add-KrEndpoint -Port \(port) | Out-Null
            Set-KrSharedState -Name Runs -Value @{ n = 0 } -ThreadSafe
            Add-KrCacheMiddleware \(cacheArguments)
            \(middleware)
            Enable-KrConfiguration | Out-Null
            \(routes)
            Add-KrMapRoute -Verbs Get,Post -Pattern '/{*rest}' -ScriptBlock {
                Update-KrSynchronizedCounter -Table $Runs -Key n | Out-Null
                $size = [int]$Context.Request.Query['size']
                Write-KrTextResponse ("$($Context.Request.Path)$($Context.Request.QueryString)|" + ('x' * $size))
            }
            Start-KrServer -NoWait -Quiet
            """, file: "cache.ps1")
        guard outcome == .completed, let host = HostRegistry.shared.get(name), let cache = host.responseCache else {
            HostRegistry.shared.get(name)?.stop()
            throw StartError(description: "the server did not start: \(sink.stderr)")
        }
        host.middleware.add(HeaderDecorator())
        return CacheServer(engine: engine, sink: sink, port: port, name: name, host: host, cache: cache)
    }

    func stop() {
        host.stop()
        HostRegistry.shared.remove(name)
    }

    /// How many times the route ran.
    var runs: Int {
        guard case .hashtable(let h)? = host.sharedState.get("Runs"), case .int(let n)? = h.get(.string("n")) else { return -1 }
        return Int(n)
    }

    var decisions: [String] { cache.decisions.last().map(\.text) }

    /// The decisions with ages in whole seconds written as N, for tests that sleep (a slow machine
    /// may see 2 s where a fast one sees 1 s).
    var timelessDecisions: [String] {
        decisions.map { $0.replacingOccurrences(of: #"(age|by|is|fresh for) \d+ s"#, with: "$1 N s", options: .regularExpression) }
    }

    func get(_ target: String, _ headers: [(String, String)] = [], method: String = "GET") async -> HTTPResult {
        let port = self.port
        return await offPool { rawHTTP(port, method, target, headers) }
    }

    /// A path whose query asks the decorator for response headers, a status and a body size.
    static func target(_ path: String, headers: [String] = [], status: Int? = nil, size: Int? = nil) -> String {
        func enc(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? s }
        var q = headers.map { "h=" + enc($0) }
        if let status, status != 200 { q.append("status=\(status)") }
        if let size { q.append("size=\(size)") }
        return q.isEmpty ? path : path + "?" + q.joined(separator: "&")
    }
}

/// Adds `h=Name: value` headers and `status=N` from the query to the route's response.
fileprivate struct HeaderDecorator: KrMiddleware {
    func handle(_ request: KrRequest, next: @Sendable (KrRequest) async -> KrResponse) async -> KrResponse {
        let r = await next(request)
        for (k, v) in request.query {
            if k == "h", let colon = v.firstIndex(of: ":") {
                r.addHeader(String(v[..<colon]), v[v.index(after: colon)...].trimmingCharacters(in: .whitespaces))
            } else if k == "status", let s = Int(v) {
                r.statusCode = s
            }
        }
        return r
    }
}

/// One HTTP/1.1 exchange over a fresh connection to 127.0.0.1, bytes exactly as given (URLSession
/// adds and drops headers such as Authorization and Accept-Encoding). Blocks the calling thread.
fileprivate func rawHTTP(_ port: Int, _ method: String, _ target: String, _ headers: [(String, String)] = []) -> HTTPResult {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return HTTPResult(status: 0, headers: [:], body: "socket failed") }
    defer { close(fd) }
    var timeout = timeval(tv_sec: 20, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    addr.sin_port = UInt16(port).bigEndian
    let connected = withUnsafePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard connected == 0 else { return HTTPResult(status: 0, headers: [:], body: "connect failed") }
    var text = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
    for (k, v) in headers { text += "\(k): \(v)\r\n" }
    let request = Array((text + "\r\n").utf8)
    var sent = 0
    while sent < request.count {
        let n = request[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return HTTPResult(status: 0, headers: [:], body: "send failed") }
        sent += n
    }
    var data: [UInt8] = []
    var buf = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = recv(fd, &buf, buf.count, 0)
        if n <= 0 { break }
        data.append(contentsOf: buf[0..<n])
    }
    guard let split = data.indices.first(where: { $0 + 3 < data.count && data[$0...($0 + 3)].elementsEqual([13, 10, 13, 10]) }) else {
        return HTTPResult(status: 0, headers: [:], body: String(decoding: data, as: UTF8.self))
    }
    let head = String(decoding: data[..<split], as: UTF8.self).components(separatedBy: "\r\n")
    let status = head.first.flatMap { $0.split(separator: " ").dropFirst().first }.flatMap { Int($0) } ?? 0
    var fields: [String: String] = [:]
    for line in head.dropFirst() {
        guard let colon = line.firstIndex(of: ":") else { continue }
        let k = line[..<colon].lowercased(), v = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        fields[k] = fields[k].map { "\($0), \(v)" } ?? v
    }
    var body = Array(data[(split + 4)...])
    if fields["transfer-encoding"]?.lowercased() == "chunked" { body = dechunk(body) }
    return HTTPResult(status: status, headers: fields, body: String(decoding: body, as: UTF8.self))
}

private func dechunk(_ b: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    var i = 0
    while i < b.count {
        guard let eol = b[i...].indices.first(where: { $0 + 1 < b.count && b[$0] == 13 && b[$0 + 1] == 10 }) else { break }
        let sizeText = String(decoding: b[i..<eol], as: UTF8.self).split(separator: ";").first ?? ""
        guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16), size > 0, eol + 2 + size <= b.count else { break }
        out.append(contentsOf: b[(eol + 2)..<(eol + 2 + size)])
        i = eol + 2 + size + 2
    }
    return out
}

/// A response replayed from a stored entry keeps the plain view for everything that reads or
/// changes it, while the hit path hands its wire form on untouched.
@Suite struct ReplayedResponseTests {
    @Test func replayedResponseReadsAndChangesLikeAPlainOne() {
        var fields = HTTPFields()
        fields[.contentType] = "text/plain; charset=utf-8"
        fields[.cacheControl] = "public, max-age=60"
        let r = KrResponse()
        r.replay(fields: fields, body: ByteBuffer(string: "hello"), status: 200)
        r.addHeader("Age", "3")
        let wire = r.wireParts
        #expect(wire?.body.readableBytes == 5)
        #expect(wire?.added.map(\.0) == ["Age"])
        let head = KrResponder.convert(r, isHead: true)
        #expect(head.headers[.contentLength] == "5")
        #expect(head.headers[.age] == "3")
        #expect(head.headers[.cacheControl] == "public, max-age=60")

        // Reading or changing it turns it back into the plain form, in the same order.
        #expect(r.header("content-type") == "text/plain; charset=utf-8")
        #expect(r.headers.map(\.0) == ["Content-Type", "Cache-Control", "Age"])
        #expect(r.body == Array("hello".utf8))
        r.setHeader("X-Extra", "1")
        #expect(r.wireParts == nil)
        let get = KrResponder.convert(r, isHead: false)
        #expect(get.headers[.age] == "3")
        #expect(get.headers.contains { $0.name.rawName == "X-Extra" && $0.value == "1" })
        #expect(r.statusCode == 200 && r.hasBody)
    }
}
