import Foundation

/// Why the response cache did not use its store, or did not store a response. The raw value is
/// the name Get-KrCacheStatistic counts it under; `CachePolicy` builds the sentence that says why.
public enum CacheRefusal: String, CaseIterable, Sendable {
    // The request keeps the cache out.
    case method = "Method"
    case authorization = "Authorization"
    case requestNoCache = "RequestNoCache"
    case requestNoStore = "RequestNoStore"
    // The response cannot be stored.
    case head = "Head"
    case status = "Status"
    case noStore = "NoStore"
    case noCache = "NoCache"
    case privateResponse = "Private"
    case notPublic = "NotPublic"
    case setCookie = "SetCookie"
    case varyStar = "VaryStar"
    case alreadyStale = "AlreadyStale"
    case bodyTooLarge = "BodyTooLarge"
    case entryTooLarge = "EntryTooLarge"
}

/// A refusal with the sentence the decision log shows.
struct CacheVerdict: Sendable {
    let refusal: CacheRefusal
    let text: String
}

/// How long a response stays fresh and what said so (RFC 9111 §4.2.1).
struct CacheFreshness: Sendable {
    /// Seconds the response is fresh for, counted from its generation.
    let lifetime: TimeInterval
    /// `s-maxage=60`, `max-age=60`, `Expires`, or the heuristic.
    let source: String
    /// The response's age when it arrived (RFC 9111 §4.2.3 corrected_initial_age).
    let initialAge: TimeInterval
}

/// Whether a stored response may answer a request (RFC 9111 §4.2, §5.2.1).
enum CacheUsability: Equatable {
    case fresh
    /// Stale, but the request's max-stale accepts it.
    case staleAccepted(by: Int)
    case unusable(String)
}

/// The rules of the response cache in one place: ASP.NET Core's ResponseCachingPolicyProvider where
/// it agrees with RFC 9111, the RFC where it does not (query strings are part of the key; unsafe
/// methods invalidate; a stale response is served only within the request's max-stale).
enum CachePolicy {
    /// ASP.NET Core's freshness for a public response that states none.
    static let heuristicLifetime: TimeInterval = 10
    /// How long a stale entry is kept for max-stale requests, at most (then it is purged).
    static let maxStaleRetention: TimeInterval = 60

    /// The request's directives: Cache-Control, else Pragma (RFC 9111 §5.4).
    static func requestDirectives(_ r: KrRequest) -> CacheControl {
        if let cc = field(r, "Cache-Control") { return CacheControl.parse(cc) }
        var c = CacheControl()
        if let p = field(r, "Pragma"), p.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces).lowercased() == "no-cache" }) {
            c.noCache = true
        }
        return c
    }

    /// A request the cache stays out of entirely (no lookup, no storage).
    static func bypass(_ r: KrRequest) -> CacheVerdict? {
        if field(r, "Authorization") != nil { return CacheVerdict(refusal: .authorization, text: "bypassed: request has Authorization") }
        return nil
    }

    /// A request that must not be answered from the store (it may still be stored).
    static func lookupRefusal(_ r: KrRequest, _ cc: CacheControl) -> CacheVerdict? {
        guard cc.noCache else { return nil }
        let via = field(r, "Cache-Control") == nil ? "Pragma no-cache" : "Cache-Control no-cache"
        return CacheVerdict(refusal: .requestNoCache, text: "bypassed: request \(via)")
    }

    /// Whether a response may be stored, and for how long it is fresh. Checks in the order that
    /// explains best: status, no-store, no-cache, private, public, Set-Cookie, Vary, freshness.
    static func storability(method: String, request: CacheControl, response: KrResponse,
                            requestTime: Date, responseTime: Date) -> Result<CacheFreshness, CacheVerdictError> {
        func no(_ r: CacheRefusal, _ why: String) -> Result<CacheFreshness, CacheVerdictError> {
            .failure(CacheVerdictError(CacheVerdict(refusal: r, text: "not stored: " + why)))
        }
        if method == "HEAD" { return no(.head, "HEAD responses are not stored (a stored GET answers HEAD)") }
        if response.statusCode != 200 { return no(.status, "status \(response.statusCode) (only 200 is stored)") }
        if request.noStore { return no(.requestNoStore, "request Cache-Control no-store") }
        let header = response.header("Cache-Control")
        let cc = CacheControl.parse(header)
        if cc.noStore { return no(.noStore, "response Cache-Control no-store") }
        if cc.noCache { return no(.noCache, "response Cache-Control no-cache") }
        if cc.isPrivate { return no(.privateResponse, "response Cache-Control private") }
        if !cc.isPublic {
            return no(.notPublic, header == nil ? "response has no Cache-Control (public is required)" : "response Cache-Control lacks public")
        }
        if response.header("Set-Cookie") != nil { return no(.setCookie, "response has Set-Cookie") }
        if varyNames(response).contains("*") { return no(.varyStar, "response has Vary: *") }
        let f = freshness(response, cc, requestTime: requestTime, responseTime: responseTime)
        if f.lifetime <= f.initialAge {
            let why = f.initialAge >= 1 ? "age \(Int(f.initialAge)) s >= \(f.source)" : f.source
            return no(.alreadyStale, "already stale (\(why))")
        }
        return .success(f)
    }

    /// RFC 9111 §4.2.1 (a shared cache: s-maxage first) and §4.2.3 (the initial age).
    static func freshness(_ response: KrResponse, _ cc: CacheControl, requestTime: Date, responseTime: Date) -> CacheFreshness {
        let date = response.header("Date").flatMap(parseHTTPDate)
        let ageValue = response.header("Age").flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }.map { TimeInterval(max(0, $0)) } ?? 0
        let apparentAge = max(0, responseTime.timeIntervalSince(date ?? responseTime))
        let initialAge = max(apparentAge, ageValue + responseTime.timeIntervalSince(requestTime))
        if let s = cc.sharedMaxAge { return CacheFreshness(lifetime: TimeInterval(s), source: "s-maxage=\(s)", initialAge: initialAge) }
        if let m = cc.maxAge { return CacheFreshness(lifetime: TimeInterval(m), source: "max-age=\(m)", initialAge: initialAge) }
        if let e = response.header("Expires") {
            // An invalid Expires (such as "0") means already expired (RFC 9111 §5.3).
            guard let expires = parseHTTPDate(e) else { return CacheFreshness(lifetime: 0, source: "Expires is not a date", initialAge: initialAge) }
            let lifetime = expires.timeIntervalSince(date ?? responseTime)
            return CacheFreshness(lifetime: max(0, lifetime), source: lifetime > 0 ? "Expires" : "Expires is not in the future", initialAge: initialAge)
        }
        return CacheFreshness(lifetime: heuristicLifetime, source: "default \(Int(heuristicLifetime)) s", initialAge: initialAge)
    }

    /// Whether a stored response of this age may answer a request with these directives.
    static func usability(age: TimeInterval, lifetime: TimeInterval, source: String, stored: CacheControl, request: CacheControl) -> CacheUsability {
        let a = Int(age)
        if let maxAge = request.maxAge, age > TimeInterval(maxAge) {
            return .unusable("request max-age=\(maxAge): stored response is \(a) s old")
        }
        if let minFresh = request.minFresh, lifetime - age < TimeInterval(minFresh) {
            return .unusable("request min-fresh=\(minFresh): \(max(0, Int(lifetime - age))) s of freshness left")
        }
        if lifetime > age { return .fresh }
        let staleness = "stale: age \(a) s, fresh for \(Int(lifetime)) s (\(source))"
        guard request.maxStale else { return .unusable(staleness) }
        if stored.mustRevalidate || stored.proxyRevalidate || stored.sharedMaxAge != nil {
            let which = stored.mustRevalidate ? "must-revalidate" : (stored.proxyRevalidate ? "proxy-revalidate" : "s-maxage")
            return .unusable("\(staleness); \(which) forbids serving it stale")
        }
        let over = age - lifetime
        if let limit = request.maxStaleLimit, over > TimeInterval(limit) {
            return .unusable("\(staleness); stale by \(Int(over)) s > max-stale=\(limit)")
        }
        return .staleAccepted(by: Int(over))
    }

    /// How long a stale entry stays for max-stale requests: as long again as it was fresh, at most
    /// a minute; not at all when it may never be served stale.
    static func retention(lifetime: TimeInterval, stored: CacheControl) -> TimeInterval {
        if stored.mustRevalidate || stored.proxyRevalidate || stored.sharedMaxAge != nil { return 0 }
        return min(lifetime, maxStaleRetention)
    }

    /// The field names of the response's Vary headers, lower-cased (`*` stays `*`).
    static func varyNames(_ response: KrResponse) -> [String] {
        let all = response.headers.filter { Revalidation.sameFieldName($0.0, "Vary") }.map(\.1)
        var seen = Set<String>()
        return all.flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            .filter { !$0.isEmpty && seen.insert($0).inserted }
    }

    /// A request field value as Vary compares it (RFC 9111 §4.1): list members trimmed and joined;
    /// nil when absent.
    static func varyValue(_ request: KrRequest, _ name: String) -> String? {
        guard let v = field(request, name) else { return nil }
        return v.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: ",")
    }

    /// A request field (repeated ones joined with ", "), by the cheap name comparison.
    static func field(_ r: KrRequest, _ name: String) -> String? { Revalidation.header(r.headers, name) }

    /// Unsafe methods invalidate what is stored for their target (RFC 9111 §4.4).
    static func isUnsafe(_ method: String) -> Bool { !["GET", "HEAD", "OPTIONS", "TRACE"].contains(method) }

    /// `70 KB`, `8 MB`, `512 bytes`: sizes as the decision log prints them.
    static func sizeText(_ n: Int) -> String {
        // One decimal below 10 (2.9 KB), whole numbers above (70 KB).
        func unit(_ v: Double, _ u: String) -> String {
            let r = v < 10 ? (v * 10).rounded() / 10 : v.rounded()
            return (r == r.rounded() ? String(Int(r)) : String(format: "%.1f", r)) + " " + u
        }
        if n < 1024 { return "\(n) bytes" }
        if n < 1024 * 1024 { return unit(Double(n) / 1024, "KB") }
        return unit(Double(n) / (1024 * 1024), "MB")
    }
}

/// A refusal carried by `Result`.
struct CacheVerdictError: Error {
    let verdict: CacheVerdict
    init(_ v: CacheVerdict) { verdict = v }
}

// MARK: HTTP dates (RFC 9110 §5.6.7): one implementation, in Revalidation

extension CachePolicy {
    static func parseHTTPDate(_ text: String) -> Date? { Revalidation.parseHTTPDate(text) }
    static func formatHTTPDate(_ date: Date) -> String { Revalidation.httpDate(date) }
}
