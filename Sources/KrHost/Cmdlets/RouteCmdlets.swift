import Foundation
import KrScript

/// Add-KrMapRoute, Get-KrRoute, Remove-KrRoute.
enum RouteCmdlets {
    static let verbs = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE"]

    static var all: [CmdletInfo] {
        [
            KrCmdlet.info("Add-KrMapRoute", "Maps a route: verbs and a pattern to a script block run for each request.", [
                KrCmdlet.serverParameter,
                {
                    var p = ParameterMeta("Verbs", .arrayOf(.string), aliases: ["HttpVerb", "Method"], help: "HTTP verbs (default GET).")
                    p.validateSet = ["Get", "Post", "Put", "Patch", "Delete", "Head", "Options", "Trace"]
                    return p
                }(),
                ParameterMeta("Pattern", .string, mandatory: true, aliases: ["Path"], help: "The path pattern: /items/{id}, /files/{*rest}."),
                ParameterMeta("ScriptBlock", .scriptBlock, position: 0, help: "The code run for each request.").inSets("ScriptBlock"),
                ParameterMeta("Code", .string, help: "The code as a string (or here-string).").inSets("Code"),
                ParameterMeta("CodeFilePath", .string, help: "A file holding the code.").inSets("CodeFilePath"),
                ParameterMeta("Arguments", .hashtable, help: "Variables given to the code."),
                ParameterMeta("AllowDuplicate", .switchParameter, help: "Replaces a route with the same pattern and verb."),
                {
                    var p = ParameterMeta("DuplicateAction", .string, help: "What a duplicate does: Throw (default), Skip, Allow, Warn.")
                    p.validateSet = ["Throw", "Skip", "Allow", "Warn"]
                    return p
                }(),
                ParameterMeta("PassThru", .switchParameter, help: "Outputs the server."),
            ], examples: [
                CommandExample("Add-KrMapRoute -Verbs Get -Pattern '/hello' -ScriptBlock { Write-KrTextResponse 'Hello, World!' }", "Answers GET /hello.", setup: "New-KrServer -Name example | Out-Null"),
                CommandExample("Add-KrMapRoute -Verbs Post, Put -Pattern '/items/{id}' -Code 'Write-KrJsonResponse @{ id = (Get-KrRequestRouteParam -Name id) }'",
                               "The code as a string; {id} is read with Get-KrRequestRouteParam.", setup: "New-KrServer -Name example | Out-Null"),
            ]) {
                ClosureCmdlet { inv, _ in try addRoute(inv) }
            },
            KrCmdlet.info("Get-KrRoute", "Lists the routes of the server.", [
                KrCmdlet.serverParameter,
                ParameterMeta("Pattern", .string, position: 0, help: "A pattern (wildcards allowed)."),
            ], examples: [
                CommandExample("Get-KrRoute -Pattern '/api/*' | Format-Table Pattern, Verbs", "The routes under /api, with their verbs.", setup: "New-KrServer -Name example | Out-Null"),
            ]) {
                ClosureCmdlet { inv, _ in
                    let h = try KrCmdlet.host(inv)
                    let filter = inv.string("Pattern")
                    for r in h.routes.all where filter.map({ HostValues.wildcard($0, r.pattern) }) ?? true {
                        try inv.write(.object(RouteInfo(r)))
                    }
                }
            },
            KrCmdlet.info("Remove-KrRoute", "Removes routes by pattern (and verbs), even while the server runs.", [
                KrCmdlet.serverParameter,
                ParameterMeta("Pattern", .string, position: 0, mandatory: true, aliases: ["Path"], help: "The route's pattern."),
                ParameterMeta("Verbs", .arrayOf(.string), aliases: ["HttpVerb"], help: "Only these verbs (default: all)."),
            ], examples: [
                CommandExample("Remove-KrRoute -Pattern '/beta' -Verbs Post", "POST /beta now gets 404; GET /beta still works.",
                               setup: "New-KrServer -Name example | Out-Null\nAdd-KrMapRoute -Verbs Get, Post -Pattern '/beta' -ScriptBlock { Write-KrTextResponse 'beta' }"),
            ]) {
                ClosureCmdlet { inv, _ in
                    let h = try KrCmdlet.host(inv)
                    let pattern = inv.string("Pattern") ?? ""
                    let verbs = inv.value("Verbs").map { HostValues.elements($0).map(HostValues.string) }
                    if h.routes.remove(pattern: pattern, verbs: verbs) == 0 {
                        try inv.writeError("No route matches '\(pattern)'.")
                    }
                }
            },
        ]
    }

    static func addRoute(_ inv: Invocation) throws {
        let h = try KrCmdlet.host(inv)
        let pattern = inv.string("Pattern") ?? "/"
        let verbs = inv.value("Verbs").map { HostValues.elements($0).map { HostValues.string($0).uppercased() } } ?? ["GET"]
        let sb: ScriptBlock
        let source: String
        if case .scriptBlock(let given)? = inv.value("ScriptBlock") {
            sb = given
            source = given.locationText
        } else if let code = inv.string("Code") {
            do { sb = try HostSupport.parseScriptBlock(code, file: "\(inv.locationText) (-Code of \(pattern))") } catch {
                throw inv.fail("The code of route '\(pattern)' does not parse: \(HostSupport.describe(error).location ?? ""): \(HostSupport.describe(error).message)")
            }
            source = "-Code at \(inv.locationText)"
        } else if let file = inv.string("CodeFilePath") {
            let path = PathResolver.normalize(file, base: h.root)
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw inv.fail("Cannot read the route code file '\(path)'.") }
            do { sb = try HostSupport.parseScriptBlock(text, file: path) } catch {
                let d = HostSupport.describe(error)
                throw inv.fail("The code of route '\(pattern)' does not parse: \(d.location ?? path): \(d.message)")
            }
            source = path
        } else {
            throw inv.fail("Add-KrMapRoute needs -ScriptBlock, -Code or -CodeFilePath.")
        }
        var args: [(String, Value)] = []
        if case .hashtable(let t)? = inv.value("Arguments") {
            args = t.entries.map { (HostValues.string($0.key), $0.value) }
        }
        let route: Route
        do { route = try Route(pattern: pattern, verbs: verbs, scriptBlock: sb, arguments: args, source: source) } catch let e as KrHostError {
            throw inv.fail(e.description)
        }
        var action = RouteTable.DuplicateAction(rawValue: (inv.string("DuplicateAction") ?? "Throw").capitalized) ?? .throw
        if inv.switchOn("AllowDuplicate") { action = .allow }
        do {
            if try h.routes.add(route, duplicate: action) == false, action == .skip { return }
        } catch let e as KrHostError {
            throw inv.fail(e.description)
        }
        if action == .warn { inv.context.writeHostLine("WARNING: route \(verbs.joined(separator: ",")) \(pattern) replaced an earlier one.") }
        if inv.switchOn("PassThru") { try inv.write(.object(h)) }
    }
}

/// A row of Get-KrRoute.
final class RouteInfo: PSObject, @unchecked Sendable {
    let route: Route
    init(_ r: Route) { route = r }
    static let type = DotNetTypeName.make("Kestrun.Hosting.Options.MapRouteOptions")
    override var dotNetType: DotNetType { RouteInfo.type }
    override var propertyNames: [String] { ["Pattern", "Verbs", "Source"] }
    override func getProperty(_ n: String) -> Value? {
        switch n.lowercased() {
        case "pattern": return .string(route.pattern)
        case "verbs": return .string(route.verbs.joined(separator: ","))
        case "source": return .string(route.source)
        default: return nil
        }
    }
}
