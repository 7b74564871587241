import Foundation
import Hummingbird
import KrScript
import Logging
import NIOCore
import ServiceLifecycle
import HTTPTypes

/// The HTTP engine: one Hummingbird application per endpoint, all sharing one responder, run in
/// the background so the shell's prompt stays live.
final class KrServerEngine: @unchecked Sendable {
    let host: KrHost
    let endpoints: [Endpoint]
    let limits: ServerLimits
    private var task: Task<Void, Never>?
    private var groups: [ServiceGroup] = []
    private let stopped = DispatchSemaphore(value: 0)
    /// Entered per endpoint while its server runs; empty once every connection has drained.
    private let running = DispatchGroup()
    private let lock = NSLock()
    private var isStopped = false

    init(host: KrHost, endpoints: [Endpoint], limits: ServerLimits) {
        self.host = host
        self.endpoints = endpoints
        self.limits = limits
    }

    /// Starts every endpoint and waits until each listens; a bind failure stops the others and throws.
    func start() throws -> [String] {
        let ready = DispatchSemaphore(value: 0)
        let failure = LockedBox<Error?>(nil)
        let responder = KrResponder(host: host, limits: limits)
        var logger = Logger(label: "krsh.http")
        logger.logLevel = .critical
        var apps: [ServiceGroup] = []
        let headersTimeout = limits.requestHeadersTimeout
        for ep in endpoints {
            let app = Application(
                responder: responder,
                // HTTP/1 only: KrResponder.respond relies on it to skip reading absent bodies.
                server: .http1(configuration: .init(
                    additionalChannelHandlers: RequestHeadersTimeout.handlers(seconds: headersTimeout),
                    idleTimeout: .seconds(Int64(limits.keepAliveTimeout)))),
                configuration: .init(address: .hostname(ep.host, port: ep.port), serverName: nil, reuseAddress: true),
                onServerRunning: { _ in ready.signal() },
                logger: logger
            )
            apps.append(ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger)))
        }
        lock.lock()
        groups = apps
        lock.unlock()
        for (ep, group) in zip(endpoints, apps) {
            running.enter()
            Task.detached { [running] in
                defer { running.leave() }
                do {
                    try await group.run()
                } catch {
                    failure.set(KrHostError("Cannot listen on \(ep.url): \(KrServerEngine.describe(error))"))
                    ready.signal()
                }
            }
        }
        for _ in endpoints {
            if ready.wait(timeout: .now() + 15) == .timedOut {
                failure.set(failure.get() ?? KrHostError("The server did not start listening within 15 seconds."))
                break
            }
            if failure.get() != nil { break }
        }
        if let e = failure.get() {
            stop()
            throw e
        }
        return endpoints.map(\.url)
    }

    static func describe(_ error: Error) -> String {
        let text = "\(error)"
        if text.contains("Address already in use") || text.contains("EADDRINUSE") || text.contains("errno: 98") {
            return "the address is already in use"
        }
        return text
    }

    /// Graceful stop: listeners close, in-flight requests complete, then the tasks end.
    func stop() {
        lock.lock()
        let gs = groups
        let already = isStopped
        isStopped = true
        lock.unlock()
        guard !already else { return }
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            for g in gs { await g.triggerGracefulShutdown() }
            done.signal()
        }
        _ = done.wait(timeout: .now() + 30)
        // Graceful shutdown closes the listeners at once but lets requests in flight finish:
        // wait for the servers to end (bounded, so a stuck route cannot hold the shell forever).
        _ = running.wait(timeout: .now() + 60)
        stopped.signal()
    }

    func waitUntilStopped() {
        stopped.wait()
        stopped.signal()
    }
}

/// A small lock-protected box.
final class LockedBox<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: T
    init(_ v: T) { value = v }
    func get() -> T { lock.lock(); defer { lock.unlock() }; return value }
    func set(_ v: T) { lock.lock(); value = v; lock.unlock() }
}

/// Turns Hummingbird requests into KrRequests, runs the middleware and the route, and turns the
/// KrResponse back into a Hummingbird response.
struct KrResponder: HTTPResponder {
    typealias Context = BasicRequestContext
    let host: KrHost
    let limits: ServerLimits

    func respond(to request: Request, context: BasicRequestContext) async throws -> Response {
        let started = DispatchTime.now().uptimeNanoseconds
        var headers: [(String, String)] = []
        headers.reserveCapacity(request.headers.count)
        var headerBytes = 0
        // HTTP/1.1: a request has a body only with Content-Length (not 0) or Transfer-Encoding, so
        // the others skip awaiting the body stream. (HTTP/2 bodies need no Content-Length: an
        // HTTP/2 server must collect always.)
        var mayHaveBody = false
        for f in request.headers {
            let name = f.name.rawName
            headers.append((name, f.value))
            headerBytes += name.utf8.count + f.value.utf8.count + 4
            if f.name == .transferEncoding || (f.name == .contentLength && f.value != "0") { mayHaveBody = true }
        }
        if headerBytes > limits.maxRequestHeadersTotalSize {
            return KrResponder.plain(431, "Request Header Fields Too Large")
        }
        var body: [UInt8] = []
        if mayHaveBody {
            do {
                let buffer = try await request.body.collect(upTo: limits.maxRequestBodySize)
                body = Array(buffer.readableBytesView)
            } catch {
                return KrResponder.plain(413, "Payload Too Large")
            }
        }
        let krRequest = KrRequest(
            method: request.method.rawValue,
            path: request.uri.path,
            queryString: request.uri.query ?? "",
            headers: headers,
            body: body,
            remoteAddress: ""
        )
        let response = await host.respond(krRequest)
        let elapsed = DispatchTime.now().uptimeNanoseconds &- started
        host.logger.log(.information, "\(krRequest.method) \(krRequest.path) -> \(response.statusCode) in \(KrResponder.milliseconds(elapsed)) ms")
        return KrResponder.convert(response, isHead: request.method == .head)
    }

    /// Nanoseconds as milliseconds with one decimal, like `String(format: "%.1f")` (which costs a
    /// Foundation format per request).
    static func milliseconds(_ ns: UInt64) -> String {
        let tenths = (ns + 50_000) / 100_000
        return "\(tenths / 10).\(tenths % 10)"
    }

    static func plain(_ status: Int, _ text: String) -> Response {
        var h = HTTPFields()
        h[.contentType] = "text/plain; charset=utf-8"
        return Response(status: .init(code: status), headers: h, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func convert(_ r: KrResponse, isHead: Bool) -> Response {
        var fields: HTTPFields
        var body: ByteBuffer
        if let wire = r.wireParts {
            // A cache hit: the stored fields and body, plus what was added (Age).
            fields = wire.fields
            append(wire.added, to: &fields)
            body = wire.body
        } else {
            fields = Self.fields(r.headers)
            body = ByteBuffer(bytes: r.body)
        }
        if isHead {
            fields[.contentLength] = String(body.readableBytes)
            return Response(status: .init(code: r.statusCode), headers: fields, body: .init())
        }
        return Response(status: .init(code: r.statusCode), headers: fields, body: .init(byteBuffer: body))
    }

    /// Header pairs as HTTPFields (names that are not valid field names are left out).
    static func fields(_ pairs: [(String, String)]) -> HTTPFields {
        var fields = HTTPFields()
        append(pairs, to: &fields)
        return fields
    }

    private static func append(_ pairs: [(String, String)], to fields: inout HTTPFields) {
        for (name, value) in pairs {
            // The common case without validating the name again.
            if name == "Content-Type" {
                fields.append(HTTPField(name: .contentType, value: value))
            } else if let n = HTTPField.Name(name) {
                fields.append(HTTPField(name: n, value: value))
            }
        }
    }
}
