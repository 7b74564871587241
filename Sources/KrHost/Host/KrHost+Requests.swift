import Foundation
import KrScript

extension KrHost {
    /// Answers one request: route lookup, then the route's script on a runspace.
    func handle(_ request: KrRequest) async -> KrResponse {
        switch routes.match(method: request.method, path: request.path) {
        case .notFound:
            return KrHost.errorResponse(404, "Not Found")
        case .methodNotAllowed(let allowed):
            let r = KrHost.errorResponse(405, "Method Not Allowed")
            r.setHeader("Allow", allowed.joined(separator: ", "))
            return r
        case .found(let route, let values):
            request.routeValues = values
            let ctx = KrContext(request: request, host: self)
            let outcome = await pool.run { rs in self.execute(route, ctx, rs) }
            return outcome
        }
    }

    /// Runs a route's script in a runspace; any error before a response was written gives a 500
    /// whose body says nothing of the script (the details go to the log).
    func execute(_ route: Route, _ ctx: KrContext, _ rs: Runspace) -> KrResponse {
        let shared = sharedState.snapshot
        var vars: [(String, Value)] = implicitVariables
        vars.reserveCapacity(vars.count + shared.count + route.arguments.count + 1)
        for e in shared { vars.append((e.name, e.value)) }
        vars.append(contentsOf: route.arguments)
        vars.append(("Context", .object(ctx)))
        rs.context.hostData[KrHostKeys.context] = ctx
        defer { rs.context.hostData[KrHostKeys.context] = nil }
        do {
            try rs.context.runIsolated(route.scriptBlock, variables: vars, functions: functions)
        } catch let e as HTTPStatusError {
            if !ctx.response.hasBody { return KrHost.errorResponse(e.status, e.message) }
        } catch where HTTPStatusError.status(of: error) != nil {
            let (message, _) = HostSupport.describe(error)
            if !ctx.response.hasBody, let s = HTTPStatusError.status(of: error) { return KrHost.errorResponse(s, message) }
        } catch {
            let (message, location) = HostSupport.describe(error)
            logger.log(.error, "Route \(route.verbs.joined(separator: ",")) \(route.pattern) failed at \(location ?? route.source): \(message)")
            if !ctx.response.hasBody { return KrHost.errorResponse(500, "Internal Server Error") }
        }
        if !ctx.response.hasBody && ctx.response.statusCode == 200 && ctx.response.body.isEmpty {
            // A route that wrote nothing answers 204-free empty 200, as Kestrun does.
            return ctx.response
        }
        return ctx.response
    }

    static func errorResponse(_ status: Int, _ text: String) -> KrResponse {
        let r = KrResponse()
        r.write(Array(text.utf8), status: status, contentType: "text/plain; charset=utf-8")
        return r
    }
}

/// An error that maps to an HTTP status (a malformed JSON body is 400).
struct HTTPStatusError: Error {
    let status: Int
    let message: String

    /// Cmdlet errors with an id `HttpNNN` (e.g. a malformed body from Get-KrRequestBody) answer NNN.
    static func status(of error: Error) -> Int? {
        guard let id = HostValues.errorId(error), id.hasPrefix("Http"), let n = Int(id.dropFirst(4)), (400...599).contains(n) else { return nil }
        return n
    }
}
