import Foundation
import Testing
@testable import KrHost
@testable import KrScript
#if canImport(Glibc)
import Glibc
#endif

// MARK: - Support: a temp site, a server over it, and a raw HTTP/1.1 client

/// A temp folder holding `site/` (the root served) and, beside it, files no request may reach.
fileprivate final class SiteTree: @unchecked Sendable {
    let base: String
    var root: String { base + "/site" }
    /// Every file's modification time: fixed, in the past (Last-Modified is then a strong validator).
    static let modified = Date(timeIntervalSince1970: 1_704_164_645) // Tue, 02 Jan 2024 03:04:05 GMT

    init() {
        base = FileManager.default.temporaryDirectory.path + "/krsh-fs-" + UUID().uuidString
        let files: [(String, String)] = [
            ("site/index.html", "<html><body>home</body></html>"),
            ("site/hello.txt", "Hello, file server!"),
            ("site/numbers.txt", "0123456789"),
            ("site/data.yaml", "a: 1\n"),
            ("site/readme.md", "# readme\n"),
            ("site/blob.xyz", "unknown type"),
            ("site/.secret", "hidden file"),
            ("site/sub/a.txt", "in sub"),
            ("site/sub/b & <c>.txt", "odd name"),
            ("site/docs/index.html", "<html>docs</html>"),
            ("site/a\\b.txt", "backslash name"),
            ("outside/secret.txt", "TOP SECRET"),
            ("etc/passwd", "root:x:0:0:TOP SECRET"),
        ]
        let fm = FileManager.default
        for (path, text) in files {
            let full = base + "/" + path
            try? fm.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            _ = fm.createFile(atPath: full, contents: Data(text.utf8))
            try? fm.setAttributes([.modificationDate: SiteTree.modified], ofItemAtPath: full)
        }
        try? fm.createSymbolicLink(atPath: root + "/link-inside.txt", withDestinationPath: "hello.txt")
        try? fm.createSymbolicLink(atPath: root + "/escape.txt", withDestinationPath: "../outside/secret.txt")
        try? fm.createSymbolicLink(atPath: root + "/escape-dir", withDestinationPath: base + "/outside")
        try? fm.createSymbolicLink(atPath: root + "/sub/up", withDestinationPath: "../..")
    }

    /// Called from a `defer`: the tree must outlive the requests (a deinit could run earlier).
    func remove() { try? FileManager.default.removeItem(atPath: base) }
}

/// A running server with a file server configured by `setup`.
fileprivate struct FileServerUnderTest {
    let port: Int
    let name: String
    let stderr: String
    func stop() { HostRegistry.shared.get(name)?.stop() }

    static func start(_ setup: String, routes: String = "") async -> FileServerUnderTest {
        let (engine, sink) = makeEngine()
        let port = freePort()
        let name = "fs\(port)"
        let outcome = await engine.run("""
            New-KrServer -Name \(name) | Add-KrEndpoint -Port \(port) | Out-Null
            \(setup)
            Enable-KrConfiguration | Out-Null
            \(routes)
            Start-KrServer -NoWait -Quiet
            """, file: "fs.ps1")
        #expect(outcome == .completed, "stderr: \(sink.stderr)")
        #expect(sink.stderr.isEmpty, "stderr: \(sink.stderr)")
        return FileServerUnderTest(port: port, name: name, stderr: sink.stderr)
    }

    func get(_ target: String, method: String = "GET", _ headers: [(String, String)] = []) async -> RawResponse {
        await rawHTTP(port, target, method: method, headers: headers)
    }
}

fileprivate struct RawResponse: Sendable {
    let status: Int
    let headers: [(String, String)]
    let body: [UInt8]
    var text: String { String(decoding: body, as: UTF8.self) }
    func values(_ name: String) -> [String] { headers.filter { $0.0.lowercased() == name.lowercased() }.map(\.1) }
    func header(_ name: String) -> String? { values(name).last }
}

/// One request written byte for byte on a TCP socket (the target is not normalised, unlike
/// URLSession), answer read until its end. Runs off the concurrency pool.
fileprivate func rawHTTP(_ port: Int, _ target: String, method: String = "GET", headers: [(String, String)] = []) async -> RawResponse {
    await offPool {
        var request = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        for (k, v) in headers { request += "\(k): \(v)\r\n" }
        request += "\r\n"
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var tv = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        let connected = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return RawResponse(status: 0, headers: [], body: []) }
        let bytes = Array(request.utf8)
        _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        var data: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        var head: (status: Int, headers: [(String, String)], bodyStart: Int)?
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            data.append(contentsOf: chunk[0..<n])
            if head == nil { head = parseHead(data) }
            if let h = head {
                let noBody = method == "HEAD" || h.status == 304 || h.status == 204
                let length = h.headers.last { $0.0.lowercased() == "content-length" }.flatMap { Int($0.1) }
                if noBody || (length.map { data.count - h.bodyStart >= $0 } ?? false) { break }
            }
        }
        guard let h = head ?? parseHead(data) else { return RawResponse(status: 0, headers: [], body: data) }
        var body = Array(data[h.bodyStart...])
        if method == "HEAD" || h.status == 304 { body = [] }
        if let l = h.headers.last(where: { $0.0.lowercased() == "content-length" }).flatMap({ Int($0.1) }), body.count > l {
            body = Array(body[0..<l])
        }
        return RawResponse(status: h.status, headers: h.headers, body: body)
    }
}

private func parseHead(_ data: [UInt8]) -> (status: Int, headers: [(String, String)], bodyStart: Int)? {
    let marker: [UInt8] = [13, 10, 13, 10]
    guard data.count >= 4, let end = (0...(data.count - 4)).first(where: { Array(data[$0..<($0 + 4)]) == marker }) else { return nil }
    let lines = String(decoding: data[0..<end], as: UTF8.self).components(separatedBy: "\r\n")
    let statusParts = lines[0].split(separator: " ")
    guard statusParts.count >= 2, let status = Int(statusParts[1]) else { return nil }
    let headers = lines.dropFirst().compactMap { line -> (String, String)? in
        guard let colon = line.firstIndex(of: ":") else { return nil }
        return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
    }
    return (status, headers, end + 4)
}

// MARK: - Cache-Control: the guide's table

@Suite(.serialized) struct FileServerCacheControlTests {
    static let table: [(switches: String, header: String?)] = [
        ("", nil),
        ("-Public", "public"),
        ("-Private", "private"),
        ("-MaxAge 300", "max-age=300"),
        ("-SharedMaxAge 600", "s-maxage=600"),
        ("-NoCache", "no-cache"),
        ("-NoStore", "no-store"),
        ("-MustRevalidate", "must-revalidate"),
        ("-ProxyRevalidate", "proxy-revalidate"),
        ("-NoTransform", "no-transform"),
        ("-OnlyIfCached", "only-if-cached"),
        ("-MaxStale", "max-stale"),
        ("-MaxStale -MaxStaleLimit 120", "max-stale=120"),
        ("-MinFresh 30", "min-fresh=30"),
        ("-Public -MaxAge 300 -MustRevalidate", "public, must-revalidate, max-age=300"),
        ("-Private -MaxAge 60 -NoTransform", "no-transform, max-age=60, private"),
        ("-MinFresh 4 -MaxStaleLimit 3 -SharedMaxAge 2 -MaxAge 1 -NoCache -ProxyRevalidate -MustRevalidate -Public -OnlyIfCached -NoTransform -NoStore",
         "no-store, no-transform, only-if-cached, public, must-revalidate, proxy-revalidate, no-cache, max-age=1, s-maxage=2, max-stale=3, min-fresh=4"),
    ]

    @Test(arguments: table)
    func everySwitchGivesItsDirective(_ switches: String, _ expected: String?) async throws {
        let tree = SiteTree()
        defer { tree.remove() }
        let s = await FileServerUnderTest.start("Add-KrFileServerMiddleware -RequestPath '/' -RootPath '\(tree.root)' -EnableDirectoryBrowsing \(switches)")
        defer { s.stop() }
        let file = await s.get("/hello.txt")
        #expect(file.status == 200)
        #expect(file.values("Cache-Control") == (expected.map { [$0] } ?? []))
        // The same value on every static response: 304, 206, HEAD, default file, listing.
        let etag = try #require(file.header("ETag"))
        let responses = [
            await s.get("/hello.txt", [("If-None-Match", etag)]),
            await s.get("/hello.txt", [("Range", "bytes=0-1")]),
            await s.get("/hello.txt", method: "HEAD"),
            await s.get("/"),
            await s.get("/sub/"),
        ]
        #expect(responses.map(\.status) == [304, 206, 200, 200, 200])
        for r in responses { #expect(r.values("Cache-Control") == (expected.map { [$0] } ?? []), "status \(r.status)") }
    }

    @Test func guideExampleWithWindowsRootPathRelativeToKrRoot() async throws {
        let tree = SiteTree()
        defer { tree.remove() }
        try FileManager.default.createDirectory(atPath: tree.base + "/Assets", withIntermediateDirectories: true)
        try FileManager.default.moveItem(atPath: tree.root, toPath: tree.base + "/Assets/wwwroot")
        let saved = HostRegistry.shared.root
        defer { HostRegistry.shared.root = saved }
        let s = await FileServerUnderTest.start(#"""
            Initialize-KrRoot -Path '\#(tree.base)'
            Add-KrFileServerMiddleware -RequestPath '/' -RootPath '.\\Assets\\wwwroot' -Public -MaxAge 300 -MustRevalidate
            Add-KrFileServerMiddleware -RequestPath '/single' -RootPath '.\Assets\wwwroot' -Public -MaxAge 300 -MustRevalidate
            """#)
        defer { s.stop() }
        for target in ["/index.html", "/", "/single/hello.txt"] {
            let r = await s.get(target)
            #expect(r.status == 200, "\(target)")
            #expect(r.values("Cache-Control") == ["public, must-revalidate, max-age=300"], "\(target)")
        }
        #expect(await s.get("/index.html").text.contains("<html"))
        // Through an ordinary client too.
        let viaSession = await http("GET", "http://127.0.0.1:\(s.port)/index.html")
        #expect(viaSession.headers["cache-control"] == "public, must-revalidate, max-age=300")
    }

    @Test func badParametersAreClearErrors() async throws {
        let (engine, sink) = makeEngine()
        let port = freePort()
        _ = await engine.run("""
            New-KrServer -Name fsbad\(port) | Out-Null
            Add-KrFileServerMiddleware -RootPath '/no/such/folder/\(port)'
            Add-KrFileServerMiddleware -RootPath '/tmp' -Public -Private
            Add-KrFileServerMiddleware -RootPath '/tmp' -ContentTypeMap 'text/plain'
            Add-KrFileServerMiddleware -RootPath '/tmp' -RequestPath '/a/../b'
            """, file: "bad.ps1")
        #expect(sink.stderr.contains("bad.ps1:2:1: error:") && sink.stderr.contains("does not exist"), "stderr: \(sink.stderr)")
        #expect(sink.stderr.contains("bad.ps1:3:1: error:"), "stderr: \(sink.stderr)")
        #expect(sink.stderr.contains("-ContentTypeMap takes a hashtable"), "stderr: \(sink.stderr)")
        #expect(sink.stderr.contains("must not contain '..'"), "stderr: \(sink.stderr)")
        #expect(HostRegistry.shared.get("fsbad\(port)")?.middleware.all.isEmpty == true)
    }
}

// MARK: - Serving: content types, default files, listings, fall-through

@Suite(.serialized) struct FileServerServingTests {
    @Test func contentTypeMapIsMergedIntoTheDefaults() async throws {
        let tree = SiteTree()
        defer { tree.remove() }
        let s = await FileServerUnderTest.start("""
            Add-KrFileServerMiddleware -RootPath '\(tree.root)' -ContentTypeMap @{ '.yaml' = 'application/x-yaml'; 'md' = 'text/markdown'; '.TXT' = 'text/plain; charset=utf-8' }
            """)
        defer { s.stop() }
        #expect(await s.get("/data.yaml").header("Content-Type") == "application/x-yaml")
        #expect(await s.get("/readme.md").header("Content-Type") == "text/markdown")
        #expect(await s.get("/hello.txt").header("Content-Type") == "text/plain; charset=utf-8")
        let html = await s.get("/index.html")
        #expect(html.header("Content-Type") == "text/html")
        #expect(html.text == "<html><body>home</body></html>")
        #expect(await s.get("/blob.xyz").status == 404, "unknown types are not served by default")
    }

    @Test func unknownFileTypesWhenAsked() async throws {
        let tree = SiteTree()
        defer { tree.remove() }
        let s = await FileServerUnderTest.start("""
            Add-KrFileServerMiddleware -RequestPath '/a' -RootPath '\(tree.root)' -ServeUnknownFileTypes -DefaultContentType 'application/octet-stream'
            Add-KrFileServerMiddleware -RequestPath '/b' -RootPath '\(tree.root)' -ServeUnknownFileTypes
            """)
        defer { s.stop() }
        let a = await s.get("/a/blob.xyz")
        #expect(a.status == 200 && a.text == "unknown type")
        #expect(a.header("Content-Type") == "application/octet-stream")
        let b = await s.get("/b/blob.xyz")
        #expect(b.status == 200 && b.header("Content-Type") == nil, "no default type: ASP.NET sends none")
    }

    @Test func defaultFilesAndTrailingSlashRedirects() async throws {
        let tree = SiteTree()
        defer { tree.remove() }
        let s = await FileServerUnderTest.start("""
            Add-KrFileServerMiddleware -RequestPath '/' -RootPath '\(tree.root)'
            Add-KrFileServerMiddleware -RequestPath '/custom' -RootPath '\(tree.root)' -DefaultFiles 'hello.txt'
            Add-KrFileServerMiddleware -RequestPath '/none' -RootPath '\(tree.root)' -DefaultFiles @() -EnableDirectoryBrowsing
            """)
        defer { s.stop() }
        let home = await s.get("/")
        #expect(home.status == 200 && home.text == "<html><body>home</body></html>")
        #expect(home.header("Content-Type") == "text/html")
        let docs = await s.get("/docs?x=1")
        #expect(docs.status == 301)
        #expect(docs.header("Location") == "/docs/?x=1")
        #expect(await s.get("/docs/").text == "<html>docs</html>")
        #expect(await s.get("/custom/").text == "Hello, file server!")
        let listing = await s.get("/none/")
        #expect(listing.status == 200 && listing.text.contains("Index of"))
        #expect(await s.get("/sub/").status == 404, "no default file and no browsing: nothing to serve")
        #expect(await s.get("/hello.txt/").status == 404, "a file is not a folder")
    }

    @Test func directoryBrowsingListsTheFolderSafely() async throws {
        let tree = SiteTree()
        defer { tree.remove() }
        let s = await FileServerUnderTest.start("Add-KrFileServerMiddleware -RequestPath '/files' -RootPath '\(tree.root)' -EnableDirectoryBrowsing -DefaultFiles @()")
        defer { s.stop() }
        let redirect = await s.get("/files/sub")
        #expect(redirect.status == 301 && redirect.header("Location") == "/files/sub/")
        let page = await s.get("/files/sub/")
        #expect(page.status == 200)
        #expect(page.header("Content-Type") == "text/html; charset=utf-8")
        #expect(page.text.contains("<title>Index of /files/sub/</title>"))
        #expect(page.text.contains("href=\"/files/sub/a.txt\""))
        #expect(page.text.contains("b &amp; &lt;c&gt;.txt"), "names are HTML-escaped")
        #expect(page.text.contains("href=\"/files/sub/b%20&amp;%20%3Cc%3E.txt\""), "links are URL-encoded")
        #expect(!page.text.contains("href=\"/files/sub/up/\""), "a symlink to outside the root is not listed")
        let top = await s.get("/files/")
        #expect(top.text.contains("index.html") && top.text.contains("link-inside.txt") && top.text.contains("href=\"/files/sub/\""))
        #expect(!top.text.contains(".secret") && !top.text.contains("escape.txt") && !top.text.contains("escape-dir"))
        let head = await s.get("/files/sub/", method: "HEAD")
        #expect(head.status == 200 && head.body.isEmpty && head.header("Content-Length") == String(page.body.count))
    }

    @Test func otherVerbsOtherPathsAndMissingFilesFallThroughToRoutes() async throws {
        let tree = SiteTree()
        defer { tree.remove() }
        let s = await FileServerUnderTest.start("Add-KrFileServerMiddleware -RequestPath '/static/' -RootPath '\(tree.root)'", routes: """
            Add-KrMapRoute -Verbs Get -Pattern '/static/missing.txt' -ScriptBlock { Write-KrTextResponse 'from route' }
            Add-KrMapRoute -Verbs Post -Pattern '/static/hello.txt' -ScriptBlock { Write-KrTextResponse 'posted' }
            Add-KrMapRoute -Verbs Get -Pattern '/api/ping' -ScriptBlock { Write-KrTextResponse 'pong' }
            """)
        defer { s.stop() }
        #expect(await s.get("/static/hello.txt").text == "Hello, file server!")
        #expect(await s.get("/STATIC/hello.txt").status == 200, "-RequestPath matches case-insensitively")
        #expect(await s.get("/static/missing.txt").text == "from route")
        #expect(await s.get("/static/hello.txt", method: "POST").text == "posted")
        #expect(await s.get("/api/ping").text == "pong")
        #expect(await s.get("/staticx/hello.txt").status == 404, "a prefix that is not a whole segment does not match")
        #expect(await s.get("/static/nothing.txt").status == 404)
        #expect(await s.get("/hello.txt").status == 404)
    }
}

// MARK: - Validators, conditional requests, HEAD and ranges

@Suite(.serialized) struct FileServerConditionalTests {
    @Test func validatorsAndConditionalRequests() async throws {
        let tree = SiteTree()
        defer { tree.remove() }
        let s = await FileServerUnderTest.start("Add-KrFileServerMiddleware -RootPath '\(tree.root)' -Public -MaxAge 60")
        defer { s.stop() }
        let first = await s.get("/hello.txt")
        #expect(first.status == 200 && first.text == "Hello, file server!")
        #expect(first.header("Last-Modified") == "Tue, 02 Jan 2024 03:04:05 GMT")
        #expect(first.header("Accept-Ranges") == "bytes")
        #expect(first.header("Content-Length") == "19")
        // ASP.NET's strong ETag: Windows file time of the modification XOR the length, in hex.
        let fileTime = (Int64(SiteTree.modified.timeIntervalSince1970) + 11_644_473_600) * 10_000_000
        let etag = "\"" + String(fileTime ^ 19, radix: 16) + "\""
        #expect(first.header("ETag") == etag)

        let cases: [([(String, String)], Int)] = [
            ([("If-None-Match", etag)], 304),
            ([("If-None-Match", "W/" + etag)], 304),
            ([("If-None-Match", "\"a,b\", \(etag)")], 304),
            ([("If-None-Match", "*")], 304),
            ([("If-None-Match", "\"other\"")], 200),
            ([("If-Modified-Since", "Tue, 02 Jan 2024 03:04:05 GMT")], 304),
            ([("If-Modified-Since", "Tuesday, 02-Jan-24 03:04:05 GMT")], 304),
            ([("If-Modified-Since", "Tue Jan  2 03:04:05 2024")], 304),
            ([("If-Modified-Since", "Tue, 02 Jan 2024 03:04:04 GMT")], 200),
            ([("If-Modified-Since", "Fri, 01 Jan 2100 00:00:00 GMT")], 200),
            ([("If-Modified-Since", "yesterday")], 200),
            ([("If-None-Match", "\"other\""), ("If-Modified-Since", "Tue, 02 Jan 2024 03:04:05 GMT")], 200),
            ([("If-Match", etag)], 200),
            ([("If-Match", "\"other\"")], 412),
            ([("If-Match", "W/" + etag)], 412),
            ([("If-Unmodified-Since", "Mon, 01 Jan 2024 00:00:00 GMT")], 412),
            ([("If-Unmodified-Since", "Tue, 02 Jan 2024 03:04:05 GMT")], 200),
        ]
        for (headers, status) in cases {
            let r = await s.get("/hello.txt", headers)
            #expect(r.status == status, "\(headers)")
            if status == 304 {
                #expect(r.body.isEmpty && r.header("ETag") == etag && r.header("Cache-Control") == "public, max-age=60", "\(headers)")
                #expect(r.header("Last-Modified") == "Tue, 02 Jan 2024 03:04:05 GMT")
            }
        }
        let head = await s.get("/hello.txt", method: "HEAD")
        #expect(head.status == 200 && head.body.isEmpty)
        #expect(head.header("Content-Length") == "19" && head.header("ETag") == etag && head.header("Content-Type") == "text/plain")
        #expect(await s.get("/hello.txt", method: "HEAD", [("If-None-Match", etag)]).status == 304)
        #expect(await http("GET", "http://127.0.0.1:\(s.port)/hello.txt").body == "Hello, file server!")
    }

    @Test func singleByteRanges() async throws {
        let tree = SiteTree()
        defer { tree.remove() }
        let s = await FileServerUnderTest.start("Add-KrFileServerMiddleware -RootPath '\(tree.root)'")
        defer { s.stop() }
        let etag = try #require(await s.get("/numbers.txt").header("ETag"))
        let cases: [(range: String, extra: [(String, String)], status: Int, body: String, contentRange: String?)] = [
            ("bytes=0-3", [], 206, "0123", "bytes 0-3/10"),
            ("bytes=5-", [], 206, "56789", "bytes 5-9/10"),
            ("bytes=-3", [], 206, "789", "bytes 7-9/10"),
            ("bytes=8-100", [], 206, "89", "bytes 8-9/10"),
            ("bytes=-20", [], 206, "0123456789", "bytes 0-9/10"),
            ("bytes=10-", [], 416, "", "bytes */10"),
            ("bytes=-0", [], 416, "", "bytes */10"),
            ("bytes=0-1,3-4", [], 200, "0123456789", nil),
            ("bytes=5-2", [], 200, "0123456789", nil),
            ("items=0-1", [], 200, "0123456789", nil),
            ("bytes=x-y", [], 200, "0123456789", nil),
            ("bytes=2-4", [("If-Range", etag)], 206, "234", "bytes 2-4/10"),
            ("bytes=2-4", [("If-Range", "\"stale\"")], 200, "0123456789", nil),
            ("bytes=2-4", [("If-Range", "W/" + etag)], 200, "0123456789", nil),
            ("bytes=2-4", [("If-Range", "Tue, 02 Jan 2024 03:04:05 GMT")], 206, "234", "bytes 2-4/10"),
            ("bytes=2-4", [("If-Range", "Mon, 01 Jan 2024 00:00:00 GMT")], 200, "0123456789", nil),
        ]
        for c in cases {
            let r = await s.get("/numbers.txt", [("Range", c.range)] + c.extra)
            #expect(r.status == c.status, "\(c.range) \(c.extra)")
            #expect(r.text == c.body, "\(c.range) \(c.extra)")
            #expect(r.header("Content-Range") == c.contentRange, "\(c.range) \(c.extra)")
            #expect(r.header("Content-Length") == String(c.body.utf8.count), "\(c.range) \(c.extra)")
        }
        let head = await s.get("/numbers.txt", method: "HEAD", [("Range", "bytes=0-3")])
        #expect(head.status == 200 && head.header("Content-Length") == "10", "a Range on HEAD is ignored")
        #expect(await s.get("/numbers.txt", [("Range", "bytes=0-3"), ("If-None-Match", etag)]).status == 304)
    }
}

// MARK: - Nothing outside the root

@Suite(.serialized) struct FileServerTraversalTests {
    static let attempts: [String] = [
        "/../etc/passwd", "/../../etc/passwd", "/%2e%2e/etc/passwd", "/%2E%2E/%2E%2E/etc/passwd", "/.%2e/etc/passwd",
        "/%252e%252e/etc/passwd", "/%252e%252e%252fetc%252fpasswd", "/..%2fetc%2fpasswd", "/..%2Fetc/passwd",
        "/sub/..%2f..%2fetc/passwd", "/sub/../../etc/passwd", "/..\\etc\\passwd", "/..%5c..%5cetc%5cpasswd", "/%5c..%5cetc/passwd",
        "/hello.txt%00.html", "/%00", "/..%00/etc/passwd", "/%c0%ae%c0%ae/etc/passwd", "/%e0%80%ae%e0%80%ae/etc/passwd",
        "/%zz/etc/passwd", "/escape.txt", "/escape-dir/secret.txt", "/escape-dir/", "/sub/up/etc/passwd", "/sub/up/outside/secret.txt",
        "/.secret", "/%2esecret", "/sub/../.secret", "//etc/passwd", "/static/../etc/passwd", "/static/%2e%2e/etc/passwd",
        "/static/..%5cetc%5cpasswd",
    ]

    @Test func traversalAttemptsGet404Or400() async throws {
        let tree = SiteTree()
        defer { tree.remove() }
        let s = await FileServerUnderTest.start("""
            Add-KrFileServerMiddleware -RequestPath '/' -RootPath '\(tree.root)' -EnableDirectoryBrowsing
            Add-KrFileServerMiddleware -RequestPath '/static' -RootPath '\(tree.root)' -EnableDirectoryBrowsing
            """)
        defer { s.stop() }
        for target in FileServerTraversalTests.attempts {
            let r = await s.get(target)
            #expect([400, 404].contains(r.status), "\(target) gave \(r.status)")
            #expect(!r.text.contains("TOP SECRET") && !r.text.contains("hidden file"), "\(target) leaked: \(r.text)")
        }
        // What is inside the root still works, symlinks within it included.
        #expect(await s.get("/link-inside.txt").text == "Hello, file server!")
        #expect(await s.get("/sub/./a.txt").text == "in sub")
        #expect(await s.get("/%68ello.txt").text == "Hello, file server!", "percent-encoded names are decoded once")
        #expect(await s.get("/a%5Cb.txt").status == 404, "'\\' is a separator, not part of a name")
        #expect(await s.get("/static/sub/a.txt").text == "in sub")
    }
}

// MARK: - The pieces on their own

@Suite struct FileServerUnitTests {
    @Test(arguments: [
        ("/a/b.txt", ["a", "b.txt"], false), ("/a//b/", ["a", "b"], true), ("/./a", ["a"], false), ("/", [], true),
        ("/a\\b", ["a", "b"], false), ("/%61%2Fb", ["a", "b"], false), ("/%252e%252e", ["%2e%2e"], false),
    ])
    func requestPathsBecomeSegments(_ raw: String, _ segments: [String], _ slash: Bool) {
        #expect(RequestTarget.classify(rawPath: raw, mount: []) == .inside(segments: segments, trailingSlash: slash))
    }

    @Test func refusedRequestPaths() {
        #expect(RequestTarget.classify(rawPath: "/x/../y", mount: []) == .traversal)
        #expect(RequestTarget.classify(rawPath: "/%2e%2e/y", mount: []) == .traversal)
        #expect(RequestTarget.classify(rawPath: "/a%00", mount: []) == .badRequest)
        #expect(RequestTarget.classify(rawPath: "/a%2", mount: []) == .badRequest)
        #expect(RequestTarget.classify(rawPath: "/%ff", mount: []) == .badRequest)
        #expect(RequestTarget.classify(rawPath: "/other/%zz", mount: ["static"]) == .outside)
        #expect(RequestTarget.classify(rawPath: "/Static/x", mount: ["static"]) == .inside(segments: ["x"], trailingSlash: false))
        #expect(RequestTarget.classify(rawPath: "/staticx", mount: ["static"]) == .outside)
    }

    @Test(arguments: [
        ("bytes=0-0", 5, ByteRange.partial(0...0)), ("bytes=4-", 5, .partial(4...4)), ("bytes=-2", 5, .partial(3...4)),
        ("bytes=5-", 5, .unsatisfiable), ("bytes=0-", 0, .unsatisfiable), ("bytes=99999999999999999999-", 5, .unsatisfiable),
        ("bytes=0-99999999999999999999", 5, .partial(0...4)), ("BYTES = 1-2", 5, .partial(1...2)), ("bytes=1-2, 3-4", 5, .whole),
        ("bytes=", 5, .whole), ("bytes=-", 5, .whole), ("bytes=+1-2", 5, .whole),
    ])
    func byteRanges(_ header: String, _ length: Int, _ expected: ByteRange) {
        #expect(ByteRange.evaluate(header, length: length) == expected)
    }

    @Test func contentTypeLookup() {
        let m = ContentTypeMap().merging([("yaml", "application/x-yaml"), (".css", " "), ("", "x/y")])
        #expect(m.contentType(forFileName: "a.YAML") == "application/x-yaml")
        #expect(m.contentType(forFileName: "site.css") == "text/css", "blank types do not replace defaults")
        #expect(m.contentType(forFileName: "archive.tar.gz") == "application/x-gzip")
        #expect(m.contentType(forFileName: "Makefile") == nil)
        #expect(m.contentType(forFileName: "trailing.") == nil)
    }
}

// MARK: - Revalidation (shared with Test-KrCacheRevalidation)

@Suite struct RevalidationTests {
    static let lastModified = Date(timeIntervalSince1970: 784_111_777) // Sun, 06 Nov 1994 08:49:37 GMT

    @Test func httpDatesPrintAsIMFFixdateAndParseInAllThreeForms() {
        #expect(Revalidation.httpDate(RevalidationTests.lastModified) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(Revalidation.httpDate(Date(timeIntervalSince1970: 784_111_777.9)) == "Sun, 06 Nov 1994 08:49:37 GMT")
        for text in ["Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994", "  Sun, 06 Nov 1994 08:49:37 GMT "] {
            #expect(Revalidation.parseHTTPDate(text) == RevalidationTests.lastModified, "\(text)")
        }
        for bad in ["", "yesterday", "Sun, 06 Nov 1994 08:49:37", "Sun, 06 Nov 1994 08:49:37 PST", "Sun, 31 Feb 1994 08:49:37 GMT",
                    "Sun, 06 Nov 1994 24:00:00 GMT", "Sun, 6 Nov 1994 08:49:37 GMT", "Xyz, 06 Nov 1994 08:49:37 GMT", "1994-11-06T08:49:37Z"] {
            #expect(Revalidation.parseHTTPDate(bad) == nil, "\(bad)")
        }
    }

    @Test func entityTagsAndLists() {
        #expect(Revalidation.parseTagCondition("*") == .any)
        #expect(Revalidation.parseTagCondition("\"a\", W/\"b\",\"c,d\"") == .tags([.init("a"), .init("b", weak: true), .init("c,d")]))
        #expect(Revalidation.parseTagCondition("a, b") == nil)
        #expect(Revalidation.parseTagCondition("\"a\" \"b\"") == nil)
        #expect(Revalidation.parseTagCondition("") == nil)
        #expect(Revalidation.EntityTag(lenient: "v2").description == "\"v2\"")
        #expect(Revalidation.EntityTag(lenient: "W/\"v2\"").description == "W/\"v2\"")
        #expect(Revalidation.EntityTag("x", weak: true).matchesWeakly(.init("x")))
        #expect(!Revalidation.EntityTag("x", weak: true).matchesStrongly(.init("x")))
    }

    static let conditions: [(method: String, headers: [(String, String)], outcome: Revalidation.Outcome)] = [
        ("GET", [], .proceed),
        ("GET", [("If-None-Match", "\"v1\"")], .notModified),
        ("get", [("if-none-match", "W/\"v1\"")], .notModified),
        ("HEAD", [("If-None-Match", "\"x\", \"v1\"")], .notModified),
        ("GET", [("If-None-Match", "\"x\""), ("If-None-Match", "\"v1\"")], .notModified),
        ("GET", [("If-None-Match", "*")], .notModified),
        ("POST", [("If-None-Match", "\"v1\"")], .preconditionFailed),
        ("POST", [("If-Modified-Since", "Sun, 06 Nov 1994 08:49:37 GMT")], .proceed),
        ("GET", [("If-None-Match", "\"x\""), ("If-Modified-Since", "Sun, 06 Nov 1994 08:49:37 GMT")], .proceed),
        ("GET", [("If-None-Match", "garbage"), ("If-Modified-Since", "Sun, 06 Nov 1994 08:49:37 GMT")], .notModified),
        ("GET", [("If-Modified-Since", "Sun, 06 Nov 1994 08:49:36 GMT")], .proceed),
        ("GET", [("If-Modified-Since", "Mon, 07 Nov 1994 00:00:00 GMT")], .notModified),
        ("GET", [("If-Match", "*")], .proceed),
        ("PUT", [("If-Match", "\"v1\"")], .proceed),
        ("PUT", [("If-Match", "W/\"v1\"")], .preconditionFailed),
        ("PUT", [("If-Match", "garbage")], .preconditionFailed),
        ("PUT", [("If-Unmodified-Since", "Sat, 05 Nov 1994 00:00:00 GMT")], .preconditionFailed),
        ("PUT", [("If-Match", "\"v1\""), ("If-Unmodified-Since", "Sat, 05 Nov 1994 00:00:00 GMT")], .proceed),
        ("GET", [("If-Match", "\"x\""), ("If-None-Match", "\"v1\"")], .preconditionFailed),
    ]

    @Test(arguments: conditions)
    func preconditionsFollowRFC9110Order(_ method: String, _ headers: [(String, String)], _ outcome: Revalidation.Outcome) {
        let now = Date(timeIntervalSince1970: 800_000_000)
        #expect(Revalidation.evaluate(method: method, requestHeaders: headers, etag: "\"v1\"", lastModified: RevalidationTests.lastModified.addingTimeInterval(0.5), now: now) == outcome)
    }

    @Test func withoutValidatorsOnlyWildcardsMatch() {
        #expect(Revalidation.evaluate(method: "GET", requestHeaders: [("If-None-Match", "\"v1\"")], etag: nil, lastModified: nil) == .proceed)
        #expect(Revalidation.evaluate(method: "GET", requestHeaders: [("If-None-Match", "*")], etag: nil, lastModified: nil) == .notModified)
        #expect(Revalidation.evaluate(method: "GET", requestHeaders: [("If-Modified-Since", "Sun, 06 Nov 1994 08:49:37 GMT")], etag: nil, lastModified: nil) == .proceed)
        #expect(Revalidation.evaluate(method: "GET", requestHeaders: [("If-None-Match", "\"v2\"")], etag: "v2", lastModified: nil) == .notModified,
                "a bare etag is quoted")
    }

    @Test func ifRange() {
        let lm = RevalidationTests.lastModified
        func allowed(_ v: String, now: Date = Date()) -> Bool {
            Revalidation.rangeAllowed(requestHeaders: [("If-Range", v)], etag: "\"v1\"", lastModified: lm, now: now)
        }
        #expect(Revalidation.rangeAllowed(requestHeaders: [], etag: nil, lastModified: nil))
        #expect(allowed("\"v1\""))
        #expect(!allowed("W/\"v1\""))
        #expect(!allowed("\"v2\""))
        #expect(allowed("Sun, 06 Nov 1994 08:49:37 GMT"))
        #expect(!allowed("Sun, 06 Nov 1994 08:49:38 GMT"))
        #expect(!allowed("Sun, 06 Nov 1994 08:49:37 GMT", now: lm.addingTimeInterval(0.5)), "a date less than a second old is weak")
        #expect(!allowed("garbage"))
    }
}
