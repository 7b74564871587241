import Foundation
import Testing
@testable import KrHost
@testable import KrScript

/// The shared-state guide, section by section.
@Suite(.serialized) struct SharedStateTests {
    /// §5 as printed (with -NoWait so the test can drive it), then 25 and 200 concurrent POSTs.
    @Test(arguments: [25, 200])
    func requestWorkflowCountsExactly(_ requests: Int) async throws {
        let (engine, sink) = makeEngine()
        let port = freePort()
        let name = "seed5x\(requests)p\(port)"
        let outcome = await engine.run("""
            New-KrServer -Name \(name) |
                Add-KrEndpoint -Port \(port) |
                Set-KrSharedState -Name 'Visits' -Value @{ Count = 0 } |
                Enable-KrConfiguration | Out-Null

            Add-KrMapRoute -Pattern '/visit' -HttpVerb POST -Code @'
            Update-KrSynchronizedCounter -Table $Visits -Key Count -By 1
            Write-KrJsonResponse @{ visits = $Visits.Count }
            '@

            Add-KrMapRoute -Pattern '/state/{name}' -HttpVerb GET -Code @'
            $name = Get-KrRequestRouteParam -Name 'name'
            $value = Get-KrSharedState -Name $name
            if ($null -eq $value) { Write-KrJsonResponse @{ error = 'not found' } -StatusCode 404; return }
            Write-KrJsonResponse @{ name = $name; value = $value }
            '@

            Start-KrServer -NoWait | Out-Null
            """, file: "seed5.ps1")
        #expect(outcome == .completed, "stderr: \(sink.stderr)")
        defer { HostRegistry.shared.get(name)?.stop() }
        let statuses = await concurrentRequests(requests, "POST", "http://127.0.0.1:\(port)/visit").map(\.status)
        #expect(statuses.count == requests)
        #expect(statuses.allSatisfy { $0 == 200 }, "\(statuses)")
        let state = await http("GET", "http://127.0.0.1:\(port)/state/Visits")
        #expect(state.status == 200)
        #expect(state.body.replacingOccurrences(of: " ", with: "").contains("\"Count\":\(requests)"), "\(state.body)")
        #expect(await http("GET", "http://127.0.0.1:\(port)/state/nothing").status == 404)
        // The operator's view: the same instance, live.
        let live = HostRegistry.shared.get(name)?.sharedState.get("visits")
        guard case .hashtable(let h)? = live, case .int(let n)? = h.get(.string("Count")) else {
            Issue.record("Visits is not the shared hashtable: \(String(describing: live))")
            return
        }
        #expect(Int(n) == requests)
    }

    /// §2.1: variables and functions defined before Enable-KrConfiguration reach every runspace;
    /// a function redefined later reaches new requests; locals do not leak between requests (§1).
    @Test func implicitVariablesAndFunctions() async throws {
        let (engine, sink) = makeEngine()
        let port = freePort()
        let name = "implicit\(port)"
        let outcome = await engine.run("""
            New-KrServer -Name \(name) | Add-KrEndpoint -Port \(port) | Out-Null
            $Visits = [System.Collections.Concurrent.ConcurrentDictionary[string,int]]::new()
            function Get-VisitsCount { $Visits["Count"] }
            Enable-KrConfiguration | Out-Null
            Add-KrMapRoute -Verbs Post -Pattern '/hit' -ScriptBlock {
                $null = $Visits.AddOrUpdate('Count', 1, { param($k, $v) $v + 1 })
                Write-KrTextResponse "$(Get-VisitsCount)"
            }
            Add-KrMapRoute -Verbs Get -Pattern '/leak' -ScriptBlock {
                $before = "$mine"
                $mine = 'set'
                Write-KrTextResponse "[$before]"
            }
            Start-KrServer -NoWait -Quiet
            """, file: "implicit.ps1")
        #expect(outcome == .completed, "stderr: \(sink.stderr)")
        defer { HostRegistry.shared.get(name)?.stop() }
        #expect(await http("POST", "http://127.0.0.1:\(port)/hit").body == "1")
        #expect(await http("POST", "http://127.0.0.1:\(port)/hit").body == "2")
        // Discoverable in the unified view, as the same instance.
        _ = await engine.interact("(Get-KrSharedState -Name Visits)['Count']")
        #expect(sink.stdout.hasSuffix("2\n"), "stdout: \(sink.stdout) stderr: \(sink.stderr)")
        _ = await engine.interact( "function Get-VisitsCount { 'redefined' }")
        #expect(await http("POST", "http://127.0.0.1:\(port)/hit").body == "redefined")
        #expect(await http("GET", "http://127.0.0.1:\(port)/leak").body == "[]")
        #expect(await http("GET", "http://127.0.0.1:\(port)/leak").body == "[]")
    }

    /// §2.3: host state dies with its host; global state survives hosts.
    @Test func hostAndGlobalLifecycle() async throws {
        let (engine, sink) = makeEngine()
        let port = freePort()
        let first = "lifeA\(port)", second = "lifeB\(port)"
        let script = """
            New-KrServer -Name \(first) | Add-KrEndpoint -Port \(port) | Out-Null
            Set-KrSharedState -Name 'LocalCache' -Value @{ hits = 1 }
            Set-KrSharedState -Global -Name 'ProcessMetrics' -Value @{ TotalRequests = 7 }
            (Get-KrSharedState -Name 'LocalCache').hits
            (Get-KrSharedState -Global -Name 'ProcessMetrics').TotalRequests
            Remove-KrServer -Name \(first)
            New-KrServer -Name \(second) | Add-KrEndpoint -Port \(port) | Out-Null
            $null -eq (Get-KrSharedState -Name 'LocalCache')
            (Get-KrSharedState -Global -Name 'ProcessMetrics').TotalRequests
            Remove-KrSharedState -Global -Name 'ProcessMetrics'
            Remove-KrSharedState -Global -Name 'ProcessMetrics'
            """
        let outcome = await engine.run(script, file: "life.ps1")
        defer { HostRegistry.shared.remove(second) }
        #expect(outcome == .completed, "stderr: \(sink.stderr)")
        #expect(sink.stdout == "1\n7\nTrue\n7\nTrue\nFalse\n", "stdout: \(sink.stdout)")
    }

    @Test(arguments: [
        ("Set-KrSharedState -Name '9lives' -Value @{}", "not a valid shared-state name"),
        ("Set-KrSharedState -Name 'Count' -Value 5", "Wrap it"),
        ("Update-KrSynchronizedCounter -Table $null -Key Count", "because it is null"),
        ("Update-KrSynchronizedCounter -Table 'text' -Key Count", "must be a hashtable"),
        ("$t = @{ Count = 'x' }; Update-KrSynchronizedCounter -Table $t -Key Count", "holds a [System.String]"),
        ("Update-KrSynchronizedCounter -Table @{} -Key Count -By 'x'", "Cannot process argument transformation on parameter 'By'"),
    ])
    func badInputIsAClearErrorThatChangesNothing(_ code: String, _ phrase: String) async {
        let (engine, sink) = makeEngine()
        let name = "bad\(abs(code.hashValue % 100000))"
        let outcome = await engine.run("New-KrServer -Name \(name) | Out-Null\nSet-KrSharedState -Name Keep -Value @{ n = 1 }\n\(code)\n(Get-KrSharedState -Name Keep).n",
                                       file: "bad.ps1")
        defer { HostRegistry.shared.remove(name) }
        #expect(outcome == .completed)
        #expect(sink.stderr.contains("bad.ps1:3:"), "stderr: \(sink.stderr)")
        #expect(sink.stderr.contains(phrase), "stderr: \(sink.stderr)")
        #expect(sink.stdout.hasSuffix("1\n"), "the store is intact: \(sink.stdout)")
    }

    @Test func threadSafeMakesASynchronizedHashtable() async {
        let (engine, sink) = makeEngine()
        let outcome = await engine.run("""
            New-KrServer -Name ts1 | Out-Null
            Set-KrSharedState -Name Safe -Value @{ n = 0 } -ThreadSafe
            Set-KrSharedState -Name Plain -Value @{ n = 0 }
            (Get-KrSharedState -Name Safe).GetType().FullName
            (Get-KrSharedState -Name Plain).GetType().FullName
            Set-KrSharedState -Name When -Value (Get-Date) -AllowsValueType
            (Get-KrSharedState -Name When).GetType().Name
            """, file: "ts.ps1")
        defer { HostRegistry.shared.remove("ts1") }
        #expect(outcome == .completed, "stderr: \(sink.stderr)")
        #expect(sink.stdout == "System.Collections.Hashtable+SyncHashtable\nSystem.Collections.Hashtable\nDateTime\n")
    }

    /// §3: the C# side (host.sharedState + the atomic helper) is exact under concurrency.
    @Test func atomicIncrementFromManyThreads() async throws {
        let table = PSHashtable()
        let store = SharedStateStore()
        store.set("Visits", .hashtable(table))
        DispatchQueue.concurrentPerform(iterations: 1000) { _ in
            _ = try? SharedStateStore.increment(store.get("visits") ?? .null, key: "Count", by: 1)
        }
        guard case .int(let n)? = table.get(.string("count")) else { Issue.record("no count"); return }
        #expect(n == 1000)
        #expect(store.remove("VISITS"))
        #expect(store.get("Visits") == nil)
    }

    @Test func useKrLockRunsInTheCallersScopeAndReleasesOnError() async {
        let (engine, sink) = makeEngine()
        let outcome = await engine.run("""
            $local = 'seen'
            Use-KrLock -Key 'k1' -ScriptBlock { "inside: $local" }
            try { Use-KrLock -Key 'k1' -ScriptBlock { throw 'boom' } } catch { "caught: $($_.Exception.Message)" }
            Use-KrLock -Key 'K1' -TimeoutMilliseconds 100 -ScriptBlock { 'lock was released' }
            (Get-KrLock -Key k1).IsHeld
            """, file: "lock.ps1")
        #expect(outcome == .completed, "stderr: \(sink.stderr)")
        #expect(sink.stdout == "inside: seen\ncaught: boom\nlock was released\nFalse\n", "stdout: \(sink.stdout)")
    }

    /// Grouped multi-field updates under one lock stay consistent under concurrent requests.
    @Test func useKrLockKeepsGroupedUpdatesConsistentUnderLoad() async {
        let (engine, sink) = makeEngine()
        let port = freePort()
        let name = "grouped\(port)"
        let outcome = await engine.run("""
            New-KrServer -Name \(name) | Add-KrEndpoint -Port \(port) |
                Set-KrSharedState -Name Stats -Value @{ Hits = 0; Total = 0; Last = 0 } |
                Enable-KrConfiguration | Out-Null
            Add-KrMapRoute -Verbs Post -Pattern '/add/{n}' -ScriptBlock {
                $n = [int](Get-KrRequestRouteParam -Name n)
                Use-KrLock -Key 'stats' -ScriptBlock {
                    $Stats.Hits = $Stats.Hits + 1
                    $Stats.Total = $Stats.Total + $n
                    $Stats.Last = $n
                }
                Write-KrTextResponse 'ok'
            }
            Start-KrServer -NoWait -Quiet
            """, file: "grouped.ps1")
        #expect(outcome == .completed, "stderr: \(sink.stderr)")
        defer { HostRegistry.shared.get(name)?.stop() }
        let results = await concurrentRequests(100, "POST", "http://127.0.0.1:\(port)/add/3")
        #expect(results.allSatisfy { $0.status == 200 })
        guard case .hashtable(let h)? = HostRegistry.shared.get(name)?.sharedState.get("Stats") else {
            Issue.record("no Stats")
            return
        }
        #expect(h.get(.string("Hits")).map { HostValues.string($0) } == "100")
        #expect(h.get(.string("Total")).map { HostValues.string($0) } == "300")
    }

    /// Watch-KrSharedState redraws the live value (bounded here with -Count).
    @Test func watchRedrawsTheLiveValue() async {
        let (engine, sink) = makeEngine()
        let outcome = await engine.run("""
            New-KrServer -Name watch1 | Out-Null
            Set-KrSharedState -Name Visits -Value @{ Count = 7 }
            Watch-KrSharedState -Name Visits -Interval 0.1 -Count 2
            """, file: "watch.ps1")
        defer { HostRegistry.shared.remove("watch1") }
        #expect(outcome == .completed, "stderr: \(sink.stderr)")
        #expect(sink.stdout.components(separatedBy: "Visits at ").count == 3, "stdout: \(sink.stdout)")
        #expect(sink.stdout.contains("Count                          7"))
    }

    /// The counter works on every table kind; a lock held elsewhere times out with an error naming it.
    @Test func counterTablesAndLockTimeout() async {
        let (engine, sink) = makeEngine()
        let outcome = await engine.run("""
            $o = [ordered]@{}
            Update-KrSynchronizedCounter -Table $o -Key Hits -By 5
            $d = [System.Collections.Concurrent.ConcurrentDictionary[string,int]]::new()
            Update-KrSynchronizedCounter -Table $d -Key Hits
            Update-KrSynchronizedCounter -Table $d -Key Hits -By 2
            $d['Hits']
            """, file: "tables.ps1")
        #expect(outcome == .completed, "stderr: \(sink.stderr)")
        #expect(sink.stdout == "5\n1\n3\n3\n", "stdout: \(sink.stdout)")

        let holder = Thread {
            _ = try? LockRegistry.shared.withLock("busy-key", timeout: nil) { Thread.sleep(forTimeInterval: 1.5) }
        }
        holder.start()
        try? await Task.sleep(nanoseconds: 200_000_000)
        let (engine2, sink2) = makeEngine()
        let timedOut = await engine2.run("Use-KrLock -Key 'busy-key' -TimeoutMilliseconds 100 -ScriptBlock { 'never' }\n'after'",
                                        file: "timeout.ps1")
        #expect(timedOut == .completed)
        #expect(sink2.stdout == "after\n")
        #expect(sink2.stderr.contains("timeout.ps1:1:1: error: Timed out after 100 ms waiting for the lock 'busy-key'."), "stderr: \(sink2.stderr)")
    }
}
