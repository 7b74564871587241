import Foundation
import Testing
@testable import KrHost
@testable import KrScript

/// An engine whose script sees a server as `$srv`, one that HostRegistry does not know: New-KrServer
/// would make its server the process-wide default, which scripts of other suites running at the
/// same time fall back to when their session has none.
func makeEngineWithServer(_ name: String) -> (ScriptEngine, CollectingSink, KrHost) {
    let (engine, sink) = makeEngine()
    let host = KrHost(name: name, commands: engine.commands)
    engine.context.defineGlobal("srv", .object(host))
    return (engine, sink, host)
}

/// Invoke-WebRequest and Invoke-RestMethod against routes of a server in the same process, called
/// from the script's own thread (as at the prompt) and from inside a route.
@Suite(.serialized) struct WebCmdletTests {
    struct Outcome: Sendable {
        let out: String
        let err: String
        let completed: Bool
    }

    /// Runs `calls` after starting a server with echo routes; returns stdout and stderr.
    static func run(_ calls: String) async -> (out: String, err: String) {
        let r = await offPool { runBlocking(calls) }
        #expect(r.completed, "stderr: \(r.err)")
        return (r.out, r.err)
    }

    static func runBlocking(_ calls: String) -> Outcome {
        let port = freePort()
        let (engine, sink, host) = makeEngineWithServer("web\(port)")
        let outcome = engine.runScript(source: """
            $base = 'http://127.0.0.1:\(port)'
            $srv | Add-KrEndpoint -Port \(port) | Enable-KrConfiguration | Out-Null
            Add-KrMapRoute -Server $srv -Verbs Get -Pattern '/json' -ScriptBlock { Write-KrJsonResponse @{ name = 'pen'; qty = 2; tags = @('a', 'b') } }
            Add-KrMapRoute -Server $srv -Verbs Get -Pattern '/list' -ScriptBlock { Write-KrJsonResponse @(@{ n = 1 }, @{ n = 2 }) }
            Add-KrMapRoute -Server $srv -Verbs Get -Pattern '/text' -ScriptBlock { Write-KrTextResponse 'plain words' }
            Add-KrMapRoute -Server $srv -Verbs Get, Post, Put -Pattern '/echo' -ScriptBlock {
                Write-KrJsonResponse ([ordered]@{
                    method = $Context.Request.Method; type = $Context.Request.ContentType; body = (Get-KrRequestBody -Raw)
                    query = $Context.Request.QueryString; test = (Get-KrRequestHeader -Name 'X-Test')
                }) -Compress
            }
            Add-KrMapRoute -Server $srv -Verbs Get -Pattern '/fail' -ScriptBlock { Write-KrErrorResponse -Message 'nope' -StatusCode 409 }
            Add-KrMapRoute -Server $srv -Verbs Get -Pattern '/slow' -ScriptBlock { Start-Sleep -Seconds 3; Write-KrTextResponse 'late' }
            Add-KrMapRoute -Server $srv -Verbs Get -Pattern '/outer' -ScriptBlock {
                $inner = Invoke-RestMethod -Uri "$base/json"
                Write-KrTextResponse "inner said $($inner.name)"
            }
            Start-KrServer -Server $srv -NoWait -Quiet
            \(calls)
            """, file: "web.ps1", scriptRoot: "/tmp", arguments: [])
        host.stop()
        return Outcome(out: sink.stdout, err: sink.stderr, completed: outcome == .completed)
    }

    @Test func invokeRestMethodParsesJsonFromTheSameProcess() async {
        let r = await Self.run("""
            $r = Invoke-RestMethod "$base/json"
            "$($r.name) $($r.qty) $($r.tags.Count) $($r.GetType().FullName)"
            $items = Invoke-RestMethod -Uri "$base/list"
            "items=$($items.Count) second=$($items[1].n)"
            Invoke-RestMethod "$base/text"
            (Invoke-RestMethod "$base/outer")
            """)
        #expect(r.err.isEmpty, "stderr: \(r.err)")
        #expect(r.out == "pen 2 2 System.Management.Automation.PSCustomObject\nitems=2 second=2\nplain words\ninner said pen\n")
    }

    @Test func bodiesHeadersAndMethods() async {
        let r = await Self.run("""
            (Invoke-RestMethod -Uri "$base/echo" -Method Post -Body @{ name = 'pen' } -ContentType 'application/json').body
            $e = Invoke-RestMethod -Uri "$base/echo" -Method Put -Body ([ordered]@{ a = 'x y'; b = '&' })
            "$($e.method) $($e.type) $($e.body)"
            (Invoke-RestMethod -Uri "$base/echo?z=1" -Body @{ q = 'a b' }).query
            $h = Invoke-RestMethod -Uri "$base/echo" -Headers @{ 'X-Test' = 'yes' } -Method Post -Body 'raw text' -ContentType 'text/plain'
            "$($h.test) $($h.type) $($h.body)"
            (Invoke-RestMethod -Uri "$base/echo" -CustomMethod 'post').method
            """)
        #expect(r.err.isEmpty, "stderr: \(r.err)")
        #expect(r.out == """
            {"name":"pen"}
            PUT application/x-www-form-urlencoded a=x+y&b=%26
            ?z=1&q=a+b
            yes text/plain raw text
            POST

            """)
    }

    @Test func invokeWebRequestReturnsTheWholeAnswer() async {
        let r = await Self.run("""
            $w = Invoke-WebRequest -Uri "$base/text" -UseBasicParsing
            "$($w.StatusCode) $($w.StatusDescription) [$($w.Content)] $($w.Headers['Content-Type']) $($w.RawContentLength)"
            $w.RawContent.StartsWith("HTTP/1.1 200 OK`r`n")
            $w.RawContent.EndsWith("`r`n`r`nplain words")
            $w.GetType().FullName
            """)
        #expect(r.err.isEmpty, "stderr: \(r.err)")
        #expect(r.out == "200 OK [plain words] text/plain; charset=utf-8 11\nTrue\nTrue\nMicrosoft.PowerShell.Commands.BasicHtmlWebResponseObject\n")
    }

    @Test func errorStatusesFailUnlessSkipped() async {
        let r = await Self.run("""
            try { Invoke-WebRequest "$base/missing" } catch { "caught: $($_.Exception.Message)" }
            try { Invoke-RestMethod "$base/fail" } catch { "caught: $($_.Exception.Message)" }
            $s = Invoke-WebRequest "$base/fail" -SkipHttpErrorCheck
            "$($s.StatusCode) $($s.Content)"
            (Invoke-RestMethod "$base/fail" -SkipHttpErrorCheck).message
            Invoke-WebRequest "$base/missing"
            'went on'
            """)
        #expect(r.out == """
            caught: Response status code does not indicate success: 404 (Not Found).
            caught: Response status code does not indicate success: 409 (Conflict).
            409 {"status":409,"message":"nope"}
            nope
            went on

            """)
        #expect(r.err.contains("web.ps1:24:1: error: Response status code does not indicate success: 404 (Not Found)."), "stderr: \(r.err)")
    }

    @Test func connectionProblemsAreClearErrors() async {
        let closed = freePort()
        let r = await Self.run("""
            try { Invoke-WebRequest "http://127.0.0.1:\(closed)/x" } catch { "1: $($_.Exception.Message)" }
            try { Invoke-RestMethod "$base/slow" -TimeoutSec 1 } catch { "2: $($_.Exception.Message)" }
            try { Invoke-WebRequest 'ftp://example.com/x' } catch { "3: $($_.Exception.Message)" }
            try { Invoke-WebRequest "$base/text" -Headers 'X-Test: 1' } catch { "4: $($_.Exception.Message)" }
            try { Invoke-WebRequest "$base/text" -Method Fetch } catch { "5: caught" }
            """)
        let lines = r.out.split(separator: "\n").map(String.init)
        #expect(lines.count == 5, "stdout: \(r.out) stderr: \(r.err)")
        #expect(lines.first == "1: Cannot connect to http://127.0.0.1:\(closed)/x: nothing accepts connections there (connection refused).")
        #expect(lines.dropFirst().first?.range(of: #"^2: The request to http://127\.0\.0\.1:\d+/slow timed out after 1 seconds\.$"#,
                                                 options: .regularExpression) != nil, "stdout: \(r.out)")
        #expect(lines.dropFirst(2).first == "3: 'ftp://example.com/x' is not a valid http or https URI.")
        #expect(lines.dropFirst(3).first?.hasPrefix("4: -Headers needs a hashtable") == true, "stdout: \(r.out)")
        #expect(lines.dropFirst(4).first == "5: caught")
    }
}
