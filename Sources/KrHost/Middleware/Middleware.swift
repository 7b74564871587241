import Foundation

/// One step of the request pipeline: sees the request before routing and the response after.
/// Middleware are values added in order (Add-KrFileServerMiddleware, Add-KrCacheMiddleware); the
/// first added is the outermost.
public protocol KrMiddleware: Sendable {
    func handle(_ request: KrRequest, next: @Sendable (KrRequest) async -> KrResponse) async -> KrResponse
}

/// The host's ordered middleware list, safe to extend while the server runs.
public final class MiddlewarePipeline: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [KrMiddleware] = []

    public init() {}

    public func add(_ m: KrMiddleware) {
        lock.lock()
        items.append(m)
        lock.unlock()
    }

    public var all: [KrMiddleware] {
        lock.lock()
        defer { lock.unlock() }
        return items
    }

    /// Runs the request through every middleware, then `terminal` (the route table).
    func run(_ request: KrRequest, terminal: @escaping @Sendable (KrRequest) async -> KrResponse) async -> KrResponse {
        let chain = all
        if chain.isEmpty { return await terminal(request) }
        return await MiddlewarePipeline.step(chain[...], request, terminal)
    }

    private static func step(_ rest: ArraySlice<KrMiddleware>, _ request: KrRequest,
                             _ terminal: @escaping @Sendable (KrRequest) async -> KrResponse) async -> KrResponse {
        guard let first = rest.first else { return await terminal(request) }
        let remaining = rest.dropFirst()
        return await first.handle(request) { r in await step(remaining, r, terminal) }
    }
}

extension KrHost {
    /// The whole answer to a request: middleware, then the routes.
    func respond(_ request: KrRequest) async -> KrResponse {
        await middleware.run(request) { r in await self.handle(r) }
    }
}
