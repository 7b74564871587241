import Foundation
import KrScript

/// Layer 4 of the caching guide: Test-KrCacheRevalidation (RFC 9110 §13 conditional requests).
enum ValidatorCmdlets {
    static var all: [CmdletInfo] {
        [
            KrCmdlet.info("Test-KrCacheRevalidation", "Sends ETag/Last-Modified and answers 304 (or 412) when the client's copy is current; returns $true when it answered.", [
                ParameterMeta("Payload", position: 0, help: "The representation (string or bytes); its SHA-256 is the ETag when -ETag is not given."),
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
    /// of the payload's UTF-8 bytes; `W/` when -Weak.
    static func entityTag(_ inv: Invocation) throws -> String? {
        var opaque: String?
        if let e = inv.string("ETag"), !e.isEmpty {
            var t = e.trimmingCharacters(in: .whitespaces)
            if t.hasPrefix("W/") { t.removeFirst(2) }
            if t.hasPrefix("\"") && t.hasSuffix("\"") && t.count >= 2 { t = String(t.dropFirst().dropLast()) }
            opaque = t
        } else if let p = inv.value("Payload"), !p.isNull {
            let bytes: [UInt8]
            if case .string(let s) = p { bytes = Array(s.utf8) } else if HostValues.elements(p).count > 1 || HostValues.typeName(p).hasSuffix("[]") {
                bytes = try HostValues.bytes(p, inv)
            } else {
                bytes = Array(HostValues.string(p).utf8)
            }
            opaque = HostValues.sha256Hex(bytes)
        }
        return opaque.map { (inv.switchOn("Weak") ? "W/" : "") + "\"" + $0 + "\"" }
    }

    static func lastModified(_ inv: Invocation) throws -> Date? {
        guard let v = inv.value("LastModified"), !v.isNull else { return nil }
        if let d = HostValues.date(v) { return d }
        if let d = Revalidation.parseHTTPDate(HostValues.string(v)) { return d }
        throw inv.fail("-LastModified must be a DateTime or a date string, not '\(HostValues.string(v))'.")
    }

    static func revalidate(_ inv: Invocation) throws -> Bool {
        let c = try KrCmdlet.request(inv)
        let tag = try entityTag(inv)
        let modified = try lastModified(inv)
        if tag == nil && modified == nil {
            throw inv.fail("Test-KrCacheRevalidation needs -Payload, -ETag or -LastModified to validate against.")
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
