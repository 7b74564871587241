import Foundation
import KrScript

/// Get-KrRequestRouteParam, Get-KrRequestQuery, Get-KrRequestHeader, Get-KrRequestCookie, Get-KrRequestBody.
enum RequestCmdlets {
    static func lookup(_ name: String, _ synopsis: String, example: CommandExample,
                       _ pick: @escaping @Sendable (KrRequest) -> [(String, String)]) -> CmdletInfo {
        KrCmdlet.info(name, synopsis, [
            ParameterMeta("Name", .string, position: 0, mandatory: true, help: "The name to look up (case-insensitive)."),
            ParameterMeta("ThrowIfMissing", .switchParameter, help: "Fails (400) when the value is missing."),
        ], examples: [example]) {
            ClosureCmdlet { inv, _ in
                let c = try KrCmdlet.request(inv)
                let n = inv.string("Name") ?? ""
                let values = pick(c.request).filter { $0.0.caseInsensitiveCompare(n) == .orderedSame }.map(\.1)
                if values.isEmpty {
                    if inv.switchOn("ThrowIfMissing") { throw inv.fail("The request has no '\(n)'.", errorId: "Http400") }
                    try inv.write(.null)
                } else {
                    try inv.write(.string(values.joined(separator: ",")))
                }
            }
        }
    }

    static var all: [CmdletInfo] {
        [
            lookup("Get-KrRequestRouteParam", "Gets a value captured by a {name} segment of the route pattern.", example: CommandExample(
                "Add-KrMapRoute -Pattern '/users/{id}' -ScriptBlock { Write-KrTextResponse \"user $(Get-KrRequestRouteParam -Name id)\" }",
                "GET /users/7 answers 'user 7'.", setup: "New-KrServer -Name example | Out-Null")) { $0.routeValues },
            lookup("Get-KrRequestQuery", "Gets a query-string value.", example: CommandExample(
                "Add-KrMapRoute -Pattern '/search' -ScriptBlock { Write-KrTextResponse \"page $(Get-KrRequestQuery -Name page)\" }",
                "GET /search?page=2 answers 'page 2'; without ?page the value is $null.", setup: "New-KrServer -Name example | Out-Null")) { $0.query },
            lookup("Get-KrRequestHeader", "Gets a request header.", example: CommandExample(
                "Add-KrMapRoute -Pattern '/agent' -ScriptBlock { Write-KrTextResponse (Get-KrRequestHeader -Name 'User-Agent') }",
                "Answers with the client's User-Agent header.", setup: "New-KrServer -Name example | Out-Null")) { $0.headers },
            lookup("Get-KrRequestCookie", "Gets a cookie sent with the request.", example: CommandExample(
                "Add-KrMapRoute -Pattern '/me' -ScriptBlock { $s = Get-KrRequestCookie -Name session -ThrowIfMissing; Write-KrTextResponse $s }",
                "Answers with the session cookie, or 400 when the request has none.", setup: "New-KrServer -Name example | Out-Null")) { $0.cookies },
            KrCmdlet.info("Get-KrRequestBody", "Gets the request body: JSON and forms as hashtables, anything else as text.", [
                ParameterMeta("Raw", .switchParameter, help: "Returns the body text unparsed."),
            ], examples: [
                CommandExample("Add-KrMapRoute -Verbs Post -Pattern '/items' -ScriptBlock { $item = Get-KrRequestBody; Write-KrJsonResponse @{ saved = $item.name } }",
                               "A JSON body {\"name\":\"pen\"} becomes a hashtable; the route answers {\"saved\":\"pen\"}.", setup: "New-KrServer -Name example | Out-Null"),
            ]) {
                ClosureCmdlet { inv, _ in
                    let c = try KrCmdlet.request(inv)
                    try inv.write(try body(c.request, raw: inv.switchOn("Raw"), inv))
                }
            },
        ]
    }

    static func body(_ r: KrRequest, raw: Bool, _ inv: Invocation) throws -> Value {
        let text = r.bodyText
        if raw { return .string(text) }
        let type = (r.contentType ?? "").lowercased()
        if type.contains("json") {
            if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return .null }
            do { return try HostValues.parseJson(text, asHashtable: true) } catch {
                throw inv.fail("The request body is not valid JSON: \(error)", errorId: "Http400")
            }
        }
        if type.contains("application/x-www-form-urlencoded") {
            let h = PSHashtable()
            for (k, v) in FormEncoding.decode(text) { h.set(.string(k), .string(v)) }
            return .hashtable(h)
        }
        return .string(text)
    }
}
