import Foundation

/// A conditional GET/HEAD evaluated against a stored response (RFC 9110 §13.1.2, §13.1.3, §13.2.2;
/// RFC 9111 §4.3.2). If-Match and If-Unmodified-Since are left to the origin, which a cache may do.
/// If-Match and If-Unmodified-Since are left to the origin.
enum StoredConditional {
    /// The validator that matched when the request can be answered 304 from a stored response with
    /// this ETag and validator date (CacheEntry's), else nil. The RFC 9110 rules are Revalidation's.
    static func notModified(_ request: KrRequest, etag: String?, modified: Date) -> String? {
        let isINM = { (name: String) in Revalidation.sameFieldName(name, "If-None-Match") }
        let conditional = request.headers.filter { isINM($0.0) || Revalidation.sameFieldName($0.0, "If-Modified-Since") }
        guard !conditional.isEmpty,
              Revalidation.evaluate(method: "GET", requestHeaders: conditional, etag: etag, lastModified: modified) == .notModified else {
            return nil
        }
        return conditional.contains { isINM($0.0) } ? "If-None-Match" : "If-Modified-Since"
    }

    /// The headers a 304 carries (RFC 9110 §15.4.5): Last-Modified only when there is no ETag.
    static func headersFor304(_ stored: [(String, String)]) -> [(String, String)] {
        let kept: Set<String> = ["cache-control", "content-location", "date", "etag", "expires", "vary"]
        let hasETag = stored.contains { $0.0.lowercased() == "etag" }
        return stored.filter { kept.contains($0.0.lowercased()) || (!hasETag && $0.0.lowercased() == "last-modified") }
    }
}
