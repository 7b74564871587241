import Foundation

/// A conditional GET/HEAD evaluated against a stored response (RFC 9110 §13.1.2, §13.1.3, §13.2.2;
/// RFC 9111 §4.3.2). If-Match and If-Unmodified-Since are left to the origin, which a cache may do.
/// Kept private to the response cache until the project's Revalidation helper can serve both.
enum StoredConditional {
    /// The validator that matched when the request can be answered 304, else nil.
    static func notModified(_ request: KrRequest, etag: String?, lastModified: String?, date: String?, storedAt: Date) -> String? {
        if let inm = request.header("If-None-Match") {
            // If-None-Match present: If-Modified-Since is ignored.
            let tags = entityTags(inm)
            if tags.contains("*") { return "If-None-Match: *" }
            guard let etag, let mine = opaque(etag) else { return nil }
            return tags.contains { opaque($0) == mine } ? "If-None-Match" : nil
        }
        guard let ims = request.header("If-Modified-Since"), let since = CachePolicy.parseHTTPDate(ims) else { return nil }
        // Without Last-Modified, the stored Date, else the time it was stored (RFC 9111 §4.3.2).
        let modified = lastModified.flatMap(CachePolicy.parseHTTPDate) ?? date.flatMap(CachePolicy.parseHTTPDate) ?? storedAt
        return modified.timeIntervalSince1970.rounded(.down) <= since.timeIntervalSince1970 ? "If-Modified-Since" : nil
    }

    /// The headers a 304 carries (RFC 9110 §15.4.5): Last-Modified only when there is no ETag.
    static func headersFor304(_ stored: [(String, String)]) -> [(String, String)] {
        let kept: Set<String> = ["cache-control", "content-location", "date", "etag", "expires", "vary"]
        let hasETag = stored.contains { $0.0.lowercased() == "etag" }
        return stored.filter { kept.contains($0.0.lowercased()) || (!hasETag && $0.0.lowercased() == "last-modified") }
    }

    /// The members of an entity-tag list: `W/"a", "b"` -> [`W/"a"`, `"b"`]; commas inside quotes kept.
    static func entityTags(_ header: String) -> [String] {
        var out: [String] = []
        var cur = ""
        var quoted = false
        for ch in header {
            if ch == "\"" { quoted.toggle() }
            if ch == "," && !quoted {
                out.append(cur.trimmingCharacters(in: .whitespaces))
                cur = ""
            } else {
                cur.append(ch)
            }
        }
        out.append(cur.trimmingCharacters(in: .whitespaces))
        return out.filter { !$0.isEmpty }
    }

    /// The opaque tag for weak comparison: `W/"x"` and `"x"` both give `"x"`.
    static func opaque(_ tag: String) -> String? {
        var t = tag.trimmingCharacters(in: .whitespaces)
        if t.hasPrefix("W/") || t.hasPrefix("w/") { t.removeFirst(2) }
        guard t.count >= 2, t.hasPrefix("\""), t.hasSuffix("\"") else { return nil }
        return t
    }
}
