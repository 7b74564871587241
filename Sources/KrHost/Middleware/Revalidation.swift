import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// RFC 9110 conditional requests (§13), in one place: entity-tag comparison, HTTP-date printing
/// and parsing, and the order in which the preconditions are evaluated. The file server and
/// Test-KrCacheRevalidation both answer 304/412 through `evaluate`.
public enum Revalidation {
    /// What the preconditions of a request say about the selected representation.
    public enum Outcome: String, Sendable, Equatable {
        /// Send the normal response (every condition held, or there were none).
        case proceed
        /// 304 Not Modified (If-None-Match or If-Modified-Since on GET/HEAD).
        case notModified
        /// 412 Precondition Failed (If-Match, If-Unmodified-Since, or If-None-Match on other methods).
        case preconditionFailed
    }

    /// An entity tag: its opaque value (without the quotes) and whether it is weak (`W/"..."`).
    public struct EntityTag: Sendable, Hashable, CustomStringConvertible {
        public var opaque: String
        public var isWeak: Bool

        public init(_ opaque: String, weak: Bool = false) {
            self.opaque = opaque
            self.isWeak = weak
        }

        /// A tag as written in a header, `"abc"` or `W/"abc"`; nil when malformed.
        public init?(header: String) {
            var scanner = TagScanner(header.trimmingCharacters(in: .whitespaces))
            guard let tag = scanner.tag(), scanner.atEnd else { return nil }
            self = tag
        }

        /// A tag given by a user: the header form, or a bare value (`v2`) taken as the strong tag `"v2"`.
        public init(lenient text: String) {
            let t = text.trimmingCharacters(in: .whitespaces)
            if let tag = EntityTag(header: t) {
                self = tag
            } else {
                self.init(t.replacingOccurrences(of: "\"", with: ""))
            }
        }

        /// The header form.
        public var description: String { (isWeak ? "W/" : "") + "\"" + opaque + "\"" }

        /// Strong comparison (§8.8.3.2): both strong and the same opaque value.
        public func matchesStrongly(_ other: EntityTag) -> Bool { !isWeak && !other.isWeak && opaque == other.opaque }

        /// Weak comparison: the same opaque value, weakness ignored.
        public func matchesWeakly(_ other: EntityTag) -> Bool { opaque == other.opaque }
    }

    /// The value of If-Match / If-None-Match: `*` or a list of entity tags.
    public enum TagCondition: Sendable, Equatable {
        case any
        case tags([EntityTag])
    }

    /// Parses `*` or a comma-separated list of entity tags (commas may appear inside the quotes);
    /// nil when the value is empty or malformed.
    public static func parseTagCondition(_ value: String) -> TagCondition? {
        let v = value.trimmingCharacters(in: .whitespaces)
        if v == "*" { return .any }
        var scanner = TagScanner(v)
        var tags: [EntityTag] = []
        while true {
            scanner.skipSeparators()
            if scanner.atEnd { break }
            guard let t = scanner.tag() else { return nil }
            tags.append(t)
            scanner.skipWhitespace()
            if !scanner.atEnd && !scanner.take(",") { return nil }
        }
        return tags.isEmpty ? nil : .tags(tags)
    }

    /// Evaluates the preconditions of a request in RFC 9110 §13.2.2's order:
    /// If-Match (strong comparison; `*` matches), else If-Unmodified-Since; then If-None-Match (weak
    /// comparison, lists, `*`), else (GET/HEAD only) If-Modified-Since. Dates compare to the second;
    /// invalid dates, and If-Modified-Since dates in the future, are ignored; a malformed
    /// If-None-Match is ignored, a malformed If-Match fails.
    /// - Parameters:
    ///   - etag: the representation's current entity tag as it is sent (`"abc"` or `W/"abc"`; a bare
    ///     value is quoted), nil when it has none.
    ///   - lastModified: its modification time, nil when unknown.
    public static func evaluate(method: String, requestHeaders: [(String, String)], etag: String?, lastModified: Date?,
                                now: Date = Date()) -> Outcome {
        let isGetOrHead = ["GET", "HEAD"].contains(method.uppercased())
        let current = etag.map(EntityTag.init(lenient:))
        let modified = lastModified.map(wholeSeconds)

        if let ifMatch = header(requestHeaders, "If-Match") {
            guard let condition = parseTagCondition(ifMatch) else { return .preconditionFailed }
            if case .tags(let tags) = condition {
                guard let c = current, tags.contains(where: { $0.matchesStrongly(c) }) else { return .preconditionFailed }
            }
        } else if let raw = header(requestHeaders, "If-Unmodified-Since"), let date = parseHTTPDate(raw), let m = modified, m > date {
            return .preconditionFailed
        }

        if let ifNoneMatch = header(requestHeaders, "If-None-Match"), let condition = parseTagCondition(ifNoneMatch) {
            let matched: Bool
            switch condition {
            case .any: matched = true
            case .tags(let tags): matched = current.map { c in tags.contains { $0.matchesWeakly(c) } } ?? false
            }
            if matched { return isGetOrHead ? .notModified : .preconditionFailed }
        } else if isGetOrHead, let raw = header(requestHeaders, "If-Modified-Since"), let date = parseHTTPDate(raw),
                  date <= now, let m = modified, m <= date {
            return .notModified
        }
        return .proceed
    }

    /// The same, for a request the host received.
    public static func evaluate(_ request: KrRequest, etag: String?, lastModified: Date?, now: Date = Date()) -> Outcome {
        evaluate(method: request.method, requestHeaders: request.headers, etag: etag, lastModified: lastModified, now: now)
    }

    /// Whether a Range header may be honoured (§13.1.5): yes without If-Range; with it, only when its
    /// entity tag matches the current one strongly, or its date equals Last-Modified and that date is
    /// a strong validator (at least a second old). Otherwise the whole representation is sent.
    public static func rangeAllowed(requestHeaders: [(String, String)], etag: String?, lastModified: Date?, now: Date = Date()) -> Bool {
        guard let ifRange = header(requestHeaders, "If-Range")?.trimmingCharacters(in: .whitespaces) else { return true }
        if ifRange.hasPrefix("\"") || ifRange.hasPrefix("W/") {
            guard let tag = EntityTag(header: ifRange), let e = etag else { return false }
            return tag.matchesStrongly(EntityTag(lenient: e))
        }
        guard let date = parseHTTPDate(ifRange), let m = lastModified.map(wholeSeconds) else { return false }
        return m == date && m <= now.addingTimeInterval(-1)
    }

    /// A header's value; repeated fields are joined with ", " (names compare case-insensitively).
    public static func header(_ headers: [(String, String)], _ name: String) -> String? {
        var value: String?
        for (n, v) in headers where sameFieldName(n, name) { value = value.map { $0 + ", " + v } ?? v }
        return value
    }

    /// Whether two field names are the same, ASCII case ignored (RFC 9110 §5.1). Byte by byte:
    /// Foundation's caseInsensitiveCompare goes through NSString on Linux, too slow for every request.
    public static func sameFieldName(_ a: String, _ b: String) -> Bool {
        var other = b.utf8.makeIterator()
        for x in a.utf8 {
            guard let y = other.next() else { return false }
            if x != y && asciiLower(x) != asciiLower(y) { return false }
        }
        return other.next() == nil
    }

    private static func asciiLower(_ c: UInt8) -> UInt8 { c >= 65 && c <= 90 ? c | 0x20 : c }

    /// A date cut to whole seconds, the precision of HTTP dates.
    public static func wholeSeconds(_ d: Date) -> Date {
        Date(timeIntervalSince1970: (d.timeIntervalSince1970).rounded(.down))
    }

    // MARK: HTTP-date (§5.6.7)

    private static let dayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let longDayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
    private static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// IMF-fixdate, the one form servers send: `Sun, 06 Nov 1994 08:49:37 GMT`.
    public static func httpDate(_ date: Date) -> String {
        var t = time_t(date.timeIntervalSince1970.rounded(.down))
        var tm = tm()
        gmtime_r(&t, &tm)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let year = Int(tm.tm_year) + 1900
        let yearText = String(repeating: "0", count: max(0, 4 - String(year).count)) + String(year)
        return "\(dayNames[Int(tm.tm_wday)]), \(two(tm.tm_mday)) \(monthNames[Int(tm.tm_mon)]) \(yearText) "
            + "\(two(tm.tm_hour)):\(two(tm.tm_min)):\(two(tm.tm_sec)) GMT"
    }

    /// Parses an HTTP-date in any of the three forms recipients must accept: IMF-fixdate,
    /// the obsolete RFC 850 form (`Sunday, 06-Nov-94 08:49:37 GMT`, two-digit years read as the
    /// nearest past year within 50 years) and asctime (`Sun Nov  6 08:49:37 1994`). Nil otherwise.
    public static func parseHTTPDate(_ text: String) -> Date? {
        let s = text.trimmingCharacters(in: .whitespaces)
        if let comma = s.firstIndex(of: ",") {
            let day = String(s[..<comma])
            let rest = s[s.index(after: comma)...].split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            if dayNames.contains(day), rest.count == 5, rest[4] == "GMT" {
                // IMF-fixdate: 06 Nov 1994 08:49:37 GMT
                guard rest[0].count == 2, rest[2].count == 4, let d = Int(rest[0]), let y = Int(rest[2]),
                      let m = monthNames.firstIndex(of: rest[1]) else { return nil }
                return make(year: y, month: m + 1, day: d, time: rest[3])
            }
            if longDayNames.contains(day), rest.count == 3, rest[2] == "GMT" {
                // RFC 850: 06-Nov-94 08:49:37 GMT
                let parts = rest[0].split(separator: "-", omittingEmptySubsequences: false).map(String.init)
                guard parts.count == 3, parts[0].count == 2, parts[2].count == 2, let d = Int(parts[0]), let yy = Int(parts[2]),
                      let m = monthNames.firstIndex(of: parts[1]) else { return nil }
                return make(year: fullYear(yy), month: m + 1, day: d, time: rest[1])
            }
            return nil
        }
        // asctime: Sun Nov  6 08:49:37 1994
        let parts = s.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard parts.count == 5, dayNames.contains(parts[0]), let m = monthNames.firstIndex(of: parts[1]),
              (1...2).contains(parts[2].count), let d = Int(parts[2]), parts[4].count == 4, let y = Int(parts[4]) else { return nil }
        return make(year: y, month: m + 1, day: d, time: parts[3])
    }

    private static func fullYear(_ yy: Int) -> Int {
        var t = time_t(Date().timeIntervalSince1970)
        var now = tm()
        gmtime_r(&t, &now)
        let currentYear = Int(now.tm_year) + 1900
        var year = currentYear - currentYear % 100 + yy
        if year > currentYear + 50 { year -= 100 }
        return year
    }

    private static func make(year: Int, month: Int, day: Int, time: String) -> Date? {
        let hms = time.split(separator: ":", omittingEmptySubsequences: false)
        guard hms.count == 3, hms.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isASCII) }),
              let h = Int(hms[0]), let mi = Int(hms[1]), let se = Int(hms[2]),
              (0...23).contains(h), (0...59).contains(mi), (0...60).contains(se),
              (1...31).contains(day), (1...12).contains(month), year >= 1 else { return nil }
        var tm = tm()
        tm.tm_year = Int32(year - 1900)
        tm.tm_mon = Int32(month - 1)
        tm.tm_mday = Int32(day)
        tm.tm_hour = Int32(h)
        tm.tm_min = Int32(mi)
        tm.tm_sec = Int32(min(se, 59))
        let t = timegm(&tm)
        // timegm normalises 31 Feb into March: refuse days the month does not have.
        guard tm.tm_mday == Int32(day), tm.tm_mon == Int32(month - 1) else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(t))
    }
}

/// Reads entity tags off a header value.
private struct TagScanner {
    let chars: [Character]
    var i = 0

    init(_ s: String) { chars = Array(s) }

    var atEnd: Bool { i >= chars.count }

    mutating func take(_ c: Character) -> Bool {
        guard i < chars.count, chars[i] == c else { return false }
        i += 1
        return true
    }

    mutating func skipWhitespace() {
        while i < chars.count, chars[i] == " " || chars[i] == "\t" { i += 1 }
    }

    mutating func skipSeparators() {
        while i < chars.count, chars[i] == " " || chars[i] == "\t" || chars[i] == "," { i += 1 }
    }

    /// `"opaque"` or `W/"opaque"`: any visible characters but `"` inside the quotes.
    mutating func tag() -> Revalidation.EntityTag? {
        let start = i
        let weak = i + 1 < chars.count && chars[i] == "W" && chars[i + 1] == "/"
        if weak { i += 2 }
        guard take("\"") else { i = start; return nil }
        var opaque = ""
        while i < chars.count, chars[i] != "\"" {
            let c = chars[i]
            if c.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F }) { i = start; return nil }
            opaque.append(c)
            i += 1
        }
        guard take("\"") else { i = start; return nil }
        return Revalidation.EntityTag(opaque, weak: weak)
    }
}
