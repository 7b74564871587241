import Foundation
import Testing
@testable import KrHost
@testable import KrScript

/// Bad input gets a clear answer and loses nothing: the server keeps serving.
@Suite(.serialized) struct BadInputTests {
    @Test func limitsAndMalformedRequests() async throws {
        let (engine, sink) = makeEngine()
        let port = freePort()
        let name = "bad\(port)"
        let outcome = await engine.run("""
            New-KrServer -Name \(name) | Add-KrEndpoint -Port \(port) | Out-Null
            Set-KrServerLimit -MaxRequestBodySize 1000 -MaxRequestHeadersTotalSize 4096
            Enable-KrConfiguration | Out-Null
            Add-KrMapRoute -Verbs Post -Pattern '/echo' -ScriptBlock { Write-KrTextResponse (Get-KrRequestBody -Raw) }
            Add-KrMapRoute -Verbs Post -Pattern '/json' -ScriptBlock { $b = Get-KrRequestBody; Write-KrJsonResponse $b -Compress }
            Add-KrMapRoute -Verbs Get -Pattern '/nocmd' -ScriptBlock { Invoke-NoSuchCommand; Write-KrTextResponse 'x' }
            Add-KrMapRoute -Verbs Get -Pattern '/throw' -ScriptBlock { throw 'secret detail' }
            Add-KrMapRoute -Verbs Get -Pattern '/ok' -ScriptBlock { Write-KrTextResponse 'ok' }
            Start-KrServer -NoWait -Quiet
            """, file: "bad.ps1")
        #expect(outcome == .completed, "stderr: \(sink.stderr)")
        defer { HostRegistry.shared.get(name)?.stop() }
        let base = "http://127.0.0.1:\(port)"
        #expect(await http("POST", "\(base)/echo", body: String(repeating: "a", count: 999)).status == 200)
        #expect(await http("POST", "\(base)/echo", body: String(repeating: "a", count: 5000)).status == 413)
        #expect(await http("GET", "\(base)/ok", headers: ["X-Big": String(repeating: "h", count: 8000)]).status == 431)
        let malformedJSON = await http("POST", "\(base)/json", body: "{not json", headers: ["Content-Type": "application/json"])
        #expect(malformedJSON.status == 400)
        #expect(await http("POST", "\(base)/json", body: "{\"a\":1}", headers: ["Content-Type": "application/json"]).body == "{\"a\":1}")
        let nocmd = await http("GET", "\(base)/nocmd")
        #expect(nocmd.status == 500)
        let thrown = await http("GET", "\(base)/throw")
        #expect(thrown.status == 500)
        #expect(!thrown.body.contains("secret"), "the body must not leak the error: \(thrown.body)")
        // Garbage on the wire: a 400 or a closed connection, never a crash.
        let reply = await offPool { rawExchange(port: port, "NOT-HTTP garbage\r\n\r\n") }
        #expect(reply.isEmpty || reply.hasPrefix("HTTP/1.1 400"), "reply: \(reply)")
        #expect(await http("GET", "\(base)/ok").body == "ok")
    }

    @Test func routeCodeWithASyntaxErrorIsRefusedWhenAdded() async {
        let (engine, sink) = makeEngine()
        let port = freePort()
        let outcome = await engine.run("""
            New-KrServer -Name syntax\(port) | Add-KrEndpoint -Port \(port) | Enable-KrConfiguration | Out-Null
            Add-KrMapRoute -Verbs Get -Pattern '/good' -ScriptBlock { Write-KrTextResponse 'good' }
            Add-KrMapRoute -Verbs Get -Pattern '/bad' -Code @'
            Write-KrTextResponse 'unclosed
            '@
            Add-KrMapRoute -Verbs Get -Pattern 'no-slash' -ScriptBlock { }
            Add-KrMapRoute -Verbs Get -Pattern '/good' -ScriptBlock { 'again' }
            (Get-KrRoute).Pattern -join ','
            """, file: "syntax.ps1")
        #expect(outcome == .completed)
        #expect(sink.stderr.contains("syntax.ps1:3:1: error: The code of route '/bad' does not parse"), "stderr: \(sink.stderr)")
        #expect(sink.stderr.contains(":1:22: The string is missing the terminator"), "stderr: \(sink.stderr)")
        #expect(sink.stderr.contains("syntax.ps1:6:1: error: The route pattern 'no-slash' must start with '/'"))
        #expect(sink.stderr.contains("syntax.ps1:7:1: error: A route for '/good' with verb GET already exists"))
        #expect(sink.stdout == "/good\n", "the server keeps its other routes: \(sink.stdout)")
    }
    /// Set-KrServerLimit -RequestHeadersTimeout: a head that is not complete in time gets 408 and a
    /// closed connection; a silent connection is closed; the wait between kept-alive requests is not
    /// the header clock's.
    @Test func requestHeadersTimeout() async throws {
        let (engine, sink) = makeEngine()
        let port = freePort()
        let name = "headers\(port)"
        let outcome = await engine.run("""
            New-KrServer -Name \(name) | Add-KrEndpoint -Port \(port) | Out-Null
            Set-KrServerLimit -RequestHeadersTimeout 1
            Enable-KrConfiguration | Out-Null
            Add-KrMapRoute -Verbs Get -Pattern '/ok' -ScriptBlock { Write-KrTextResponse 'ok' }
            Start-KrServer -NoWait -Quiet
            """, file: "headers.ps1")
        #expect(outcome == .completed, "stderr: \(sink.stderr)")
        defer { HostRegistry.shared.get(name)?.stop() }

        let slow = await offPool { RawConnection(port: port).exchange("GET /ok HTTP/1.1\r\nHost: x\r\nX-Slow: ", waitUpTo: 5) }
        #expect(slow.text.hasPrefix("HTTP/1.1 408 Request Timeout"), "reply: \(slow.text)")
        #expect(slow.closed && slow.seconds > 0.8 && slow.seconds < 3, "closed \(slow.closed) after \(slow.seconds) s")

        let silent = await offPool { RawConnection(port: port).exchange("", waitUpTo: 5) }
        #expect(silent.text.isEmpty && silent.closed && silent.seconds < 3, "closed \(silent.closed) after \(silent.seconds) s")

        let kept = await offPool { () -> [String] in
            let c = RawConnection(port: port)
            let first = c.exchange("GET /ok HTTP/1.1\r\nHost: x\r\n\r\n", waitUpTo: 0.5)
            Thread.sleep(forTimeInterval: 1.5)
            let second = c.exchange("GET /ok HTTP/1.1\r\nHost: x\r\n\r\n", waitUpTo: 0.5)
            return [first.text, second.text]
        }
        #expect(kept.allSatisfy { $0.hasPrefix("HTTP/1.1 200") && $0.hasSuffix("ok") }, "replies: \(kept)")
        #expect(await http("GET", "http://127.0.0.1:\(port)/ok").body == "ok")
    }
}

/// One raw TCP connection to 127.0.0.1.
final class RawConnection {
    let fd: Int32

    init(port: Int) {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = UInt16(port).bigEndian
        _ = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
    }

    deinit { close(fd) }

    /// Sends `text`, then reads until the server closes the connection or `waitUpTo` seconds pass.
    func exchange(_ text: String, waitUpTo limit: Double) -> (text: String, closed: Bool, seconds: Double) {
        if !text.isEmpty { _ = text.withCString { send(fd, $0, strlen($0), 0) } }
        let start = Date()
        var out = [UInt8]()
        var buf = [UInt8](repeating: 0, count: 4096)
        var closed = false
        while Date().timeIntervalSince(start) < limit {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let remaining = Int32(max(1, (limit - Date().timeIntervalSince(start)) * 1000))
            guard poll(&poller, 1, remaining) > 0 else { continue }
            let n = recv(fd, &buf, buf.count, 0)
            if n <= 0 { closed = true; break }
            out.append(contentsOf: buf[0..<n])
        }
        return (String(decoding: out, as: UTF8.self), closed, Date().timeIntervalSince(start))
    }
}

/// Sends raw bytes and returns what came back (empty when the server closed the connection).
func rawExchange(port: Int, _ text: String) -> String {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    addr.sin_port = UInt16(port).bigEndian
    var tv = timeval(tv_sec: 3, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    let connected = withUnsafePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard connected == 0 else { return "connect failed" }
    _ = text.withCString { send(fd, $0, strlen($0), 0) }
    var out = [UInt8]()
    var buf = [UInt8](repeating: 0, count: 4096)
    while true {
        let n = recv(fd, &buf, buf.count, 0)
        if n <= 0 { break }
        out.append(contentsOf: buf[0..<n])
    }
    return String(decoding: out, as: UTF8.self)
}
