import Foundation
import Hummingbird
import NIOCore
import KrScript

/// The request as route scripts see it (`$Context.Request`).
public final class KrRequest: PSObject, @unchecked Sendable {
    public let method: String
    public let path: String
    /// The raw query string (without `?`).
    public let queryString: String
    /// Header names as received, in order; lookups are case-insensitive.
    public let headers: [(String, String)]
    public let body: [UInt8]
    public var routeValues: [(String, String)] = []
    public let remoteAddress: String

    public init(method: String, path: String, queryString: String, headers: [(String, String)], body: [UInt8], remoteAddress: String) {
        self.method = method
        self.path = path
        self.queryString = queryString
        self.headers = headers
        self.body = body
        self.remoteAddress = remoteAddress
    }

    static let type = DotNetTypeName.make("Kestrun.Models.KestrunRequest")
    public override var dotNetType: DotNetType { KrRequest.type }

    public func header(_ name: String) -> String? {
        let values = headers.filter { Revalidation.sameFieldName($0.0, name) }.map(\.1)
        return values.isEmpty ? nil : values.joined(separator: ", ")
    }

    public var query: [(String, String)] { FormEncoding.decode(queryString) }

    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    public var contentType: String? { header("Content-Type") }

    public var cookies: [(String, String)] {
        guard let raw = header("Cookie") else { return [] }
        return raw.split(separator: ";").compactMap { part in
            let kv = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard kv.count == 2 else { return nil }
            return (kv[0], kv[1])
        }
    }

    static func table(_ pairs: [(String, String)]) -> Value {
        let h = PSHashtable()
        for (k, v) in pairs {
            if let existing = h.get(.string(k)), case .string(let s) = existing {
                h.set(.string(k), .string(s + "," + v))
            } else {
                h.set(.string(k), .string(v))
            }
        }
        return .hashtable(h)
    }

    public override func getProperty(_ name: String) -> Value? {
        switch name.lowercased() {
        case "method": return .string(method)
        case "path": return .string(path)
        case "query": return KrRequest.table(query)
        case "querystring": return .string(queryString.isEmpty ? "" : "?" + queryString)
        case "headers": return KrRequest.table(headers)
        case "body": return .string(bodyText)
        case "routevalues", "routeparameters": return KrRequest.table(routeValues)
        case "cookies": return KrRequest.table(cookies)
        case "contenttype": return contentType.map { .string($0) } ?? .null
        case "remoteipaddress", "remoteaddress": return .string(remoteAddress)
        default: return nil
        }
    }

    public override var propertyNames: [String] { ["Method", "Path", "Query", "Headers", "Body", "RouteValues"] }
}

/// The response a route builds (`$Context.Response`), turned into the HTTP response afterwards.
public final class KrResponse: PSObject, @unchecked Sendable {
    private let lock = NSLock()
    private var _status = 200
    private var _headers: [(String, String)] = []
    private var _body: [UInt8] = []
    /// A response replayed from the cache: its fields and body as they go on the wire (shared with
    /// the stored entry, no copy per hit). Headers added afterwards (Age) are in `_headers`; any other
    /// access turns it back into the plain form first (`materializeLocked`).
    private var _wire: (fields: HTTPFields, body: ByteBuffer)?
    private var _written = false

    public override init() {}

    static let type = DotNetTypeName.make("Kestrun.Models.KestrunResponse")
    public override var dotNetType: DotNetType { KrResponse.type }

    private func locked<T>(_ f: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return f()
    }

    public var statusCode: Int {
        get { locked { _status } }
        set { locked { _status = newValue } }
    }
    public var headers: [(String, String)] { locked { materializeLocked(); return _headers } }
    public var body: [UInt8] { locked { materializeLocked(); return _body } }

    /// Replays a stored response (see `_wire`).
    func replay(fields: HTTPFields, body: ByteBuffer, status: Int) {
        locked {
            _status = status
            _wire = (fields, body)
            _body = []
            _written = true
        }
    }

    /// The wire form of a replayed response and the headers added to it since; nil otherwise.
    var wireParts: (fields: HTTPFields, body: ByteBuffer, added: [(String, String)])? {
        locked { _wire.map { ($0.fields, $0.body, _headers) } }
    }

    private func materializeLocked() {
        guard let wire = _wire else { return }
        _headers = wire.fields.map { ($0.name.rawName, $0.value) } + _headers
        _body = Array(wire.body.readableBytesView)
        _wire = nil
    }
    /// Whether a Write-Kr*Response cmdlet (or a 304 from revalidation) produced the response.
    public var hasBody: Bool { locked { _written } }

    public func header(_ name: String) -> String? {
        locked {
            materializeLocked()
            return _headers.last { Revalidation.sameFieldName($0.0, name) }?.1
        }
    }

    /// Sets a header, replacing earlier values of the same name.
    public func setHeader(_ name: String, _ value: String) {
        locked {
            materializeLocked()
            _headers.removeAll { Revalidation.sameFieldName($0.0, name) }
            _headers.append((name, value))
        }
    }

    /// Adds a header value (Set-Cookie and other repeatable headers).
    public func addHeader(_ name: String, _ value: String) {
        locked { _headers.append((name, value)) }
    }

    public func removeHeader(_ name: String) {
        locked {
            materializeLocked()
            _headers.removeAll { Revalidation.sameFieldName($0.0, name) }
        }
    }

    public var contentType: String? {
        get { header("Content-Type") }
        set { if let v = newValue { setHeader("Content-Type", v) } else { removeHeader("Content-Type") } }
    }

    /// Writes the response body with its status and content type.
    public func write(_ bytes: [UInt8], status: Int, contentType: String?) {
        locked {
            materializeLocked()
            _status = status
            _body = bytes
            _written = true
        }
        if let contentType { self.contentType = contentType }
    }

    public override func getProperty(_ name: String) -> Value? {
        switch name.lowercased() {
        case "statuscode": return .int(Int32(statusCode))
        case "contenttype": return contentType.map { .string($0) } ?? .null
        case "headers": return .object(ResponseHeaders(self))
        case "hasstarted": return .bool(hasBody)
        default: return nil
        }
    }

    public override func setProperty(_ name: String, _ value: Value) throws -> Bool {
        switch name.lowercased() {
        case "statuscode":
            guard let n = Int(HostValues.string(value)), (100...999).contains(n) else {
                throw KrHostError("StatusCode must be a number from 100 to 999.")
            }
            statusCode = n
            return true
        case "contenttype":
            contentType = value.isNull ? nil : HostValues.string(value)
            return true
        default: return false
        }
    }

    public override var propertyNames: [String] { ["StatusCode", "ContentType", "Headers"] }
}

/// `$Context.Response.Headers`: a live view of the response's headers, so that
/// `$Context.Response.Headers['X-Trace'] = 'on'`, `.Add(name, value)` and `.Remove(name)` change the
/// response (as Kestrun's dictionary does). Reading a repeated header gives its values joined by commas.
final class ResponseHeaders: PSObject, Indexable, @unchecked Sendable {
    private let response: KrResponse
    init(_ response: KrResponse) { self.response = response }

    static let type = DotNetTypeName.make("System.Collections.Generic.Dictionary`2[System.String,System.String]")
    override var dotNetType: DotNetType { ResponseHeaders.type }

    func index(_ idx: Value, _ c: ExecutionContext, _ loc: SourceLocation) throws -> Value {
        let name = HostValues.string(idx)
        let values = response.headers.filter { Revalidation.sameFieldName($0.0, name) }.map(\.1)
        return values.isEmpty ? .null : .string(values.joined(separator: ","))
    }

    func setIndex(_ idx: Value, _ value: Value, _ c: ExecutionContext, _ loc: SourceLocation) throws {
        let name = HostValues.string(idx)
        if value.isNull { response.removeHeader(name) } else { response.setHeader(name, HostValues.string(value)) }
    }

    override func callMethod(_ name: String, _ args: [Value], _ ctx: ExecutionContext) throws -> Value? {
        switch (name.lowercased(), args.count) {
        case ("add", 2), ("append", 2):
            response.addHeader(HostValues.string(args[0]), HostValues.string(args[1]))
            return .null
        case ("remove", 1):
            let name = HostValues.string(args[0])
            let had = response.header(name) != nil
            response.removeHeader(name)
            return .bool(had)
        case ("containskey", 1):
            return .bool(response.header(HostValues.string(args[0])) != nil)
        default:
            return nil
        }
    }

    override func getProperty(_ name: String) -> Value? {
        switch name.lowercased() {
        case "count": return .int(Int32(response.headers.count))
        case "keys": return .array(PSArray(response.headers.map { .string($0.0) }))
        default: return nil
        }
    }

    override var enumerated: [Value]? { nil }
    override func toDisplayString(_ ctx: ExecutionContext?) -> String {
        response.headers.map { "[\($0.0), \($0.1)]" }.joined(separator: " ")
    }
}

/// `$Context`: the request, the response, and the route's server.
public final class KrContext: PSObject, @unchecked Sendable {
    public let request: KrRequest
    public let response = KrResponse()
    public let host: KrHost

    init(request: KrRequest, host: KrHost) {
        self.request = request
        self.host = host
    }

    static let type = DotNetTypeName.make("Kestrun.Models.KestrunContext")
    public override var dotNetType: DotNetType { KrContext.type }

    public override func getProperty(_ name: String) -> Value? {
        switch name.lowercased() {
        case "request": return .object(request)
        case "response": return .object(response)
        case "servername", "host": return .string(host.name)
        default: return nil
        }
    }

    public override var propertyNames: [String] { ["Request", "Response"] }
}

/// application/x-www-form-urlencoded and query strings.
enum FormEncoding {
    static func decode(_ s: String) -> [(String, String)] {
        guard !s.isEmpty else { return [] }
        return s.split(separator: "&").map { pair in
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            func dec(_ x: String) -> String { x.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? x }
            return (dec(kv[0]), kv.count > 1 ? dec(kv[1]) : "")
        }
    }
}
