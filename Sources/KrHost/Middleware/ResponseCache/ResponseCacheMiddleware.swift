import Foundation

/// Add-KrCacheMiddleware's settings, with ASP.NET Core's defaults.
public struct ResponseCacheOptions: Sendable {
    /// Total bytes the store may hold.
    public var sizeLimit = 100 * 1024 * 1024
    /// Larger bodies are not stored.
    public var maximumBodySize = 64 * 1024 * 1024
    public var useCaseSensitivePaths = false
    /// Given to successful GET/HEAD responses that set no Cache-Control (with `Vary: Accept-Encoding`
    /// when they set no Vary), as Kestrun does.
    public var defaultCacheControl: CacheControl?
    /// How many decisions Get-KrCacheDecision can show.
    public var decisionLogCapacity = 1000

    public init() {}
}

/// The server-side response cache (layer 2 of the caching guide): answers GET and HEAD from the
/// store when it may, otherwise runs the rest of the pipeline and stores what it may. A hit never
/// reaches the route, so never the script engine.
public struct ResponseCacheMiddleware: KrMiddleware {
    public let store: ResponseCacheStore
    public let decisions: CacheDecisionLog
    public let defaultCacheControl: CacheControl?

    public init(_ options: ResponseCacheOptions = ResponseCacheOptions()) {
        store = ResponseCacheStore(sizeLimit: options.sizeLimit, maximumBodySize: options.maximumBodySize,
                                   useCaseSensitivePaths: options.useCaseSensitivePaths)
        decisions = CacheDecisionLog(capacity: options.decisionLogCapacity)
        defaultCacheControl = options.defaultCacheControl.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Fields a cache does not store: hop-by-hop ones (RFC 9110 §7.6.1) and Age, which it recomputes.
    private static let unstored: Set<String> = ["connection", "keep-alive", "proxy-connection", "te", "transfer-encoding", "upgrade", "trailer", "age"]

    public func handle(_ request: KrRequest, next: @Sendable (KrRequest) async -> KrResponse) async -> KrResponse {
        let method = request.method.uppercased()
        let target = request.path + (request.queryString.isEmpty ? "" : "?" + request.queryString)
        let key = store.primaryKey(method: method, path: request.path, query: request.queryString)
        func log(_ status: Int, _ outcome: CacheOutcome, _ text: String, entry: String? = nil, age: Int? = nil) {
            decisions.add(CacheDecision(time: Date(), method: method, path: target, status: status, outcome: outcome, text: text, key: entry, age: age))
        }

        guard method == "GET" || method == "HEAD" else {
            let response = await next(request)
            if CachePolicy.isUnsafe(method), (200..<400).contains(response.statusCode) {
                let n = store.invalidate(store.primaryKey(method: "GET", path: request.path, query: request.queryString))
                if n > 0 {
                    log(response.statusCode, .invalidated, "invalidated: \(method) answered \(response.statusCode); \(n) stored \(n == 1 ? "entry" : "entries") removed")
                    return response
                }
            }
            store.count(.method)
            log(response.statusCode, .bypassed, "bypassed: method \(method) is not cached")
            return response
        }
        if let bypass = CachePolicy.bypass(request) {
            // No default either: a public default would let shared caches downstream store a
            // response to a request with credentials (RFC 9111 §3.5).
            let response = await next(request)
            store.count(bypass.refusal)
            log(response.statusCode, .bypassed, bypass.text)
            return response
        }

        let directives = CachePolicy.requestDirectives(request)
        var lookupNote: String?
        if let refusal = CachePolicy.lookupRefusal(request, directives) {
            store.count(refusal.refusal)
            lookupNote = refusal.text
        } else {
            switch store.lookup(key, request, directives, now: Date()) {
            case .hit(let entry, let age, let usability):
                return serve(entry, age: age, usability: usability, request, log)
            case .miss(let why):
                lookupNote = why
            }
        }
        func explain(_ text: String) -> String { lookupNote.map { "\($0); \(text)" } ?? text }

        if directives.onlyIfCached {
            store.countGatewayTimeout()
            log(504, .gatewayTimeout, explain("only-if-cached and nothing usable is stored: 504"))
            return KrHost.errorResponse(504, "Gateway Timeout")
        }

        let requestTime = Date()
        let response = await next(request)
        let responseTime = Date()
        applyDefaults(to: response)
        switch storeIfAllowed(response, request, method: method, key: key, target: target, directives: directives,
                              requestTime: requestTime, responseTime: responseTime) {
        case .success(let entryKey):
            log(response.statusCode, .stored, explain("stored"), entry: entryKey)
        case .failure(let refusal):
            log(response.statusCode, .notStored, explain(refusal.verdict.text))
        }
        return response
    }

    /// A hit: the stored response with its Age, or 304 when the request's validators match it.
    private func serve(_ e: CacheEntry, age: TimeInterval, usability: CacheUsability, _ request: KrRequest,
                       _ log: (Int, CacheOutcome, String, String?, Int?) -> Void) -> KrResponse {
        let ageValue = Int(age)
        let r = KrResponse()
        var note = ""
        if case .staleAccepted(let by) = usability { note = ", stale by \(by) s (max-stale)" }
        // Age is never stored (`unstored`), so added, not set.
        if let validator = StoredConditional.notModified(request, etag: e.etag, modified: e.validatorDate) {
            for (n, v) in e.notModifiedHeaders { r.addHeader(n, v) }
            r.addHeader("Age", String(ageValue))
            r.write([], status: 304, contentType: nil)
            store.countNotModified()
            log(304, .notModified, "hit: 304 Not Modified (\(validator) matches the stored response)\(note)", e.key, ageValue)
            return r
        }
        r.replay(fields: e.wireFields, body: e.wireBody, status: e.status)
        r.addHeader("Age", String(ageValue))
        log(e.status, .hit, "hit" + note, e.key, ageValue)
        return r
    }

    /// Stores the response when every rule allows it; the stored key, or why not.
    private func storeIfAllowed(_ response: KrResponse, _ request: KrRequest, method: String, key: String, target: String,
                                directives: CacheControl, requestTime: Date, responseTime: Date) -> Result<String, CacheVerdictError> {
        func refuse(_ v: CacheVerdict, counted: Bool = false) -> Result<String, CacheVerdictError> {
            if !counted { store.count(v.refusal) }
            return .failure(CacheVerdictError(v))
        }
        let freshness: CacheFreshness
        switch CachePolicy.storability(method: method, request: directives, response: response, requestTime: requestTime, responseTime: responseTime) {
        case .failure(let e): return refuse(e.verdict)
        case .success(let f): freshness = f
        }
        let body = response.body
        if body.count > store.maximumBodySize {
            return refuse(CacheVerdict(refusal: .bodyTooLarge, text:
                "not stored: body \(CachePolicy.sizeText(body.count)) > MaximumBodySize \(CachePolicy.sizeText(store.maximumBodySize))"))
        }
        // An origin with a clock sends Date (RFC 9110 §6.6.1); validators and Age build on it.
        if response.header("Date") == nil { response.setHeader("Date", CachePolicy.formatHTTPDate(responseTime)) }
        let names = CachePolicy.varyNames(response)
        let values = names.map { CachePolicy.varyValue(request, $0) }
        // `GET /A | Accept-Encoding="gzip" | Accept-Language`: quoted values, a bare name when absent.
        let varyPart = zip(names, values).map { name, value in
            CacheEntry.fieldName(name) + (value.map { "=\"" + $0.replacingOccurrences(of: "\"", with: "\\\"") + "\"" } ?? "")
        }
        let entry = CacheEntry(
            key: ([key] + varyPart).joined(separator: " | "), primaryKey: key, path: target, varyNames: names, varyValues: values,
            status: response.statusCode,
            headers: response.headers.filter { !ResponseCacheMiddleware.unstored.contains($0.0.lowercased()) },
            body: body, cacheControl: CacheControl.parse(response.header("Cache-Control")), freshness: freshness, storedAt: responseTime)
        if let refusal = store.insert(entry, now: responseTime) { return refuse(refusal, counted: true) }
        return .success(entry.key)
    }

    /// Kestrun's default Cache-Control: on successful GET/HEAD responses without Set-Cookie that set
    /// none themselves (and not to requests with Authorization), plus `Vary: Accept-Encoding` when
    /// they vary on nothing.
    private func applyDefaults(to response: KrResponse) {
        guard let cc = defaultCacheControl, (200..<300).contains(response.statusCode), response.header("Set-Cookie") == nil else { return }
        if response.header("Cache-Control") == nil { response.setHeader("Cache-Control", cc.headerValue) }
        if response.header("Vary") == nil { response.setHeader("Vary", "Accept-Encoding") }
    }
}

extension KrHost {
    /// The server's response cache (Add-KrCacheMiddleware), found in its pipeline; nil when none.
    public var responseCache: ResponseCacheMiddleware? {
        middleware.all.lazy.compactMap { $0 as? ResponseCacheMiddleware }.first
    }
}
