import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
@testable import KrHost
@testable import KrScript

private func getBytes(_ url: String) async -> (status: Int, headers: [String: String], body: [UInt8]) {
    await offPool { httpBytes(url) }
}

/// One request whose body is kept as bytes.
private func httpBytes(_ url: String) -> (status: Int, headers: [String: String], body: [UInt8]) {
    guard let u = URL(string: url) else { return (0, [:], []) }
    let done = DispatchSemaphore(value: 0)
    let box = LockedBox<(Int, [String: String], [UInt8])>((0, [:], []))
    testSession.dataTask(with: URLRequest(url: u, timeoutInterval: 20)) { data, resp, _ in
        let h = resp as? HTTPURLResponse
        var hs: [String: String] = [:]
        for (k, v) in h?.allHeaderFields ?? [:] { hs[String(describing: k).lowercased()] = String(describing: v) }
        box.set((h?.statusCode ?? 0, hs, data.map { Array($0) } ?? []))
        done.signal()
    }.resume()
    done.wait()
    return box.get()
}

@Suite(.serialized) struct ResponseFormatTests {
    struct Server: Sendable {
        let port: Int
        let host: KrHost
        let root: String
        let stderr: String
        let started: Bool

        func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

        /// Stops the server (off the test's thread: stopping waits for Hummingbird's tasks).
        func stop() async {
            let (host, root) = (host, root)
            await offPool {
                host.stop()
                try? FileManager.default.removeItem(atPath: root)
            }
        }
    }

    /// A server with one route per case; the host's root is a fresh folder holding a few files.
    static func startServer(_ routes: String) async throws -> Server {
        let server = try await offPool { Result { try startServerBlocking(routes) } }.get()
        #expect(server.started, "stderr: \(server.stderr)")
        #expect(server.stderr.isEmpty, "stderr: \(server.stderr)")
        return server
    }

    static func startServerBlocking(_ routes: String) throws -> Server {
        let port = freePort()
        let (engine, sink, host) = makeEngineWithServer("fmt\(port)")
        let root = NSTemporaryDirectory() + "krsh-fmt-\(port)"
        try FileManager.default.createDirectory(atPath: root + "/sub", withIntermediateDirectories: true)
        try "hello file\n".write(toFile: root + "/sub/hello.txt", atomically: true, encoding: .utf8)
        try #"{"a":1}"#.write(toFile: root + "/data.json", atomically: true, encoding: .utf8)
        try Data([0, 1, 2, 255]).write(to: URL(fileURLWithPath: root + "/blob.bin"))
        let outcome = engine.runScript(source: """
            $srv | Add-KrEndpoint -Port \(port) | Enable-KrConfiguration | Out-Null
            \(routes)
            Start-KrServer -Server $srv -NoWait -Quiet
            """, file: "fmt.ps1", scriptRoot: "/tmp", arguments: [])
        host.root = root
        return Server(port: port, host: host, root: root, stderr: sink.stderr, started: outcome == .completed)
    }

    /// `$Context.Response.Headers` is live: an index write sets (or with $null removes) a header,
    /// `.Add` appends a repeatable one, reads join repeated values, and the client sees the result.
    @Test func responseHeadersAreALiveView() async throws {
        let server = try await Self.startServer("""
            Add-KrMapRoute -Server $srv -Verbs Get -Pattern '/h' -ScriptBlock {
                $h = $Context.Response.Headers
                $h['X-Trace'] = 'on'
                $h['X-Gone'] = 'soon'
                $h['X-Gone'] = $null
                $h.Add('X-Multi', 'a')
                $h.Add('X-Multi', 'b')
                $removed = $h.Remove('X-Nothing')
                Write-KrTextResponse "$($h['x-multi'])|$($h.ContainsKey('X-TRACE'))|$removed"
            }
            """)
        defer { Task { await server.stop() } }
        let r = await http("GET", server.url("/h"))
        #expect(r.status == 200)
        #expect(r.body == "a,b|True|False")
        #expect(r.headers["x-trace"] == "on")
        #expect(r.headers["x-gone"] == nil)
        #expect(r.headers["x-multi"] == "a, b" || r.headers["x-multi"] == "a,b", "x-multi: \(r.headers["x-multi"] ?? "none")")
    }

    @Test func xmlResponses() async throws {
        let s = try await Self.startServer("""
            Add-KrMapRoute -Server $srv -Verbs Get -Pattern '/xml' -ScriptBlock {
                Write-KrXmlResponse ([ordered]@{ id = 7; name = 'a<b & "c" ''d'''; tags = @('x', 'y'); none = $null; ok = $true; empty = @() })
            }
            Add-KrMapRoute -Server $srv -Verbs Get -Pattern '/order' -ScriptBlock {
                Write-KrXmlResponse -InputObject ([pscustomobject]@{ 'line item' = 'pen'; '2nd' = 2.5 }) -RootElementName 'Order' -StatusCode 201
            }
            Add-KrMapRoute -Server $srv -Verbs Get -Pattern '/list' -ScriptBlock { @(1, 2) | Write-KrXmlResponse -ContentType 'text/xml' }
            """)
        let xml = await http("GET", s.url("/xml"))
        #expect(xml.status == 200)
        #expect(xml.headers["content-type"] == "application/xml; charset=utf-8")
        #expect(xml.body == "<Response><id>7</id><name>a&lt;b &amp; &quot;c&quot; &apos;d&apos;</name><tags><Item>x</Item><Item>y</Item></tags>"
            + "<none xsi:nil=\"true\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" /><ok>true</ok><empty /></Response>")

        let order = await http("GET", s.url("/order"))
        #expect(order.status == 201)
        #expect(order.body == "<Order><line_item>pen</line_item><_nd>2.5</_nd></Order>")

        let list = await http("GET", s.url("/list"))
        await s.stop()
        #expect(list.headers["content-type"] == "text/xml")
        #expect(list.body == "<Response><Item>1</Item><Item>2</Item></Response>")
    }

    @Test func yamlResponses() async throws {
        let s = try await Self.startServer("""
            Add-KrMapRoute -Server $srv -Verbs Get -Pattern '/yaml' -ScriptBlock {
                Write-KrYamlResponse ([ordered]@{ name = 'krsh'; port = 5000; ports = @(1, 2); flag = $false; text = '42'; nothing = $null; nested = [ordered]@{ a = 'b: c' } })
            }
            Add-KrMapRoute -Server $srv -Verbs Get -Pattern '/scalar' -ScriptBlock { Write-KrYamlResponse 'plain' -StatusCode 202 -ContentType 'text/yaml' }
            """)
        let yaml = await http("GET", s.url("/yaml"))
        #expect(yaml.status == 200)
        #expect(yaml.headers["content-type"] == "application/yaml; charset=utf-8")
        #expect(yaml.body == "name: krsh\nport: 5000\nports:\n- 1\n- 2\nflag: false\ntext: '42'\nnothing: null\nnested:\n  a: 'b: c'\n")
        let scalar = await http("GET", s.url("/scalar"))
        await s.stop()
        #expect(scalar.status == 202)
        #expect(scalar.headers["content-type"] == "text/yaml")
        #expect(scalar.body == "plain\n")
    }

    @Test func csvResponses() async throws {
        let s = try await Self.startServer("""
            Add-KrMapRoute -Server $srv -Verbs Get -Pattern '/csv' -ScriptBlock {
                $rows = @([pscustomobject]@{ Name = 'Ann'; Note = 'says "hi", twice' }, [pscustomobject]@{ Name = 'Bob'; Note = $null; Age = 25 })
                Write-KrCsvResponse -InputObject $rows
            }
            Add-KrMapRoute -Server $srv -Verbs Get -Pattern '/piped' -ScriptBlock { @{ a = 1 }, @{ a = 2 } | Write-KrCsvResponse }
            Add-KrMapRoute -Server $srv -Verbs Get -Pattern '/raw' -ScriptBlock { Write-KrCsvResponse "Name,Age`nAlice,30" }
            """)
        let csv = await http("GET", s.url("/csv"))
        #expect(csv.headers["content-type"] == "text/csv; charset=utf-8")
        #expect(csv.body == "\"Name\",\"Note\",\"Age\"\r\n\"Ann\",\"says \"\"hi\"\", twice\",\r\n\"Bob\",,\"25\"\r\n")
        let piped = await http("GET", s.url("/piped")), raw = await http("GET", s.url("/raw"))
        await s.stop()
        #expect(piped.body == "\"a\"\r\n\"1\"\r\n\"2\"\r\n")
        #expect(raw.body == "Name,Age\nAlice,30")
    }

    @Test func binaryAndGenericResponses() async throws {
        let s = try await Self.startServer("""
            Add-KrMapRoute -Server $srv -Verbs Get -Pattern '/bin' -ScriptBlock { Write-KrBinaryResponse -InputObject @(0, 1, 255) }
            Add-KrMapRoute -Server $srv -Verbs Get -Pattern '/utf8' -ScriptBlock { Write-KrBinaryResponse ([Text.Encoding]::UTF8.GetBytes('hi')) -ContentType 'application/x-hi' }
            Add-KrMapRoute -Server $srv -Verbs Get -Pattern '/notbytes' -ScriptBlock { Write-KrBinaryResponse -InputObject @(1, 300) }
            Add-KrMapRoute -Server $srv -Verbs Get -Pattern '/text' -ScriptBlock { Write-KrResponse 'accepted' -StatusCode 202 }
            Add-KrMapRoute -Server $srv -Verbs Get -Pattern '/bytes' -ScriptBlock { Write-KrResponse ([Text.Encoding]::UTF8.GetBytes('raw')) }
            Add-KrMapRoute -Server $srv -Verbs Get -Pattern '/object' -ScriptBlock { Write-KrResponse ([ordered]@{ a = 1 }) }
            """)
        let bin = await getBytes(s.url("/bin"))
        #expect(bin.status == 200)
        #expect(bin.body == [0, 1, 255])
        #expect(bin.headers["content-type"] == "application/octet-stream")
        let utf8 = await getBytes(s.url("/utf8"))
        #expect(utf8.body == Array("hi".utf8))
        #expect(utf8.headers["content-type"] == "application/x-hi")
        let notBytes = await http("GET", s.url("/notbytes"))
        #expect(notBytes.status == 500)

        let text = await http("GET", s.url("/text"))
        #expect(text.status == 202)
        #expect(text.body == "accepted")
        #expect(text.headers["content-type"] == "text/plain; charset=utf-8")
        let bytes = await http("GET", s.url("/bytes"))
        #expect(bytes.body == "raw")
        #expect(bytes.headers["content-type"] == "application/octet-stream")
        let object = await http("GET", s.url("/object"))
        await s.stop()
        #expect(object.headers["content-type"] == "application/json; charset=utf-8")
        #expect(object.body.replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "\n", with: "") == #"{"a":1}"#)
    }

    @Test func fileResponses() async throws {
        let s = try await Self.startServer("""
            Add-KrMapRoute -Server $srv -Verbs Get -Pattern '/hello' -ScriptBlock { Write-KrFileResponse -FilePath '.\\sub\\hello.txt' }
            Add-KrMapRoute -Server $srv -Verbs Get -Pattern '/download' -ScriptBlock { Write-KrFileResponse 'sub/hello.txt' -FileDownloadName 'report 1.txt' }
            Add-KrMapRoute -Server $srv -Verbs Get -Pattern '/inline' -ScriptBlock { Write-KrFileResponse 'data.json' -ContentDisposition Inline }
            Add-KrMapRoute -Server $srv -Verbs Get -Pattern '/blob' -ScriptBlock { Write-KrFileResponse 'blob.bin' -ContentDisposition Attachment }
            Add-KrMapRoute -Server $srv -Verbs Get -Pattern '/typed' -ScriptBlock { Write-KrFileResponse 'data.json' -ContentType 'text/plain' -StatusCode 203 }
            Add-KrMapRoute -Server $srv -Verbs Get -Pattern '/missing' -ScriptBlock { Write-KrFileResponse 'nope.txt' }
            Add-KrMapRoute -Server $srv -Verbs Get -Pattern '/folder' -ScriptBlock { Write-KrFileResponse 'sub' }
            """)
        let hello = await http("GET", s.url("/hello"))
        #expect(hello.status == 200)
        #expect(hello.body == "hello file\n")
        #expect(hello.headers["content-type"] == "text/plain")
        #expect(hello.headers["content-disposition"] == nil)

        let download = await http("GET", s.url("/download"))
        #expect(download.headers["content-disposition"] == "attachment; filename=\"report 1.txt\"")

        let inline = await http("GET", s.url("/inline"))
        #expect(inline.body == #"{"a":1}"#)
        #expect(inline.headers["content-type"] == "application/json")
        #expect(inline.headers["content-disposition"] == "inline")

        let blob = await getBytes(s.url("/blob"))
        #expect(blob.body == [0, 1, 2, 255])
        #expect(blob.headers["content-type"] == "application/octet-stream")
        #expect(blob.headers["content-disposition"] == "attachment; filename=\"blob.bin\"")

        let typed = await http("GET", s.url("/typed"))
        #expect(typed.status == 203)
        #expect(typed.headers["content-type"] == "text/plain")

        let missing = await http("GET", s.url("/missing"))
        #expect(missing.status == 404)
        #expect(missing.body == "The file 'nope.txt' was not found.")
        let folder = await http("GET", s.url("/folder"))
        await s.stop()
        #expect(folder.status == 404)
    }

    @Test func outsideARouteIsAClearError() async {
        let stderr = await offPool {
            let (engine, sink) = makeEngine()
            _ = engine.runScript(source: "Write-KrXmlResponse @{ a = 1 }", file: "out.ps1", scriptRoot: "/tmp", arguments: [])
            return sink.stderr
        }
        #expect(stderr.contains("Write-KrXmlResponse can only be used inside a route script block"), "stderr: \(stderr)")
    }

    @Test(arguments: [
        ("report.pdf", "attachment; filename=\"report.pdf\""),
        ("say \"hi\".txt", "attachment; filename=\"say \\\"hi\\\".txt\""),
        ("résumé.txt", "attachment; filename=\"r_sum_.txt\"; filename*=UTF-8''r%C3%A9sum%C3%A9.txt"),
        ("a\r\nb.txt", "attachment; filename=\"a__b.txt\"; filename*=UTF-8''a%0D%0Ab.txt"),
    ])
    func contentDispositionNames(name: String, header: String) {
        #expect(ResponseCmdlets.contentDisposition("attachment", fileName: name) == header)
    }

    @Test(arguments: [("Response", "Response"), ("line item", "line_item"), ("2nd", "_nd"), ("", "Element"), ("a-b.c_d", "a-b.c_d")])
    func xmlElementNames(raw: String, name: String) {
        #expect(XmlBody.elementName(raw) == name)
    }

    @Test(arguments: [
        ("42", "'42'\n"), ("true", "'true'\n"), ("~", "'~'\n"), ("null", "'null'\n"), ("2024-01-02", "'2024-01-02'\n"),
        ("1.5", "'1.5'\n"), ("plain", "plain\n"), ("a: b", "'a: b'\n"),
    ])
    func yamlQuotesStringsThatWouldReadBackAsSomethingElse(text: String, yaml: String) throws {
        #expect(try YamlBody.document(.string(text)) == yaml)
    }

    @Test func yamlQuotesKeysToo() throws {
        let h = PSHashtable(ordered: true)
        h.set(.string("1"), .string("one"))
        h.set(.string("yes"), .bool(true))
        #expect(try YamlBody.document(.hashtable(h)) == "'1': one\n'yes': true\n", "YAML 1.1 reads a plain yes as a boolean")
    }

    @Test func xmlEscapesTextAndDropsCharactersXmlCannotCarry() {
        #expect(XmlBody.escape("<&>\"'") == "&lt;&amp;&gt;&quot;&apos;")
        #expect(XmlBody.escape("a\u{1}b\tc") == "a\u{FFFD}b\tc")
    }
}
