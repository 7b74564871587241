import Foundation
import Testing
@testable import KrHost
@testable import KrScript

/// Layer 4: Test-KrCacheRevalidation over real sockets.
@Suite(.serialized) struct ValidatorTests {
    @Test func payloadETagLastModifiedAndPreconditions() async throws {
        let (engine, sink) = makeEngine()
        let port = freePort()
        let name = "val\(port)"
        let outcome = await engine.run("""
            New-KrServer -Name \(name) | Add-KrEndpoint -Port \(port) | Enable-KrConfiguration | Out-Null
            Add-KrMapRoute -Verbs Get -Pattern '/payload' -ScriptBlock {
                if (-not (Test-KrCacheRevalidation -Payload 'hello')) { Write-KrTextResponse 'hello' }
            }
            Add-KrMapRoute -Verbs Get, Put -Pattern '/versioned' -ScriptBlock {
                if (-not (Test-KrCacheRevalidation -ETag 'v2' -LastModified (Get-Date '2024-01-01'))) { Write-KrTextResponse 'v2 payload' }
            }
            Add-KrMapRoute -Verbs Get -Pattern '/weak' -ScriptBlock {
                if (-not (Test-KrCacheRevalidation -Payload 'w' -Weak)) { Write-KrTextResponse 'w' }
            }
            Start-KrServer -NoWait -Quiet
            """, file: "val.ps1")
        #expect(outcome == .completed, "stderr: \(sink.stderr)")
        defer { HostRegistry.shared.get(name)?.stop() }
        let base = "http://127.0.0.1:\(port)"
        // The derived tag is the quoted lower-case hex SHA-256 of the payload's UTF-8 bytes.
        let sha = "\"2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824\""
        let first = await http("GET", "\(base)/payload")
        #expect(first.status == 200 && first.body == "hello")
        #expect(first.headers["etag"] == sha)
        #expect(await http("GET", "\(base)/payload", headers: ["If-None-Match": sha]).status == 304)
        #expect(await http("GET", "\(base)/payload", headers: ["If-None-Match": "\"other\", \(sha)"]).status == 304)
        #expect(await http("GET", "\(base)/payload", headers: ["If-None-Match": "*"]).status == 304)
        #expect(await http("GET", "\(base)/payload", headers: ["If-None-Match": "\"other\""]).status == 200)

        let v = await http("GET", "\(base)/versioned")
        #expect(v.headers["etag"] == "\"v2\"")
        let lastModified = try #require(v.headers["last-modified"])
        #expect(lastModified.hasSuffix("GMT") && lastModified.contains("2024") || lastModified.contains("2023"))
        // If-Modified-Since is used only when If-None-Match is absent.
        #expect(await http("GET", "\(base)/versioned", headers: ["If-Modified-Since": lastModified]).status == 304)
        #expect(await http("GET", "\(base)/versioned", headers: ["If-None-Match": "\"v1\"", "If-Modified-Since": lastModified]).status == 200)
        // Weak comparison for If-None-Match; 412 for a match on other methods and for failed If-Match.
        #expect(await http("GET", "\(base)/versioned", headers: ["If-None-Match": "W/\"v2\""]).status == 304)
        #expect(await http("PUT", "\(base)/versioned", headers: ["If-None-Match": "\"v2\""]).status == 412)
        #expect(await http("GET", "\(base)/versioned", headers: ["If-Match": "\"v1\""]).status == 412)
        #expect(await http("GET", "\(base)/weak").headers["etag"]?.hasPrefix("W/\"") == true)
    }
}
