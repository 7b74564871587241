import Foundation
import KrScript

/// The Write-Kr*Response family: each sets the status, content type and body of the response.
enum ResponseCmdlets {
    static func common(_ contentType: String) -> [ParameterMeta] {
        [
            ParameterMeta("InputObject", position: 0, pipeline: true, help: "What to send."),
            ParameterMeta("StatusCode", .int32, help: "The HTTP status (default 200)."),
            ParameterMeta("ContentType", .string, help: "The Content-Type (default \(contentType))."),
        ]
    }

    static func status(_ inv: Invocation, _ fallback: Int = 200) throws -> Int {
        let s = try inv.int("StatusCode") ?? fallback
        guard (100...999).contains(s) else { throw inv.fail("-StatusCode must be from 100 to 999, not \(s).") }
        return s
    }

    static func send(_ inv: Invocation, _ text: String, _ defaultType: String, status fallback: Int = 200) throws {
        let c = try KrCmdlet.request(inv)
        c.response.write(Array(text.utf8), status: try status(inv, fallback), contentType: inv.string("ContentType") ?? defaultType)
    }

    /// Collects pipeline input (several objects become an array) or takes -InputObject.
    static func collecting(_ name: String, _ synopsis: String, _ params: [ParameterMeta], example: CommandExample,
                           _ body: @escaping @Sendable (Invocation, Value) throws -> Void) -> CmdletInfo {
        KrCmdlet.info(name, synopsis, params, examples: [example]) {
            CollectThenCmdlet(enumerateInputObject: false) { inv, items in
                let v: Value = items.count == 1 ? items[0] : (items.isEmpty ? (inv.value("InputObject") ?? .null) : .array(PSArray(items)))
                try body(inv, v)
            }
        }
    }

    static var all: [CmdletInfo] {
        [
            collecting("Write-KrJsonResponse", "Sends an object as JSON (like ConvertTo-Json -Depth 10).", common("application/json; charset=utf-8") + [
                ParameterMeta("Depth", .int32, help: "Serialisation depth (default 10)."),
                ParameterMeta("Compress", .switchParameter, help: "Leaves out white space."),
            ], example: CommandExample("Add-KrMapRoute -Pattern '/items' -ScriptBlock { Write-KrJsonResponse @(@{ id = 1; name = 'pen' }) -Compress }",
                                       "Answers [{\"id\":1,\"name\":\"pen\"}] (key order may differ) as application/json.", setup: "New-KrServer -Name example | Out-Null")) { inv, v in
                let json = HostValues.toJson(v, depth: try inv.int("Depth") ?? 10, compress: inv.switchOn("Compress"))
                try send(inv, json, "application/json; charset=utf-8")
            },
            collecting("Write-KrTextResponse", "Sends text.", common("text/plain; charset=utf-8"), example: CommandExample(
                "Add-KrMapRoute -Pattern '/hello' -ScriptBlock { Write-KrTextResponse 'Hello, World!' }", "Answers GET /hello with text/plain.",
                setup: "New-KrServer -Name example | Out-Null")) { inv, v in
                try send(inv, HostValues.elements(v).map(HostValues.string).joined(separator: "\n"), "text/plain; charset=utf-8")
            },
            collecting("Write-KrHtmlResponse", "Sends HTML.", common("text/html; charset=utf-8"), example: CommandExample(
                "Add-KrMapRoute -Pattern '/' -ScriptBlock { Write-KrHtmlResponse '<h1>krsh</h1>' }", "Answers GET / with a small HTML page.",
                setup: "New-KrServer -Name example | Out-Null")) { inv, v in
                try send(inv, HostValues.string(v), "text/html; charset=utf-8")
            },
            KrCmdlet.info("Write-KrStatusResponse", "Sends only a status code (with its reason phrase as text).", [
                ParameterMeta("StatusCode", .int32, position: 0, mandatory: true, help: "The HTTP status."),
            ], examples: [
                CommandExample("Add-KrMapRoute -Verbs Delete -Pattern '/items/{id}' -ScriptBlock { Write-KrStatusResponse -StatusCode 204 }",
                               "DELETE /items/7 answers 204 No Content.", setup: "New-KrServer -Name example | Out-Null"),
            ]) {
                ClosureCmdlet { inv, _ in
                    let c = try KrCmdlet.request(inv)
                    let s = try status(inv)
                    c.response.write([], status: s, contentType: nil)
                }
            },
            KrCmdlet.info("Write-KrRedirectResponse", "Redirects the client to another URL.", [
                ParameterMeta("Url", .string, position: 0, mandatory: true, aliases: ["Location"], help: "Where to send the client."),
                ParameterMeta("Permanent", .switchParameter, help: "301 instead of 302."),
                ParameterMeta("Message", .string, help: "A body text."),
            ], examples: [
                CommandExample("Add-KrMapRoute -Pattern '/old' -ScriptBlock { Write-KrRedirectResponse -Url '/new' -Permanent }",
                               "GET /old answers 301 with Location: /new.", setup: "New-KrServer -Name example | Out-Null"),
            ]) {
                ClosureCmdlet { inv, _ in
                    let c = try KrCmdlet.request(inv)
                    c.response.setHeader("Location", inv.string("Url") ?? "/")
                    c.response.write(Array((inv.string("Message") ?? "").utf8), status: inv.switchOn("Permanent") ? 301 : 302,
                                     contentType: "text/plain; charset=utf-8")
                }
            },
            KrCmdlet.info("Write-KrErrorResponse", "Sends an error as JSON: { status, message, details }.", [
                ParameterMeta("Message", .string, position: 0, mandatory: true, help: "What went wrong."),
                ParameterMeta("StatusCode", .int32, help: "The HTTP status (default 500)."),
                ParameterMeta("Details", .string, help: "More about the error."),
                ParameterMeta("ContentType", .string, help: "The Content-Type (default application/json)."),
            ], examples: [
                CommandExample("Add-KrMapRoute -Pattern '/orders/{id}' -ScriptBlock { Write-KrErrorResponse -Message 'No such order' -StatusCode 404 }",
                               "Answers 404 with {\"status\":404,\"message\":\"No such order\"}.", setup: "New-KrServer -Name example | Out-Null"),
            ]) {
                ClosureCmdlet { inv, _ in
                    let s = try status(inv, 500)
                    let t = PSHashtable(ordered: true)
                    t.set(.string("status"), .int(Int32(s)))
                    t.set(.string("message"), .string(inv.string("Message") ?? ""))
                    if let d = inv.string("Details") { t.set(.string("details"), .string(d)) }
                    try send(inv, HostValues.toJson(.hashtable(t), depth: 4, compress: true), "application/json; charset=utf-8", status: s)
                }
            },
        ]
    }
}
