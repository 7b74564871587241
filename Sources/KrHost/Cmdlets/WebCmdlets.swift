import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import KrScript

/// Invoke-WebRequest and Invoke-RestMethod, enough for a demo at the prompt to call its own server.
/// The calling thread waits for the answer; the server runs on NIO and the runspace threads, so a
/// request to a route of the same process (even from inside another route) is answered meanwhile.
enum WebCmdlets {
    static let methods = ["Default", "Get", "Head", "Post", "Put", "Delete", "Trace", "Options", "Merge", "Patch"]

    static var parameters: [ParameterMeta] {
        [
            ParameterMeta("Uri", .string, position: 0, mandatory: true, aliases: ["Url"], help: "The URL (http or https; http:// is assumed when no scheme is given)."),
            ParameterMeta("Method", .string, set: methods, help: "The HTTP method (default Get)."),
            ParameterMeta("CustomMethod", .string, help: "A method not in -Method's list (e.g. PROPFIND)."),
            ParameterMeta("Body", help: "The request body: a string, a byte array, or a hashtable (JSON with a JSON -ContentType, the query string for GET, a form otherwise)."),
            ParameterMeta("ContentType", .string, help: "The body's Content-Type (default application/x-www-form-urlencoded when there is a body)."),
            ParameterMeta("Headers", help: "Request headers, as a hashtable."),
            ParameterMeta("TimeoutSec", .int32, help: "Seconds to wait for the answer (default 100; 0 waits without limit)."),
            ParameterMeta("SkipHttpErrorCheck", .switchParameter, help: "Returns 4xx and 5xx answers instead of failing."),
            ParameterMeta("UserAgent", .string, help: "The User-Agent header."),
            ParameterMeta("UseBasicParsing", .switchParameter, help: "Accepted for compatibility; parsing is always basic."),
        ]
    }

    /// The server the examples talk to (run before each example by the tests, not shown).
    static let exampleServer = """
        New-KrServer -Name example | Add-KrEndpoint -Port 5000 | Enable-KrConfiguration | Out-Null
        Add-KrMapRoute -Verbs Get -Pattern '/hello' -ScriptBlock { Write-KrTextResponse 'Hello' }
        Add-KrMapRoute -Verbs Post -Pattern '/items' -ScriptBlock { Write-KrJsonResponse @{ saved = (Get-KrRequestBody).name } }
        Start-KrServer -NoWait -Quiet
        """

    static var all: [CmdletInfo] {
        [
            KrCmdlet.info("Invoke-WebRequest", "Sends an HTTP request; returns StatusCode, Content, Headers and RawContent.", parameters, examples: [
                CommandExample("(Invoke-WebRequest http://127.0.0.1:5000/hello).Content", "The body of GET /hello as text.", setup: exampleServer),
                CommandExample("Invoke-WebRequest -Uri http://127.0.0.1:5000/missing -SkipHttpErrorCheck | Select-Object StatusCode",
                               "404 as a value instead of an error.", setup: exampleServer),
            ]) {
                ClosureCmdlet { inv, _ in
                    let r = try perform(inv)
                    try inv.write(.object(WebResponseObject(r)))
                }
            },
            KrCmdlet.info("Invoke-RestMethod", "Sends an HTTP request; a JSON answer becomes objects, any other answer text.", parameters, examples: [
                CommandExample("Invoke-RestMethod -Uri http://127.0.0.1:5000/items -Method Post -Body @{ name = 'pen' } -ContentType 'application/json'",
                               "Posts {\"name\":\"pen\"} and returns the parsed JSON answer.", setup: exampleServer),
            ]) {
                ClosureCmdlet { inv, _ in
                    let r = try perform(inv)
                    if r.bytes.isEmpty { return }
                    let text = r.text
                    let type = (r.contentType ?? "").lowercased()
                    if type.isEmpty || type.contains("json") {
                        if let v = try? HostValues.parseJson(text, asHashtable: false) {
                            try inv.writeEnumerated(v)
                            return
                        }
                    }
                    try inv.write(.string(text))
                }
            },
        ]
    }

    /// Builds the request from the parameters, sends it and checks the status.
    static func perform(_ inv: Invocation) throws -> WebResult {
        let (request, timeout) = try makeRequest(inv)
        let result: WebResult
        do {
            result = try WebClient.send(request, timeout: timeout) { try inv.context.checkInterrupted() }
        } catch let e as WebClientError {
            throw inv.fail(e.message)
        }
        if !(200...299).contains(result.status) && !inv.switchOn("SkipHttpErrorCheck") {
            throw inv.error("Response status code does not indicate success: \(result.status) (\(WebResult.reason(result.status))).",
                            type: httpResponseException, errorId: "WebCmdletWebResponseException,\(inv.name)")
        }
        return result
    }

    static let httpResponseException = DotNetType("Microsoft.PowerShell.Commands.HttpResponseException", kind: .exception, base: .systemException)

    static func makeRequest(_ inv: Invocation) throws -> (URLRequest, Double) {
        let raw = (inv.string("Uri") ?? "").trimmingCharacters(in: .whitespaces)
        let text = raw.contains("://") ? raw : "http://" + raw
        guard var url = URLComponents(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host, !host.isEmpty else {
            throw inv.fail("'\(raw)' is not a valid http or https URI.")
        }
        var method = (inv.string("CustomMethod") ?? inv.string("Method") ?? "GET").uppercased()
        if method == "DEFAULT" { method = "GET" }
        guard !method.isEmpty, method.unicodeScalars.allSatisfy({ CharacterSet.letters.contains($0) || $0 == "-" }) else {
            throw inv.fail("'\(method)' is not an HTTP method.")
        }
        var headers = try headerPairs(inv)
        var contentType = inv.string("ContentType") ?? headers.first { Revalidation.sameFieldName($0.0, "Content-Type") }?.1
        headers.removeAll { Revalidation.sameFieldName($0.0, "Content-Type") }
        let body = try encodeBody(inv.value("Body") ?? .null, method: method, contentType: &contentType, url: &url, inv)
        guard let final = url.url else { throw inv.fail("'\(raw)' is not a valid URI once the body is added to its query.") }
        let seconds = try inv.int("TimeoutSec") ?? 100
        guard seconds >= 0 else { throw inv.fail("-TimeoutSec must not be negative.") }
        var request = URLRequest(url: final)
        request.httpMethod = method
        request.setValue(inv.string("UserAgent") ?? "Mozilla/5.0 (krsh)", forHTTPHeaderField: "User-Agent")
        for (k, v) in headers { request.setValue(v, forHTTPHeaderField: k) }
        if let body {
            request.httpBody = body
            request.setValue(contentType ?? "application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        } else if let contentType {
            request.setValue(contentType, forHTTPHeaderField: "Content-Type")
        }
        let timeout = seconds == 0 ? 86_400 : Double(seconds)
        request.timeoutInterval = timeout
        return (request, timeout)
    }

    static func headerPairs(_ inv: Invocation) throws -> [(String, String)] {
        guard let v = inv.value("Headers"), !v.isNull else { return [] }
        let pairs: [(String, String)]
        switch v {
        case .hashtable(let h): pairs = h.entries.map { (HostValues.string($0.key), HostValues.string($0.value)) }
        case .object(let o as PSCustomObject): pairs = o.properties.map { ($0.0, HostValues.string($0.1)) }
        default: throw inv.fail("-Headers needs a hashtable such as @{ Accept = 'application/json' }, not a \(HostValues.typeName(v)).")
        }
        for (k, v) in pairs where k.isEmpty || (k + v).contains(where: { $0 == "\r" || $0 == "\n" }) {
            throw inv.fail("The header '\(k)' is not valid: names must not be empty and neither names nor values may contain line breaks.")
        }
        return pairs
    }

    /// The body as bytes; a hashtable goes to the query string of a GET (as PowerShell does).
    static func encodeBody(_ v: Value, method: String, contentType: inout String?, url: inout URLComponents, _ inv: Invocation) throws -> Data? {
        let isJson = contentType?.lowercased().contains("json") ?? false
        switch v {
        case .null:
            return nil
        case .string(let s):
            return Data(s.utf8)
        case .array(let a) where a.elementType == .byte:
            return Data(try ResponseCmdlets.bytes(v, inv))
        case .hashtable, .object(is PSCustomObject):
            if isJson { return Data(HostValues.toJson(v, depth: 10, compress: true).utf8) }
            let form = formEncode(fields(v))
            if method == "GET" || method == "HEAD" {
                url.percentEncodedQuery = [url.percentEncodedQuery, form].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: "&")
                return nil
            }
            return Data(form.utf8)
        default:
            return Data((isJson ? HostValues.toJson(v, depth: 10, compress: true) : HostValues.string(v)).utf8)
        }
    }

    static func fields(_ v: Value) -> [(String, String)] {
        switch v {
        case .hashtable(let h): return h.entries.map { (HostValues.string($0.key), HostValues.string($0.value)) }
        case .object(let o as PSCustomObject): return o.properties.map { ($0.0, HostValues.string($0.1)) }
        default: return []
        }
    }

    /// application/x-www-form-urlencoded, spaces as `+`.
    static func formEncode(_ pairs: [(String, String)]) -> String {
        let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~ ")
        func enc(_ s: String) -> String {
            (s.addingPercentEncoding(withAllowedCharacters: unreserved) ?? "").replacingOccurrences(of: " ", with: "+")
        }
        return pairs.map { enc($0.0) + "=" + enc($0.1) }.joined(separator: "&")
    }
}

/// What Invoke-WebRequest returns (PowerShell's BasicHtmlWebResponseObject; WebResponseObject for
/// a body that is not text, whose Content is then a byte array).
final class WebResponseObject: PSObject, @unchecked Sendable {
    let result: WebResult

    init(_ r: WebResult) { result = r }

    static let htmlType = DotNetTypeName.make("Microsoft.PowerShell.Commands.BasicHtmlWebResponseObject")
    static let plainType = DotNetTypeName.make("Microsoft.PowerShell.Commands.WebResponseObject")

    var isText: Bool { result.contentType.map(MediaTypes.isText) ?? true }
    override var dotNetType: DotNetType { isText ? WebResponseObject.htmlType : WebResponseObject.plainType }

    override var propertyNames: [String] { ["StatusCode", "StatusDescription", "Content", "RawContent", "Headers", "RawContentLength"] }

    override func getProperty(_ name: String) -> Value? {
        switch name.lowercased() {
        case "statuscode": return .int(Int32(result.status))
        case "statusdescription": return .string(WebResult.reason(result.status))
        case "content": return isText ? .string(result.text) : HostValues.byteArray(result.bytes)
        case "rawcontent": return .string(result.rawContent)
        case "headers": return KrRequest.table(result.headers)
        case "rawcontentlength": return .int(Int32(clamping: result.bytes.count))
        default: return nil
        }
    }

    override func toDisplayString(_ ctx: ExecutionContext?) -> String { isText ? result.text : result.rawContent }
}
