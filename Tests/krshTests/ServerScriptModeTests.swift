import Foundation
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Start-KrServer in script mode blocks until SIGTERM or SIGINT, drains in-flight requests, then
/// the script goes on after the call.
@Suite struct ServerScriptModeTests {
    @Test(arguments: [SIGTERM, SIGINT])
    func signalDrainsInFlightRequestsThenTheScriptGoesOn(_ sig: Int32) async throws {
        let port = Int.random(in: 30000...39999)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("drain-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let script = dir.appendingPathComponent("server.ps1")
        try """
            param([int]$Port = $env:PORT ?? 5000)
            New-KrServer -Name drain | Add-KrEndpoint -Port $Port | Enable-KrConfiguration | Out-Null
            Add-KrMapRoute -Verbs Get -Pattern '/slow' -ScriptBlock { Start-Sleep -Milliseconds 1500; Write-KrTextResponse 'finished' }
            Start-KrServer
            'after Start-KrServer'
            """.write(to: script, atomically: true, encoding: .utf8)
        let out = try PipeEnds()
        let null = openDevNull()
        let child = try ChildProcess.spawn(
            try KrshProcess.binary().path, [script.path, "-Port", String(port)],
            stdin: null, stdout: out.write, stderr: null)
        close(null)
        close(out.write)
        let reader = out.reader
        var ended = false
        defer { if !ended { child.send(SIGKILL); _ = child.wait() } }
        let firstLine = await readLine(reader)
        #expect(firstLine == "Now listening on: http://127.0.0.1:\(port)")

        let response = Task { await get("http://127.0.0.1:\(port)/slow") }
        try await Task.sleep(nanoseconds: 500_000_000)
        child.send(sig)
        #expect(await response.value == "finished", "the request in flight completes")
        let rest = await readToEnd(reader)
        #expect(rest.contains("after Start-KrServer"), "output after the signal: \(rest)")
        let end = child.wait()
        ended = true
        #expect(end.status == 0 && !end.signaled)
    }

    private func readLine(_ h: FileHandle) async -> String {
        await withCheckedContinuation { cont in
            Thread {
                var bytes: [UInt8] = []
                while true {
                    let d = h.readData(ofLength: 1)
                    if d.isEmpty || d.first == 10 { break }
                    bytes.append(contentsOf: d)
                }
                cont.resume(returning: String(decoding: bytes, as: UTF8.self))
            }.start()
        }
    }

    private func readToEnd(_ h: FileHandle) async -> String {
        await withCheckedContinuation { cont in
            Thread { cont.resume(returning: String(decoding: h.readDataToEndOfFile(), as: UTF8.self)) }.start()
        }
    }

    private func get(_ url: String) async -> String? {
        await withCheckedContinuation { cont in
            URLSession.shared.dataTask(with: URLRequest(url: URL(string: url)!, timeoutInterval: 10)) { data, resp, _ in
                cont.resume(returning: resp == nil ? nil : data.map { String(decoding: $0, as: UTF8.self) })
            }.resume()
        }
    }
}
