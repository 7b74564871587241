import Foundation

/// The Cache-Control directives as data: parsed and printed in one place. Printing follows
/// ASP.NET Core's CacheControlHeaderValue order: no-store, no-transform, only-if-cached, public,
/// must-revalidate, proxy-revalidate, no-cache, max-age, s-maxage, max-stale, min-fresh, private.
public struct CacheControl: Sendable, Equatable {
    public var noStore = false
    public var noTransform = false
    public var onlyIfCached = false
    public var isPublic = false
    public var mustRevalidate = false
    public var proxyRevalidate = false
    public var noCache = false
    public var maxAge: Int?
    public var sharedMaxAge: Int?
    /// `max-stale` (with no value: any staleness) and its limit.
    public var maxStale = false
    public var maxStaleLimit: Int?
    public var minFresh: Int?
    public var isPrivate = false
    /// Directives this model does not know, kept as written.
    public var extensions: [String] = []

    public init() {}

    public var isEmpty: Bool { self == CacheControl() }

    /// The header value, directives in ASP.NET's order.
    public var headerValue: String {
        var parts: [String] = []
        if noStore { parts.append("no-store") }
        if noTransform { parts.append("no-transform") }
        if onlyIfCached { parts.append("only-if-cached") }
        if isPublic { parts.append("public") }
        if mustRevalidate { parts.append("must-revalidate") }
        if proxyRevalidate { parts.append("proxy-revalidate") }
        if noCache { parts.append("no-cache") }
        if let m = maxAge { parts.append("max-age=\(m)") }
        if let s = sharedMaxAge { parts.append("s-maxage=\(s)") }
        if maxStale { parts.append(maxStaleLimit.map { "max-stale=\($0)" } ?? "max-stale") }
        if let f = minFresh { parts.append("min-fresh=\(f)") }
        if isPrivate { parts.append("private") }
        parts.append(contentsOf: extensions)
        return parts.joined(separator: ", ")
    }

    /// Parses a Cache-Control header (RFC 9111 §5.2: comma-separated, case-insensitive names,
    /// optional quoted arguments). Unparseable numbers are ignored, as caches must.
    public static func parse(_ header: String?) -> CacheControl {
        var c = CacheControl()
        guard let header else { return c }
        for raw in splitDirectives(header) {
            let d = raw.trimmingCharacters(in: .whitespaces)
            if d.isEmpty { continue }
            let pieces = d.split(separator: "=", maxSplits: 1).map { String($0).trimmingCharacters(in: .whitespaces) }
            let name = pieces[0].lowercased()
            var arg = pieces.count > 1 ? pieces[1] : nil
            if let a = arg, a.hasPrefix("\""), a.hasSuffix("\""), a.count >= 2 { arg = String(a.dropFirst().dropLast()) }
            let seconds = arg.flatMap { Int($0) }.map { max(0, $0) }
            switch name {
            case "no-store": c.noStore = true
            case "no-transform": c.noTransform = true
            case "only-if-cached": c.onlyIfCached = true
            case "public": c.isPublic = true
            case "must-revalidate": c.mustRevalidate = true
            case "proxy-revalidate": c.proxyRevalidate = true
            case "no-cache": c.noCache = true
            case "max-age": if let s = seconds { c.maxAge = s }
            case "s-maxage": if let s = seconds { c.sharedMaxAge = s }
            case "max-stale":
                c.maxStale = true
                c.maxStaleLimit = seconds
            case "min-fresh": if let s = seconds { c.minFresh = s }
            case "private": c.isPrivate = true
            default: c.extensions.append(d)
            }
        }
        return c
    }

    /// Splits on commas outside quoted strings.
    private static func splitDirectives(_ s: String) -> [String] {
        var out: [String] = []
        var cur = ""
        var quoted = false
        for ch in s {
            if ch == "\"" { quoted.toggle() }
            if ch == "," && !quoted { out.append(cur); cur = "" } else { cur.append(ch) }
        }
        out.append(cur)
        return out
    }
}
