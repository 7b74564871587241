// The reference for bench/http.sh: the same endpoints as bench/http/server.ps1, byte for byte
// (status, headers other than Date and Age, body), served by plain Hummingbird with no scripting and
// no cache in the way. What krsh reaches against this is the cost of the script layer (or, on
// /cached, of the response cache's hit path).
//
//   krsh-http-reference [PORT]      (default 5000; prints "Now listening on: http://127.0.0.1:PORT")
import Foundation
import Hummingbird
import Logging
import Synchronization

let port = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 5000

/// The shared visit counter (what `Update-KrSynchronizedCounter -Table $Visits -Key Count -By 1` does).
final class Visits: Sendable {
    private let count = Atomic<Int>(0)
    func increment() -> Int { count.wrappingAdd(1, ordering: .relaxed).newValue }
}
let visits = Visits()

func response(_ text: String, _ contentType: String) -> Response {
    var h = HTTPFields()
    h[.contentType] = contentType
    return Response(status: .ok, headers: h, body: .init(byteBuffer: ByteBuffer(string: text)))
}

let router = Router()
// GET /hello: `Write-KrTextResponse 'Hello, World!'`.
router.get("/hello") { _, _ in
    response("Hello, World!", "text/plain; charset=utf-8")
}
// POST /visit: `Write-KrJsonResponse @{ visits = $Visits.Count }`, ConvertTo-Json's layout.
router.post("/visit") { _, _ in
    let n = visits.increment()
    return response("{\n  \"visits\": \(n)\n}", "application/json; charset=utf-8")
}

// GET /cached: what krsh's route answers (`Add-KrCacheResponse -Public -MaxAge 60;
// Write-KrTextResponse 'Hello from the cache!'`), which its response cache then replays.
router.get("/cached") { _, _ in
    var r = response("Hello from the cache!", "text/plain; charset=utf-8")
    r.headers[.cacheControl] = "public, max-age=60"
    return r
}

var logger = Logger(label: "krsh-http-reference")
logger.logLevel = .critical
let app = Application(
    router: router,
    // krsh's defaults: HTTP/1.1, keep-alive idle timeout 130 s (Kestrel's), no Server header.
    server: .http1(configuration: .init(idleTimeout: .seconds(130))),
    configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: nil, reuseAddress: true),
    onServerRunning: { _ in
        FileHandle.standardOutput.write(Data("Now listening on: http://127.0.0.1:\(port)\n".utf8))
    },
    logger: logger
)
try await app.runService()
