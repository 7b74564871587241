import Foundation
import Testing
@testable import KrHost
@testable import KrScript

// The caching guide's validator guidelines, decision checklist, troubleshooting rows and examples
// (seeds/003), over real sockets on 127.0.0.1. Routes count their runs in $Runs.n (CacheServer).

/// The route lines that call Test-KrCacheRevalidation with `inputs`, count what it returned
/// ($Runs.answeredTrue / answeredFalse) and write `body` when it did not answer.
private func validating(_ inputs: String, body: String) -> String {
    """
    $answered = Test-KrCacheRevalidation \(inputs)
    Update-KrSynchronizedCounter -Table $Runs -Key "answered$answered" | Out-Null
    if (-not $answered) { Write-KrTextResponse \(body) }
    """
}

// MARK: - 4. Validators: the guidelines table

struct ValidatorRow: Sendable, CustomTestStringConvertible {
    let scenario: String
    /// Route lines before the call (variables the inputs use).
    let prelude: String
    let inputs: String
    /// The ETag sent, when the test can know it in advance.
    let etag: String?
    var testDescription: String { scenario }
}

@Suite(.serialized) struct ValidatorGuidelineTests {
    static let rows: [ValidatorRow] = [
        ValidatorRow(scenario: "Immutable string: -Payload", prelude: "", inputs: "-Payload 'hello'",
                     etag: "\"2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824\""),
        ValidatorRow(scenario: "Immutable bytes: -Payload", prelude: "$bytes = [byte[]](104, 105)", inputs: "-Payload $bytes",
                     etag: "\"8f434346648f6b96df89dda901c5176b10a6d83961dd3c1ac88b59b2dc327aa4\""),
        ValidatorRow(scenario: "Versioned resource: -ETag 'v2' -LastModified $deploymentTime",
                     prelude: "$deploymentTime = Get-Date '2024-01-01'", inputs: "-ETag 'v2' -LastModified $deploymentTime", etag: "\"v2\""),
        ValidatorRow(scenario: "Expensive dynamic build: a pre-computed summary hash as -ETag",
                     prelude: "$items = @('a', 'b', 'c'); $summary = \"items-$($items.Count)-rev7\"", inputs: "-ETag $summary",
                     etag: "\"items-3-rev7\""),
        ValidatorRow(scenario: "Time-windowed data: -ETag with a rounded timestamp",
                     prelude: "$window = (Get-Date).ToUniversalTime().ToString('yyyyMMddHH')", inputs: "-ETag $window", etag: nil),
    ]

    @Test(arguments: rows)
    func eachScenarioAnswers304ToACurrentClient(_ row: ValidatorRow) async throws {
        let s = try await CacheServer.start("", routes: countingRoute("/v", """
            \(row.prelude)
            \(validating(row.inputs, body: "'expensive body'"))
            """))
        defer { s.stop() }
        var first = await s.get("/v")
        var again = await s.get("/v", [("If-None-Match", first.headers["etag"] ?? "")])
        if row.etag == nil && again.status == 200 {
            // The hour turned between the two requests: a new window, a new tag. Once more.
            first = again
            again = await s.get("/v", [("If-None-Match", first.headers["etag"] ?? "")])
        }
        #expect(first.status == 200 && first.body == "expensive body")
        let tag = try #require(first.headers["etag"])
        if let etag = row.etag {
            #expect(tag == etag)
        } else {
            let f = DateFormatter()
            f.timeZone = TimeZone(identifier: "UTC")
            f.dateFormat = "yyyyMMddHH"
            let hours = [-3600.0, 0].map { "\"" + f.string(from: Date().addingTimeInterval($0)) + "\"" }
            #expect(hours.contains(tag), "\(tag) is not this hour or the last")
        }
        // A client that has the current representation: 304, no body, the validators again.
        #expect(again.status == 304)
        #expect(again.body.isEmpty)
        #expect(again.headers["etag"] == tag)
        // A client with another representation gets the body.
        let other = await s.get("/v", [("If-None-Match", "\"other\"")])
        #expect(other.status == 200 && other.body == "expensive body")
        #expect(s.counter("answeredTrue") == 1)
        #expect(s.counter("answeredFalse") == s.runs - 1)
    }

    /// The algorithm's inputs: -ETag with or without quotes, -Weak, -LastModified as DateTime or
    /// string; If-Modified-Since to the second and only without If-None-Match.
    @Test(arguments: [
        ("-ETag 'v2'", "\"v2\"" as String?, nil as String?),
        ("-ETag '\"v2\"'", "\"v2\"", nil),
        ("-ETag 'v2' -Weak", "W/\"v2\"", nil),
        ("-ETag 'W/\"v2\"'", "W/\"v2\"", nil),
        ("-ETag 'W/\"v2\"' -Weak", "W/\"v2\"", nil),
        ("-Payload 'hello' -Weak", "W/\"2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824\"", nil),
        ("-LastModified 'Mon, 01 Jan 2024 10:20:30 GMT'", nil, "Mon, 01 Jan 2024 10:20:30 GMT"),
        ("-ETag 'v2' -LastModified 'Mon, 01 Jan 2024 10:20:30 GMT'", "\"v2\"", "Mon, 01 Jan 2024 10:20:30 GMT"),
    ])
    func inputsBecomeValidators(_ inputs: String, _ etag: String?, _ lastModified: String?) async throws {
        let s = try await CacheServer.start("", routes: countingRoute("/in", validating(inputs, body: "'body'")))
        defer { s.stop() }
        let first = await s.get("/in")
        #expect(first.status == 200 && first.body == "body")
        #expect(first.headers["etag"] == etag)
        #expect(first.headers["last-modified"] == lastModified)
        if let etag {
            // Weak comparison: the strong and the weak form of the tag both match.
            let bare = etag.hasPrefix("W/") ? String(etag.dropFirst(2)) : etag
            #expect(await s.get("/in", [("If-None-Match", bare)]).status == 304)
            #expect(await s.get("/in", [("If-None-Match", "W/" + bare)]).status == 304)
        }
        if let lastModified {
            let conditional = await s.get("/in", [("If-Modified-Since", lastModified)])
            // If-Modified-Since counts only when there is no If-None-Match, and to the second.
            #expect(conditional.status == 304)
            #expect(await s.get("/in", [("If-Modified-Since", "Mon, 01 Jan 2024 10:20:29 GMT")]).status == 200)
            if etag != nil {
                #expect(await s.get("/in", [("If-None-Match", "\"v1\""), ("If-Modified-Since", lastModified)]).status == 200)
            }
        }
    }
}

// MARK: - 7. The decision checklist

enum ChecklistRow: String, CaseIterable, Sendable {
    case basicStaticAssets = "Basic static assets: file server headers (Public + short MaxAge), then versioned filenames"
    case dynamicJSONSameForAll = "Dynamic JSON (same for all): response cache middleware, then validators (Payload hash)"
    case userSpecificJSON = "User-specific JSON: -Private per-response, then short MaxAge + validators"
    case sensitiveData = "Sensitive data: -NoStore, nothing else"
    case cdnIntegration = "CDN integration: -Public -SharedMaxAge, then validators"
}

@Suite(.serialized) struct CacheDecisionChecklistTests {
    @Test(arguments: ChecklistRow.allCases)
    func row(_ row: ChecklistRow) async throws {
        switch row {
        case .basicStaticAssets: try await basicStaticAssets()
        case .dynamicJSONSameForAll: try await dynamicJSON()
        case .userSpecificJSON: try await userSpecificJSON()
        case .sensitiveData: try await sensitiveData()
        case .cdnIntegration: try await cdnIntegration()
        }
    }

    func basicStaticAssets() async throws {
        let root = try TempSite(["app.v1.js": "console.log(1)", "app.v2.js": "console.log(2)"])
        defer { root.remove() }
        let s = try await CacheServer.start("", middleware: "Add-KrFileServerMiddleware -RequestPath '/assets' -RootPath '\(root.path)' -Public -MaxAge 300")
        defer { s.stop() }
        let v1 = await s.get("/assets/app.v1.js")
        let v2 = await s.get("/assets/app.v2.js")
        for (r, text) in [(v1, "console.log(1)"), (v2, "console.log(2)")] {
            #expect(r.status == 200 && r.body == text)
            #expect(r.headers["cache-control"] == "public, max-age=300")
            #expect(r.headers["content-type"]?.contains("javascript") == true, "\(r.headers)")
        }
        // A new version is a new URL, which no client has cached; each file revalidates by its own tag.
        for (path, r) in [("/assets/app.v1.js", v1), ("/assets/app.v2.js", v2)] {
            #expect(await s.get(path, [("If-None-Match", r.headers["etag"] ?? "")]).status == 304)
        }
        // The response cache, outside the file server, stores public static responses too.
        let again = await s.get("/assets/app.v1.js")
        #expect(again.headers["age"] != nil && again.body == "console.log(1)")
        #expect(s.runs == 0, "no route ran")
    }

    func dynamicJSON() async throws {
        let s = try await CacheServer.start("-Public -MaxAge 60", routes: countingRoute("/catalog", """
            $json = @{ items = @('a', 'b'); total = 2 } | ConvertTo-Json -Compress
            \(validating("-Payload $json", body: "$json"))
            """))
        defer { s.stop() }
        let first = await s.get("/catalog")
        let second = await s.get("/catalog")
        #expect(first.status == 200 && first.body.contains("\"total\":2"))
        #expect(second.body == first.body)
        #expect(first.headers["cache-control"] == "public, max-age=60")
        #expect(second.headers["age"] != nil)
        // The validator's ETag is stored with the response: the store answers 304 itself.
        let etag = try #require(first.headers["etag"])
        let notModified = await s.get("/catalog", [("If-None-Match", etag)])
        #expect(notModified.status == 304 && notModified.body.isEmpty)
        #expect(s.runs == 1, "one route run for all three")
        #expect(s.decisions == ["stored", "hit", "hit: 304 Not Modified (If-None-Match matches the stored response)"])
    }

    func userSpecificJSON() async throws {
        let s = try await CacheServer.start("-Public -MaxAge 60", routes: countingRoute("/me", """
            $user = $Context.Request.Headers['X-User']
            Add-KrCacheResponse -Private -MaxAge 30
            \(validating("-Payload $user", body: "\"user $user\""))
            """))
        defer { s.stop() }
        let alice = await s.get("/me", [("X-User", "alice")])
        let bob = await s.get("/me", [("X-User", "bob")])
        #expect(alice.body == "user alice" && bob.body == "user bob")
        #expect(alice.headers["cache-control"] == "max-age=30, private")
        #expect(s.runs == 2)
        // Short MaxAge + validators: the browser revalidates and gets 304 from the route.
        let revalidated = await s.get("/me", [("X-User", "alice"), ("If-None-Match", alice.headers["etag"] ?? "")])
        #expect(revalidated.status == 304)
        #expect(s.runs == 3)
        #expect(s.decisions == [isPrivateDecision, isPrivateDecision, "not stored: status 304 (only 200 is stored)"])
    }

    func sensitiveData() async throws {
        let s = try await CacheServer.start("-Public -MaxAge 60", routes: countingRoute("/token", """
            Add-KrCacheResponse -NoStore
            Write-KrTextResponse "token $(Get-Random)"
            """))
        defer { s.stop() }
        let a = await s.get("/token")
        let b = await s.get("/token")
        #expect(a.headers["cache-control"] == "no-store" && b.headers["age"] == nil)
        #expect(a.body.hasPrefix("token ") && a.body != b.body)
        #expect(s.runs == 2)
        #expect(s.decisions == ["not stored: response Cache-Control no-store", "not stored: response Cache-Control no-store"])
        #expect(s.cache.store.statistics().entries == 0)
    }

    func cdnIntegration() async throws {
        let s = try await CacheServer.start("", routes: countingRoute("/edge", """
            Add-KrCacheResponse -Public -SharedMaxAge 300
            \(validating("-ETag 'edge-v1'", body: "'edge content'"))
            """))
        defer { s.stop() }
        let sent = Date()
        let first = await s.get("/edge")
        #expect(first.headers["cache-control"] == "public, s-maxage=300")
        #expect(await s.get("/edge").headers["age"] != nil)
        #expect(s.lifetime("/edge", sent: sent) == 300)
        #expect(await s.get("/edge", [("If-None-Match", "\"edge-v1\"")]).status == 304)
        #expect(s.runs == 1)
    }
}

private let isPrivateDecision = "not stored: response Cache-Control private"

// MARK: - 8. Troubleshooting: each cause gives the symptom, and the decision log explains it

enum TroubleshootingRow: String, CaseIterable, Sendable {
    case neverSee304 = "Never see 304: ETag changes each request"
    case validatorReturnsFalse = "Validator returns $false unexpectedly: missing -Payload / -ETag input"
    case privateDataCachedPublicly = "Private data cached publicly: -Public used inadvertently"
    case memoryGrowth = "Memory growth: large -SizeLimit or many large bodies"
    case staleContentServed = "Stale content served: TTL too long (MaxAge)"
}

@Suite(.serialized) struct CacheTroubleshootingTests {
    @Test(arguments: TroubleshootingRow.allCases)
    func row(_ row: TroubleshootingRow) async throws {
        switch row {
        case .neverSee304: try await neverSee304()
        case .validatorReturnsFalse: try await validatorReturnsFalse()
        case .privateDataCachedPublicly: try await privateDataCachedPublicly()
        case .memoryGrowth: try await memoryGrowth()
        case .staleContentServed: try await staleContentServed()
        }
    }

    func neverSee304() async throws {
        let s = try await CacheServer.start("", routes: countingRoute("/changing", """
                \(validating("-Payload ((Get-Date).ToString('O'))", body: "'changing'"))
                """) + countingRoute("/stable", """
                \(validating("-Payload 'stable'", body: "'stable'"))
                """))
        defer { s.stop() }
        // The cause: the tag is regenerated on every request, so the client's never matches.
        var tag = try #require(await s.get("/changing").headers["etag"])
        for _ in 0..<3 {
            try await Task.sleep(for: .milliseconds(5))
            let r = await s.get("/changing", [("If-None-Match", tag)])
            #expect(r.status == 200, "the symptom: never 304")
            #expect(r.headers["etag"] != tag)
            tag = r.headers["etag"] ?? ""
        }
        #expect(s.counter("answeredTrue") == 0)
        // The fix: a stable hash.
        let stable = try #require(await s.get("/stable").headers["etag"])
        #expect(await s.get("/stable", [("If-None-Match", stable)]).status == 304)
        #expect(s.counter("answeredTrue") == 1)
    }

    func validatorReturnsFalse() async throws {
        let s = try await CacheServer.start("", routes: countingRoute("/typo", """
                $payload = 'content'
                \(validating("-Payload $paylod", body: "'content'"))
                """) + countingRoute("/object", """
                $n = [int]$Context.Request.Query['n']
                \(validating("-Payload @{ n = $n }", body: "\"n=$n\""))
                """) + countingRoute("/fixed", """
                $payload = 'content'
                \(validating("-Payload $payload", body: "'content'"))
                """))
        defer { s.stop() }
        let sha = "\"ed7002b439e9ac845f22357d822bac1444730fbdb6016d3ec9432297b9ec9f73\""
        // The causes: the input is missing ($paylod is a typo, so $null), or a complex object
        // (whose text would be its type name: every content the same tag). No validator at all.
        for (target, body) in [("/typo", "content"), ("/object?n=1", "n=1"), ("/object?n=2", "n=2")] {
            let first = await s.get(target)
            #expect(first.status == 200 && first.body == body, "\(target)")
            #expect(first.headers["etag"] == nil, "\(target)")
            let again = await s.get(target, [("If-None-Match", sha), ("If-Modified-Since", Revalidation.httpDate(Date()))])
            #expect(again.status == 200 && again.body == body, "the symptom: the body every time (\(target))")
        }
        #expect(s.counter("answeredTrue") == 0)
        #expect(s.counter("answeredFalse") == 6, "it returns $false")
        // The log names the cause and the fix.
        let log = s.host.logger.recent(500).map(\.message)
        #expect(log.contains { $0.contains("has nothing to validate against and returns $false: supply -Payload (a string or bytes), -ETag or -LastModified") })
        #expect(log.contains { $0.contains("-Payload is a System.Collections.Hashtable, not a string or bytes") })
        // The fix: supply the parameter.
        let fixed = await s.get("/fixed")
        #expect(fixed.headers["etag"] == sha)
        #expect(await s.get("/fixed", [("If-None-Match", sha)]).status == 304)
    }

    func privateDataCachedPublicly() async throws {
        let route = { (pattern: String, switches: String) in
            countingRoute(pattern, """
                $user = $Context.Request.Headers['X-User']
                Add-KrCacheResponse \(switches)
                Write-KrTextResponse "account of $user"
                """)
        }
        let s = try await CacheServer.start("", routes: route("/account-bug", "-Public -MaxAge 60") + route("/account", "-Private -MaxAge 60"))
        defer { s.stop() }
        // The cause: -Public on per-user data. Bob gets Alice's account from the store.
        _ = await s.get("/account-bug", [("X-User", "alice")])
        let leaked = await s.get("/account-bug", [("X-User", "bob")])
        #expect(leaked.body == "account of alice", "the symptom: private data served to another user")
        #expect(leaked.headers["age"] != nil)
        #expect(s.runs == 1)
        #expect(await s.promptDecisions(2) == ["stored", "hit"])
        // The fix: -Private. Nothing is stored; each user gets their own.
        _ = await s.get("/account", [("X-User", "alice")])
        let own = await s.get("/account", [("X-User", "bob")])
        #expect(own.body == "account of bob")
        #expect(own.headers["cache-control"] == "max-age=60, private")
        #expect(s.runs == 3)
        #expect(await s.promptDecisions(2) == [isPrivateDecision, isPrivateDecision])
    }

    func memoryGrowth() async throws {
        // The cause: a large -SizeLimit and large bodies: the store grows with every new URL.
        let big = try await CacheServer.start("-Public -MaxAge 60")
        defer { big.stop() }
        var sizes: [Int] = []
        for i in 0..<6 {
            _ = await big.get(CacheServer.target("/report\(i)", size: 50_000))
            sizes.append(big.cache.store.statistics().bytes)
        }
        #expect(sizes == sizes.sorted() && Set(sizes).count == 6, "the symptom: bytes grow with each body: \(sizes)")
        #expect(sizes.last! > 300_000)
        // The fix: lower -MaximumBodySize (large bodies are not stored) and -SizeLimit (a bound).
        let tuned = try await CacheServer.start("-SizeLimit 50000 -MaximumBodySize 16384 -Public -MaxAge 60")
        defer { tuned.stop() }
        for i in 0..<6 {
            _ = await tuned.get(CacheServer.target("/report\(i)", size: 50_000))
            _ = await tuned.get(CacheServer.target("/small\(i)", size: 15_000))
        }
        let stats = tuned.cache.store.statistics()
        #expect(stats.bytes <= 50_000)
        #expect(stats.evictions > 0)
        #expect(stats.refusals[.bodyTooLarge] == 6)
        let decisions = await tuned.promptDecisions(12)
        #expect(decisions.filter { $0.hasPrefix("not stored:") } == Array(repeating: "not stored: body 49 KB > MaximumBodySize 16 KB", count: 6),
                "\(decisions)")
    }

    func staleContentServed() async throws {
        let content = { (pattern: String, switches: String) in
            countingRoute(pattern, """
                Add-KrCacheResponse \(switches)
                Write-KrTextResponse "version $($Version.n)"
                """)
        }
        let s = try await CacheServer.start("", routes: """
            Set-KrSharedState -Name Version -Value @{ n = 1 } -ThreadSafe
            Add-KrMapRoute -Verbs Post -Pattern '/publish' -ScriptBlock { Update-KrSynchronizedCounter -Table $Version -Key n | Out-Null }

            """ + content("/long", "-Public -MaxAge 3600") + content("/short", "-Public -MaxAge 1")
            + content("/strict", "-Public -MaxAge 1 -MustRevalidate"))
        defer { s.stop() }
        for p in ["/long", "/short", "/strict"] { #expect(await s.get(p).body == "version 1") }
        _ = await s.get("/publish", method: "POST")
        // The cause: a long TTL. The new version is published, the old one is still served.
        let long = await s.get("/long")
        #expect(long.body == "version 1", "the symptom: stale content")
        #expect(await s.promptDecisions(1) == ["hit"])
        try await Task.sleep(for: .milliseconds(1300))
        // The fixes: MustRevalidate, so that not even a client accepting stale content gets the old
        // one (asked first: a purge takes the useless stale entry after the next lookup) ...
        #expect(await s.get("/strict", [("Cache-Control", "max-stale=60")]).body == "version 2")
        #expect(s.timelessDecisions.last == "stale: age N s, fresh for N s (max-age=1); must-revalidate forbids serving it stale; stored")
        // ... and a shorter MaxAge.
        #expect(await s.get("/short").body == "version 2")
        #expect(s.timelessDecisions.last == "stale: age N s, fresh for N s (max-age=1); stored")
        #expect(await s.get("/long").body == "version 1")
    }
}

// MARK: - The guide's examples, as printed

@Suite(.serialized) struct CacheGuideExampleTests {
    /// §3: `/profile` with `Add-KrCacheResponse -Private -MaxAge 60 -MustRevalidate`.
    @Test func profileExample() async throws {
        let s = try await CacheServer.start("", routes: """
            Add-KrMapRoute -Pattern '/profile' -Verbs GET -ScriptBlock {
                Add-KrCacheResponse -Private -MaxAge 60 -MustRevalidate
                $user = @{ id = 1; name = 'demo' }
                $user | Write-KrJsonResponse
            }
            """)
        defer { s.stop() }
        let r = await s.get("/profile")
        #expect(r.status == 200)
        #expect(r.headers["cache-control"] == "must-revalidate, max-age=60, private")
        #expect(r.headers["content-type"]?.hasPrefix("application/json") == true)
        #expect(r.body.contains("\"id\": 1") && r.body.contains("\"name\": \"demo\""), "\(r.body)")
        #expect(s.decisions == [isPrivateDecision])
    }

    /// §3: `/volatile`, the weak ETag with no-store (discouraged, but it must work).
    @Test func volatileExample() async throws {
        let s = try await CacheServer.start("-Public -MaxAge 60", routes: """
            Add-KrMapRoute -Pattern '/volatile' -Verbs GET -ScriptBlock {
                Add-KrCacheResponse -NoStore
                $payload = Get-Random
                if (-not (Test-KrCacheRevalidation -Payload $payload -Weak)) {
                    Write-KrTextResponse $payload
                }
            }
            """)
        defer { s.stop() }
        let r = await s.get("/volatile")
        #expect(r.status == 200 && Int(r.body) != nil, "\(r.body)")
        #expect(r.headers["cache-control"] == "no-store")
        #expect(r.headers["etag"] == "W/\"" + HostValues.sha256Hex(Array(r.body.utf8)) + "\"")
        #expect(s.decisions == ["not stored: response Cache-Control no-store"])
    }

    /// §4: `/versioned` with an explicit ETag and Last-Modified.
    @Test func versionedExample() async throws {
        let s = try await CacheServer.start("", routes: """
            Add-KrMapRoute -Pattern '/versioned' -Verbs GET -ScriptBlock {
                if (-not (Test-KrCacheRevalidation -ETag 'v2' -LastModified (Get-Date '2024-01-01'))) {
                    Write-KrTextResponse 'v2 payload'
                }
            }
            """)
        defer { s.stop() }
        let r = await s.get("/versioned")
        #expect(r.body == "v2 payload" && r.headers["etag"] == "\"v2\"")
        let lastModified = try #require(r.headers["last-modified"])
        #expect(await s.get("/versioned", [("If-None-Match", "\"v2\"")]).status == 304)
        #expect(await s.get("/versioned", [("If-Modified-Since", lastModified)]).status == 304)
    }

    /// §5: the composition of all four layers, as printed but for the port (a free one) and
    /// Start-KrServer returning at once.
    @Test func compositionExample() async throws {
        let site = try TempSite(["Assets/wwwroot/index.html": "<html>demo</html>", "Assets/wwwroot/app.js": "let a = 1"])
        defer { site.remove() }
        let saved = HostRegistry.shared.root
        defer { HostRegistry.shared.root = saved }
        let port = freePort()
        let script = #"""
            Initialize-KrRoot -Path $PSScriptRoot
            New-KrServer -Name 'cache-demo'
            Add-KrEndpoint -Port 5000 -IPAddress ([IPAddress]::Loopback)
            Add-KrFileServerMiddleware -RequestPath '/' -RootPath '.\\Assets\\wwwroot' -Public -MaxAge 600 -MustRevalidate
            Add-KrCacheMiddleware -SizeLimit 8388608 -MaximumBodySize 65536 -Public -MaxAge 60
            Enable-KrConfiguration

            Add-KrMapRoute -Pattern '/profile' -Verbs GET -ScriptBlock {
                Add-KrCacheResponse -Private -MaxAge 30 -MustRevalidate
                $profile = @{ id = 1; name = 'demo'; ts = (Get-Date).ToUniversalTime() }
                if (-not (Test-KrCacheRevalidation -Payload ($profile.ts.ToString('O')))) {
                    $profile | Write-KrJsonResponse -Compress
                }
            }

            Start-KrServer
            """#
            .replacingOccurrences(of: "-Port 5000", with: "-Port \(port)")
            .replacingOccurrences(of: "Start-KrServer", with: "Start-KrServer -NoWait -Quiet")
        let (engine, sink) = makeEngine()
        let outcome = await offPool { engine.runScript(source: script, file: "demo.ps1", scriptRoot: site.path, arguments: []) }
        defer {
            HostRegistry.shared.get("cache-demo")?.stop()
            HostRegistry.shared.remove("cache-demo")
        }
        #expect(outcome == .completed && sink.stderr.isEmpty, "\(sink.stderr)")
        let base = "http://127.0.0.1:\(port)"
        let home = await http("GET", base + "/")
        #expect(home.status == 200 && home.body == "<html>demo</html>")
        #expect(home.headers["cache-control"] == "public, must-revalidate, max-age=600")
        #expect(await http("GET", base + "/app.js").headers["cache-control"] == "public, must-revalidate, max-age=600")
        let profile = await http("GET", base + "/profile")
        #expect(profile.status == 200)
        #expect(profile.headers["cache-control"] == "must-revalidate, max-age=30, private")
        #expect(profile.body.hasPrefix("{") && profile.body.contains("\"name\":\"demo\"") && !profile.body.contains(" "), "\(profile.body)")
        #expect(profile.headers["etag"]?.count == 66)
        let cache = try #require(HostRegistry.shared.get("cache-demo")?.responseCache)
        #expect(cache.decisions.last().map(\.text).last == isPrivateDecision)
    }
}

/// A temp folder with files (relative paths and contents).
struct TempSite {
    let path: String
    init(_ files: [String: String]) throws {
        path = FileManager.default.temporaryDirectory.path + "/krsh-guide-" + UUID().uuidString
        for (name, text) in files {
            let full = path + "/" + name
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: URL(fileURLWithPath: full))
        }
    }
    func remove() { try? FileManager.default.removeItem(atPath: path) }
}
