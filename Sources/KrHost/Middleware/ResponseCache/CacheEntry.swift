import Foundation
import Hummingbird
import NIOCore

/// One stored response: what a hit replays, and the bookkeeping for freshness and eviction.
/// Immutable but for `hits` and the LRU links, which only the store touches, under its lock.
final class CacheEntry: @unchecked Sendable {
    /// The primary key with the Vary values: unique in the store.
    let key: String
    /// Method, path (case-folded unless -UseCaseSensitivePaths) and query.
    let primaryKey: String
    /// The path and query as requested when stored.
    let path: String
    /// The Vary field names (lower-cased) and the request's values for them (nil: absent).
    let varyNames: [String]
    let varyValues: [String?]
    let status: Int
    let headers: [(String, String)]
    /// The stored response as it goes on the wire: built once here, shared by every hit.
    let wireFields: HTTPFields
    let wireBody: ByteBuffer
    let cacheControl: CacheControl
    let freshness: CacheFreshness
    /// When the response arrived (RFC 9111 response_time).
    let storedAt: Date
    /// Bytes it is charged against SizeLimit: body, header names and values, key.
    let size: Int
    /// What conditional requests are compared with, read once when stored (RFC 9111 §4.3.2): the
    /// ETag, and Last-Modified, else Date, else when it was stored.
    let etag: String?
    let validatorDate: Date
    /// The headers a 304 from this entry carries.
    let notModifiedHeaders: [(String, String)]

    var hits = 0
    /// Towards the most recently used entry, and towards the least.
    weak var newer: CacheEntry?
    var older: CacheEntry?

    init(key: String, primaryKey: String, path: String, varyNames: [String], varyValues: [String?], status: Int,
         headers: [(String, String)], body: [UInt8], cacheControl: CacheControl, freshness: CacheFreshness, storedAt: Date) {
        self.key = key
        self.primaryKey = primaryKey
        self.path = path
        self.varyNames = varyNames
        self.varyValues = varyValues
        self.status = status
        self.headers = headers
        wireFields = KrResponder.fields(headers)
        wireBody = ByteBuffer(bytes: body)
        self.cacheControl = cacheControl
        self.freshness = freshness
        self.storedAt = storedAt
        size = body.count + key.utf8.count + headers.reduce(0) { $0 + $1.0.utf8.count + $1.1.utf8.count }
        func field(_ name: String) -> String? { headers.last { Revalidation.sameFieldName($0.0, name) }?.1 }
        etag = field("ETag")
        validatorDate = field("Last-Modified").flatMap(Revalidation.parseHTTPDate) ?? field("Date").flatMap(Revalidation.parseHTTPDate) ?? storedAt
        notModifiedHeaders = StoredConditional.headersFor304(headers)
    }

    /// RFC 9111 §4.2.3 current_age.
    func age(at now: Date) -> TimeInterval { freshness.initialAge + max(0, now.timeIntervalSince(storedAt)) }

    /// When it stops being fresh.
    var expires: Date { storedAt.addingTimeInterval(freshness.lifetime - freshness.initialAge) }

    /// When it is purged: once stale for longer than max-stale requests may use it.
    var purgeAt: Date { expires.addingTimeInterval(CachePolicy.retention(lifetime: freshness.lifetime, stored: cacheControl)) }

    /// `Accept-Encoding=gzip; Accept-Language=(none)`.
    var varyText: String {
        zip(varyNames, varyValues).map { "\(CacheEntry.fieldName($0)): \($1 ?? "(none)")" }.joined(separator: "; ")
    }

    func header(_ name: String) -> String? {
        headers.last { Revalidation.sameFieldName($0.0, name) }?.1
    }

    /// Whether the request's values of the Vary fields match this entry's (RFC 9111 §4.1).
    func matches(_ request: KrRequest) -> Bool {
        zip(varyNames, varyValues).allSatisfy { CachePolicy.varyValue(request, $0) == $1 }
    }

    /// Read under the store's lock (for `hits`).
    func snapshot(_ now: Date) -> CacheEntrySnapshot {
        let age = self.age(at: now)
        return CacheEntrySnapshot(key: key, method: String(primaryKey.prefix { $0 != " " }), path: path, vary: varyText, status: status,
                                  size: size, age: Int(age), expires: expires, hits: hits, isFresh: age < freshness.lifetime)
    }

    /// `accept-encoding` -> `Accept-Encoding`.
    static func fieldName(_ lower: String) -> String {
        lower.split(separator: "-", omittingEmptySubsequences: false).map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: "-")
    }
}

/// A stored entry as the prompt sees it (Get-KrCacheEntry), read under the store's lock.
public struct CacheEntrySnapshot: Sendable {
    public let key: String
    public let method: String
    public let path: String
    public let vary: String
    public let status: Int
    public let size: Int
    public let age: Int
    public let expires: Date
    public let hits: Int
    public let isFresh: Bool
}

/// Get-KrCacheStatistic.
public struct CacheStatistics: Sendable {
    public var entries = 0
    public var bytes = 0
    public var sizeLimit = 0
    public var maximumBodySize = 0
    public var hits = 0
    public var misses = 0
    public var notModified = 0
    public var stores = 0
    public var evictions = 0
    /// Entries purged once stale (or found stale past their retention).
    public var expired = 0
    public var invalidations = 0
    public var gatewayTimeouts = 0
    public var refusals: [CacheRefusal: Int] = [:]

    /// Hits over lookups (hits and misses); 0 before the first lookup.
    public var hitRatio: Double {
        hits + misses == 0 ? 0 : (Double(hits) / Double(hits + misses) * 10_000).rounded() / 10_000
    }
}
