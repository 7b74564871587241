import Foundation
import Testing
@testable import KrHost
@testable import KrScript

@Suite(.serialized) struct ServerLifecycleTests {
    @Test func routesAnswerOverRealSockets() async throws {
        let (engine, sink) = makeEngine()
        let port = freePort()
        let outcome = await engine.run("""
            New-KrServer -Name life\(port) | Add-KrEndpoint -Port \(port) | Enable-KrConfiguration | Out-Null
            Add-KrMapRoute -Verbs Get -Pattern '/hello' -ScriptBlock { Write-KrTextResponse 'Hello, World!' }
            Add-KrMapRoute -Verbs Get, Post -Pattern '/items/{id}' -ScriptBlock {
                Write-KrJsonResponse @{ id = (Get-KrRequestRouteParam -Name id); method = $Context.Request.Method } -Compress
            }
            Add-KrMapRoute -Verbs Get -Pattern '/boom' -ScriptBlock { $x = 1 / 0; Write-KrTextResponse 'unreached' }
            Start-KrServer -NoWait
            """, file: "t.ps1")
        #expect(outcome == .completed, "stderr: \(sink.stderr)")
        #expect(sink.stdout.contains("Now listening on: http://127.0.0.1:\(port)"))
        defer { HostRegistry.shared.get("life\(port)")?.stop() }

        let hello = await http("GET", "http://127.0.0.1:\(port)/hello")
        #expect(hello.status == 200)
        #expect(hello.body == "Hello, World!")
        #expect(hello.headers["content-type"]?.hasPrefix("text/plain") == true)

        let item = await http("POST", "http://127.0.0.1:\(port)/items/42")
        #expect(item.status == 200)
        #expect(item.body.contains("\"id\":\"42\""))
        #expect(item.body.contains("\"method\":\"POST\""))

        #expect(await http("GET", "http://127.0.0.1:\(port)/missing").status == 404)
        let wrongVerb = await http("DELETE", "http://127.0.0.1:\(port)/hello")
        #expect(wrongVerb.status == 405)
        #expect(wrongVerb.headers["allow"] == "GET")

        let boom = await http("GET", "http://127.0.0.1:\(port)/boom")
        #expect(boom.status == 500)
        #expect(!boom.body.contains("1 / 0"), "the 500 body must not leak script source")
        // The server keeps serving after a failing route.
        #expect(await http("GET", "http://127.0.0.1:\(port)/hello").status == 200)
    }

    /// Stopping a server ends its runspace threads (an operator who starts and stops servers at the
    /// prompt must not accumulate threads); starting it again makes a new pool that serves.
    @Test func stopEndsTheRunspaceThreadsAndARestartServes() async throws {
        let (engine, sink) = makeEngine()
        let port = freePort()
        let name = "threads\(port)"
        let before = runspaceThreads()
        let outcome = await engine.run("""
            New-KrServer -Name \(name) | Add-KrEndpoint -Port \(port) | Enable-KrConfiguration | Out-Null
            Set-KrServerOptions -MinRunspaces 4 -MaxRunspaces 8
            Add-KrMapRoute -Verbs Get -Pattern '/nap' -ScriptBlock { Start-Sleep -Milliseconds 200; Write-KrTextResponse 'ok' }
            Start-KrServer -NoWait -Quiet
            """, file: "threads.ps1")
        #expect(outcome == .completed, "stderr: \(sink.stderr)")
        defer { HostRegistry.shared.get(name)?.stop() }
        #expect(await concurrentRequests(6, "GET", "http://127.0.0.1:\(port)/nap").allSatisfy { $0.status == 200 })
        let mine = runspaceThreads().subtracting(before)
        #expect(mine.count >= 4, "the pool's threads: \(mine)")

        HostRegistry.shared.get(name)?.stop()
        var left = runspaceThreads().intersection(mine)
        for _ in 0..<50 where !left.isEmpty {
            try await Task.sleep(nanoseconds: 20_000_000)
            left = runspaceThreads().intersection(mine)
        }
        #expect(left.isEmpty, "\(left.count) of the pool's \(mine.count) threads still run after stop")

        _ = await engine.run("Start-KrServer -Server \(name) -NoWait -Quiet", file: "restart.ps1")
        #expect(await http("GET", "http://127.0.0.1:\(port)/nap").status == 200)
    }

    /// The thread ids of this process whose name starts with "Runspace" (workers and the watchdog).
    private func runspaceThreads() -> Set<String> {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        return Set(tasks.filter { id in
            (try? String(contentsOfFile: "/proc/self/task/\(id)/comm", encoding: .utf8))?.hasPrefix("Runspace") == true
        })
    }

    @Test func portInUseIsAClearError() async throws {
        let (engine, sink) = makeEngine()
        let port = freePort()
        let first = await engine.run("""
            New-KrServer -Name busyA\(port) | Add-KrEndpoint -Port \(port) | Enable-KrConfiguration | Out-Null
            Start-KrServer -NoWait -Quiet
            New-KrServer -Name busyB\(port) | Add-KrEndpoint -Port \(port) | Enable-KrConfiguration | Out-Null
            Start-KrServer -NoWait -Quiet
            'after'
            """, file: "busy.ps1")
        defer {
            HostRegistry.shared.get("busyA\(port)")?.stop()
            HostRegistry.shared.get("busyB\(port)")?.stop()
        }
        #expect(first == .completed)
        #expect(sink.stderr.contains("busy.ps1:4:1: error:"), "stderr: \(sink.stderr)")
        #expect(sink.stderr.contains("already in use"), "stderr: \(sink.stderr)")
        #expect(sink.stdout.contains("after"))
        #expect(await http("GET", "http://127.0.0.1:\(port)/x").status == 404)
    }

    @Test func twentySleepingRequestsRunInParallel() async throws {
        let (engine, sink) = makeEngine()
        let port = freePort()
        let outcome = await engine.run("""
            New-KrServer -Name par\(port) | Add-KrEndpoint -Port \(port) | Enable-KrConfiguration | Out-Null
            Add-KrMapRoute -Verbs Get -Pattern '/sleep' -ScriptBlock { Start-Sleep -Seconds 2; Write-KrTextResponse 'slept' }
            Add-KrMapRoute -Verbs Get -Pattern '/quick' -ScriptBlock { Write-KrTextResponse 'quick' }
            Start-KrServer -NoWait -Quiet
            """, file: "par.ps1")
        #expect(outcome == .completed, "stderr: \(sink.stderr)")
        defer { HostRegistry.shared.get("par\(port)")?.stop() }
        let started = Date()
        let bodies = await offPool { () -> [String] in
            let c = Collector()
            let group = DispatchGroup()
            for i in 0..<21 {
                group.enter()
                Thread {
                    if i == 20 {
                        Thread.sleep(forTimeInterval: 0.3)
                        let t0 = Date()
                        let q = httpSync("GET", "http://127.0.0.1:\(port)/quick")
                        c.append("\(q.body):\(Date().timeIntervalSince(t0) < 1.0)")
                    } else {
                        c.append(httpSync("GET", "http://127.0.0.1:\(port)/sleep").body)
                    }
                    group.leave()
                }.start()
            }
            group.wait()
            return c.items
        }
        let elapsed = Date().timeIntervalSince(started)
        #expect(bodies.filter { $0 == "slept" }.count == 20)
        #expect(bodies.contains("quick:true"), "another route is answered while the sleeps run")
        #expect(elapsed < 3.9, "20 requests of 2 s took \(elapsed) s: they did not run together")
    }
}
