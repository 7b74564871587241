import Foundation
import Testing
@testable import KrHost
@testable import KrScript

/// The server, route, request and response cmdlets not covered elsewhere, over real sockets.
@Suite(.serialized) struct CmdletCoverageTests {
    @Test func requestLookupsAndSimpleResponses() async {
        let (engine, sink) = makeEngine()
        let port = freePort()
        let name = "cover\(port)"
        let outcome = await engine.run("""
            New-KrServer -Name \(name) | Add-KrEndpoint -Port \(port) | Out-Null
            Set-KrServerOptions -MinRunspaces 1 -MaxRunspaces 4
            Enable-KrConfiguration | Out-Null
            Add-KrMapRoute -Verbs Get -Pattern '/q' -ScriptBlock {
                $q = Get-KrRequestQuery -Name page
                $h = Get-KrRequestHeader -Name 'X-Demo'
                $c = Get-KrRequestCookie -Name session
                $m = Get-KrRequestQuery -Name missing
                Write-KrTextResponse "page=$q header=$h cookie=$c missing=$($null -eq $m)"
            }
            Add-KrMapRoute -Verbs Get -Pattern '/status' -ScriptBlock { Write-KrStatusResponse -StatusCode 204 }
            Add-KrMapRoute -Verbs Get -Pattern '/go' -ScriptBlock { Write-KrRedirectResponse -Url '/q?page=1' }
            Add-KrMapRoute -Verbs Get -Pattern '/err' -ScriptBlock { Write-KrErrorResponse -Message 'bad thing' -StatusCode 409 }
            Add-KrMapRoute -Verbs Get -Pattern '/files/{*rest}' -ScriptBlock { Write-KrTextResponse (Get-KrRequestRouteParam -Name rest) }
            Start-KrServer -NoWait -Quiet
            (Get-KrServer -Name \(name)).State
            (Get-KrRoute -Pattern '/files*').Verbs
            """, file: "cover.ps1")
        #expect(outcome == .completed, "stderr: \(sink.stderr)")
        #expect(sink.stdout == "Running\nGET\n", "stdout: \(sink.stdout)")
        defer { HostRegistry.shared.get(name)?.stop() }
        let base = "http://127.0.0.1:\(port)"
        let q = await http("GET", "\(base)/q?page=2", headers: ["X-Demo": "yes", "Cookie": "a=1; session=abc"])
        #expect(q.body == "page=2 header=yes cookie=abc missing=True")
        #expect(await http("GET", "\(base)/status").status == 204)
        let err = await http("GET", "\(base)/err")
        #expect(err.status == 409)
        #expect(err.body == "{\"status\":409,\"message\":\"bad thing\"}")
        #expect(await http("GET", "\(base)/files/a/b/c.txt").body == "a/b/c.txt")
        let redirect = await offPool { rawExchange(port: port, "GET /go HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n") }
        #expect(redirect.hasPrefix("HTTP/1.1 302"), "\(redirect)")
        #expect(redirect.lowercased().contains("location: /q?page=1"))
    }

    @Test func routesChangeWhileRunningAndRemoveStopsTheServer() async {
        let (engine, sink) = makeEngine()
        let port = freePort()
        let name = "live\(port)"
        _ = await engine.run("""
            New-KrServer -Name \(name) | Add-KrEndpoint -Port \(port) | Enable-KrConfiguration | Out-Null
            Start-KrServer -NoWait -Quiet
            """, file: "live.ps1")
        let base = "http://127.0.0.1:\(port)"
        #expect(await http("GET", "\(base)/late").status == 404)
        _ = await engine.interact("Add-KrMapRoute -Verbs Get -Pattern '/late' -ScriptBlock { Write-KrTextResponse 'added while running' }")
        #expect(await http("GET", "\(base)/late").body == "added while running")
        _ = await engine.interact("Remove-KrRoute -Pattern '/late'")
        #expect(await http("GET", "\(base)/late").status == 404)
        _ = await engine.interact("Remove-KrServer -Name \(name); (Get-KrServer -Name \(name)) -eq $null")
        #expect(sink.stdout.hasSuffix("True\n"), "stdout: \(sink.stdout) stderr: \(sink.stderr)")
        #expect(await http("GET", "\(base)/late", timeout: 3).status == 0, "the removed server no longer listens")
    }
}
