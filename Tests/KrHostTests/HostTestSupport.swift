import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
@testable import KrHost
@testable import KrScript

/// Collects what a script prints.
final class CollectingSink: OutputSink, @unchecked Sendable {
    private let lock = NSLock()
    private var out = "", err = ""
    func writeOut(_ text: String) { lock.lock(); out += text; lock.unlock() }
    func writeErr(_ text: String) { lock.lock(); err += text; lock.unlock() }
    var stdout: String { lock.lock(); defer { lock.unlock() }; return out }
    var stderr: String { lock.lock(); defer { lock.unlock() }; return err }
}

/// A script engine with the Kr cmdlets, as krsh builds it.
func makeEngine() -> (ScriptEngine, CollectingSink) {
    let sink = CollectingSink()
    let table = ScriptEngine.makeCommandTable()
    KrHostModule.register(into: table)
    return (ScriptEngine(sink: sink, commands: table), sink)
}

/// A TCP port nothing listens on right now (bound to 127.0.0.1:0, read, released).
func freePort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    addr.sin_port = 0
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
    _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
    return Int(UInt16(bigEndian: addr.sin_port))
}

struct HTTPResult: Sendable {
    let status: Int
    let headers: [String: String]
    let body: String
}

/// A client session that allows many connections at once (URLSession.shared allows 6 per host).
let testSession: URLSession = {
    let config = URLSessionConfiguration.ephemeral
    config.httpMaximumConnectionsPerHost = 64
    config.requestCachePolicy = .reloadIgnoringLocalCacheData
    return URLSession(configuration: config)
}()

/// One HTTP request over a real socket to 127.0.0.1 (blocks the calling thread).
func httpSync(_ method: String, _ url: String, body: String? = nil, headers: [String: String] = [:], timeout: Double = 20) -> HTTPResult {
    var req = URLRequest(url: URL(string: url)!, timeoutInterval: timeout)
    req.httpMethod = method
    for (k, v) in headers { req.setValue(v, forHTTPHeaderField: k) }
    if let body { req.httpBody = Data(body.utf8) }
    let done = DispatchSemaphore(value: 0)
    let result = LockedBox<HTTPResult>(HTTPResult(status: 0, headers: [:], body: ""))
    let task = testSession.dataTask(with: req) { data, resp, _ in
        let h = resp as? HTTPURLResponse
        var hs: [String: String] = [:]
        for (k, v) in h?.allHeaderFields ?? [:] { hs[String(describing: k).lowercased()] = String(describing: v) }
        result.set(HTTPResult(status: h?.statusCode ?? 0, headers: hs, body: data.map { String(decoding: $0, as: UTF8.self) } ?? ""))
        done.signal()
    }
    task.resume()
    done.wait()
    return result.get()
}

/// Strings appended from several threads.
final class Collector: @unchecked Sendable {
    private let lock = NSLock()
    private var _items: [String] = []
    func append(_ s: String) { lock.lock(); _items.append(s); lock.unlock() }
    var items: [String] { lock.lock(); defer { lock.unlock() }; return _items }
}

/// Runs blocking work on its own thread while the test task waits without holding one of Swift
/// concurrency's few threads: the server inside the engine needs those to answer.
func offPool<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { cont in
        let t = Thread { cont.resume(returning: body()) }
        t.stackSize = 8 << 20
        t.start()
    }
}

func http(_ method: String, _ url: String, body: String? = nil, headers: [String: String] = [:], timeout: Double = 20) async -> HTTPResult {
    await offPool { httpSync(method, url, body: body, headers: headers, timeout: timeout) }
}

/// `count` requests at once, each on its own thread; their statuses and bodies.
func concurrentRequests(_ count: Int, _ method: String, _ url: String) async -> [HTTPResult] {
    await offPool {
        let results = LockedBox<[HTTPResult]>([])
        let lock = NSLock()
        let group = DispatchGroup()
        for _ in 0..<count {
            group.enter()
            Thread {
                let r = httpSync(method, url)
                lock.lock()
                results.set(results.get() + [r])
                lock.unlock()
                group.leave()
            }.start()
        }
        group.wait()
        return results.get()
    }
}

extension ScriptEngine {
    /// runScript off the concurrency pool (see offPool).
    func run(_ source: String, file: String = "t.ps1") async -> RunOutcome {
        await offPool { self.runScript(source: source, file: file, scriptRoot: "/tmp", arguments: []) }
    }

    func interact(_ source: String) async -> RunOutcome {
        await offPool { self.runInteractive(source: source) }
    }
}
