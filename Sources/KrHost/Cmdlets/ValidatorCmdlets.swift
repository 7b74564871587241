import Foundation
import KrScript

/// Layer 4 of the caching guide: Test-KrCacheRevalidation (RFC 9110 §13 conditional requests).
enum ValidatorCmdlets {
    static var all: [CmdletInfo] {
        [
            KrCmdlet.info("Test-KrCacheRevalidation", "Sends ETag/Last-Modified and answers 304 (or 412) when the client's copy is current; returns $true when it answered.", [
                ParameterMeta("Payload", position: 0, help: "The representation (a string or bytes; a number as its text); its SHA-256 is the ETag when -ETag is not given. Other objects give no ETag: convert them first (ConvertTo-Json)."),
                ParameterMeta("ETag", .string, help: "An explicit entity tag (quotes are added when missing)."),
                ParameterMeta("Weak", .switchParameter, help: "Marks the tag weak (W/\"...\")."),
                ParameterMeta("LastModified", help: "When the representation last changed (a DateTime or a date string)."),
            ], examples: [
                CommandExample("if (-not (Test-KrCacheRevalidation -ETag 'v2' -LastModified (Get-Date '2024-01-01'))) { Write-KrTextResponse 'v2 payload' }",
                               "Answers 304 to a client that already has v2.", inRoute: true),
            ]) {
                ClosureCmdlet { inv, _ in try inv.write(.bool(try revalidate(inv))) }
            },
        ]
    }

    /// The tag to send: -ETag normalised to a quoted tag, else the quoted lower-case hex SHA-256
    /// of the payload's UTF-8 bytes; `W/` when -Weak or when -ETag was already written weak
    /// (`W/"v2"`). Nil without a usable -ETag or -Payload.
    static func entityTag(_ inv: Invocation) -> String? {
        var opaque: String?
        var weak = inv.switchOn("Weak")
        if let e = inv.string("ETag"), !e.isEmpty {
            var t = e.trimmingCharacters(in: .whitespaces)
            if t.hasPrefix("W/") {
                t.removeFirst(2)
                weak = true
            }
            if t.hasPrefix("\"") && t.hasSuffix("\"") && t.count >= 2 { t = String(t.dropFirst().dropLast()) }
            opaque = t
        } else if let p = inv.value("Payload"), let bytes = payloadBytes(p, inv) {
            opaque = HostValues.sha256Hex(bytes)
        }
        return opaque.map { (weak ? "W/" : "") + "\"" + $0 + "\"" }
    }

    /// What a payload is hashed from: a string's UTF-8 bytes, a byte array, a number's (or date's)
    /// text. Nil for anything else: a hashtable or an object would hash as its type name, giving every
    /// content the same tag (the guide: "do not pass complex objects directly").
    static func payloadBytes(_ p: Value, _ inv: Invocation) -> [UInt8]? {
        switch p {
        case .null: return nil
        case .string(let s): return Array(s.utf8)
        case .bool, .int, .long, .double, .decimal, .char, .dateTime: return Array(HostValues.string(p).utf8)
        default:
            guard HostValues.elements(p).count > 1 || HostValues.typeName(p).hasSuffix("[]") else { return nil }
            return try? HostValues.bytes(p, inv)
        }
    }

    static func lastModified(_ inv: Invocation) throws -> Date? {
        guard let v = inv.value("LastModified"), !v.isNull else { return nil }
        if let d = HostValues.date(v) { return d }
        if let d = Revalidation.parseHTTPDate(HostValues.string(v)) { return d }
        throw inv.fail("-LastModified must be a DateTime or a date string, not '\(HostValues.string(v))'.")
    }

    static func revalidate(_ inv: Invocation) throws -> Bool {
        let c = try KrCmdlet.request(inv)
        let tag = entityTag(inv)
        let modified = try lastModified(inv)
        if tag == nil, let p = inv.value("Payload"), !p.isNull, (inv.string("ETag") ?? "").isEmpty {
            c.host.logger.log(.warning, "Test-KrCacheRevalidation: -Payload is a \(HostValues.typeName(p)), not a string or bytes, so it gives no ETag; "
                              + "pass text (such as ($value | ConvertTo-Json)) or an explicit -ETag.")
        }
        if tag == nil && modified == nil {
            // As Kestrun: nothing to compare, so not answered ($false), and the log says why.
            c.host.logger.log(.warning, "Test-KrCacheRevalidation has nothing to validate against and returns $false: "
                              + "supply -Payload (a string or bytes), -ETag or -LastModified.")
            return false
        }
        if let tag { c.response.setHeader("ETag", tag) }
        if let modified { c.response.setHeader("Last-Modified", Revalidation.httpDate(modified)) }
        switch Revalidation.evaluate(c.request, etag: tag, lastModified: modified) {
        case .proceed:
            return false
        case .notModified:
            c.response.write([], status: 304, contentType: nil)
            c.response.removeHeader("Content-Type")
            return true
        case .preconditionFailed:
            c.response.write(Array("Precondition Failed".utf8), status: 412, contentType: "text/plain; charset=utf-8")
            return true
        }
    }
}
