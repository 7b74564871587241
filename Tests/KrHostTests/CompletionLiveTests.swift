import Foundation
import Testing
@testable import KrHost
@testable import KrScript

/// Tab completion of the names only the running host knows: shared state, routes, cache entries,
/// the URLs of its routes, and the shared-state variables requests see. The server is real and
/// listens on 127.0.0.1; a request fills its cache before the cases run.
@Suite(.serialized) struct CompletionLiveTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let line: String
        let expected: [String]
        var testDescription: String { line }
    }

    @Test func liveNamesOfARunningServer() async throws {
        let (engine, sink) = makeEngine()
        let port = freePort()
        let name = "complete\(port)"
        let outcome = await engine.run("""
            New-KrServer -Name \(name) | Add-KrEndpoint -Port \(port) | Out-Null
            Set-KrSharedState -Name Visits -Value @{ Count = 0; Last = '/' }
            Set-KrSharedState -Name VisitorLog -Value @{}
            Set-KrSharedState -Global -Name VisibleEverywhere\(port) -Value @{}
            Add-KrCacheMiddleware -Public -MaxAge 60
            Enable-KrConfiguration | Out-Null
            Add-KrMapRoute -Verbs Get -Pattern '/api/items' -ScriptBlock { Write-KrTextResponse 'items' }
            Add-KrMapRoute -Verbs Get -Pattern '/api/users/{id}' -ScriptBlock { Write-KrTextResponse 'user' }
            Add-KrMapRoute -Verbs Get -Pattern '/health' -ScriptBlock { Write-KrTextResponse 'ok' }
            Start-KrServer -NoWait -Quiet
            """, file: "live.ps1")
        #expect(outcome == .completed, "stderr: \(sink.stderr)")
        defer {
            HostRegistry.shared.get(name)?.stop()
            HostRegistry.shared.remove(name)
            SharedStateStore.global.remove("VisibleEverywhere\(port)")
        }
        #expect(await http("GET", "http://127.0.0.1:\(port)/api/items").status == 200)
        #expect(await http("GET", "http://127.0.0.1:\(port)/health").status == 200)
        let url = "http://127.0.0.1:\(port)"

        let cases = [
            // Shared-state names after -Name (and as the first positional argument).
            Case(line: "Get-KrSharedState -Name Vis", expected: ["VisibleEverywhere\(port)", "VisitorLog", "Visits"]),
            Case(line: "Get-KrSharedState -Server \(name) -Name Visito", expected: ["VisitorLog"]),
            Case(line: "Set-KrSharedState -Name visi", expected: ["VisitorLog", "Visits"]),
            Case(line: "Remove-KrSharedState Visits", expected: ["Visits"]),
            Case(line: "Remove-KrSharedState -Global -Name Visi", expected: ["VisibleEverywhere\(port)"]),
            // Route patterns (quoted when they hold characters that end an argument).
            Case(line: "Remove-KrRoute -Server \(name) -Pattern /api/", expected: ["/api/items", "'/api/users/{id}'"]),
            Case(line: "Remove-KrRoute /h", expected: ["/health"]),
            Case(line: "Get-KrRoute -Pattern /api/u", expected: ["'/api/users/{id}'"]),
            // The cache's entries: only the paths that were requested.
            Case(line: "Remove-KrCacheEntry -Path /", expected: ["/api/items", "/health"]),
            Case(line: "Remove-KrCacheEntry /api", expected: ["/api/items"]),
            // Help topics the host registers, after Get-Help.
            Case(line: "Get-Help about_Kr", expected: ["about_KrCaching", "about_KrSharedState", "about_KrShell"]),
            Case(line: "Get-Help Update-KrSync", expected: ["Update-KrSynchronizedCounter"]),
            // URLs of the routes at the server's endpoint.
            Case(line: "Invoke-RestMethod \(url)/api/", expected: ["\(url)/api/items", "'\(url)/api/users/{id}'"]),
            Case(line: "Invoke-RestMethod -Uri 127.0.0.1:\(port)/he", expected: ["127.0.0.1:\(port)/health"]),
            Case(line: "Invoke-WebRequest -Method Get \(url)/heal", expected: ["\(url)/health"]),
            // Shared state is a variable in every request: its name and its live members complete.
            Case(line: "Add-KrMapRoute -Pattern /x -ScriptBlock { $Visi", expected: ["$VisibleEverywhere\(port)", "$VisitorLog", "$Visits"]),
            Case(line: "$Visits.La", expected: ["Last"]),
        ]
        for c in cases {
            let r = engine.complete(c.line, cursor: c.line.unicodeScalars.count)
            #expect(r.candidates == c.expected, "\(c.line)")
        }

        // The names follow the server: a removed route and entry are no longer offered.
        #expect(await engine.interact("Remove-KrRoute -Pattern /health; Remove-KrCacheEntry -Path /health") == .completed)
        #expect(engine.complete("Remove-KrRoute /h", cursor: 17).candidates == [])
        #expect(engine.complete("Remove-KrCacheEntry /h", cursor: 22).candidates == [])
    }

    /// The Kr cmdlets' file parameters complete paths; their other string parameters do not.
    @Test func filePathParameters() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("krsh-kr-completion-\(getpid())").path
        try FileManager.default.createDirectory(atPath: folder + "/wwwroot", withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: folder + "/route.ps1", contents: Data())
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (engine, _) = makeEngine()
        let cases = [
            Case(line: "Add-KrFileServerMiddleware -RootPath \(folder)/ww", expected: ["\(folder)/wwwroot/"]),
            Case(line: "Add-KrMapRoute -Pattern /x -CodeFilePath \(folder)/ro", expected: ["\(folder)/route.ps1"]),
            Case(line: "Initialize-KrRoot \(folder)/w", expected: ["\(folder)/wwwroot/"]),
            Case(line: "Add-KrMapRoute -Pattern \(folder)/ro", expected: []),
        ]
        for c in cases {
            #expect(engine.complete(c.line, cursor: c.line.unicodeScalars.count).candidates == c.expected, "\(c.line)")
        }
    }
}
