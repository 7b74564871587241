import Foundation
import KrScript

/// What Tab completes from the running host: shared-state names, route patterns, cache entry
/// paths, URLs of the server's routes, and the shared-state variables that requests see.
enum Completers {
    static func register(into table: CommandTable) {
        for command in ["Get-KrSharedState", "Set-KrSharedState", "Remove-KrSharedState", "Watch-KrSharedState"] {
            table.registerArgumentCompleter(command: command, parameter: "Name") { request in
                sharedStateNames(request).map(\.name)
            }
        }
        for command in ["Get-KrRoute", "Remove-KrRoute"] {
            table.registerArgumentCompleter(command: command, parameter: "Pattern") { request in
                host(request).map { $0.routes.all.map(\.pattern) } ?? []
            }
        }
        for command in ["Get-KrCacheEntry", "Remove-KrCacheEntry"] {
            table.registerArgumentCompleter(command: command, parameter: "Path") { request in
                host(request)?.responseCache.map { $0.store.snapshot().map(\.path) } ?? []
            }
        }
        for command in ["Invoke-RestMethod", "Invoke-WebRequest"] {
            table.registerArgumentCompleter(command: command, parameter: "Uri") { request in
                routeURLs(typed: request.wordToComplete)
            }
        }
        table.registerVariableSource {
            (HostRegistry.shared.all.flatMap(\.sharedState.snapshot) + SharedStateStore.global.snapshot).map { ($0.name, $0.value) }
        }
    }

    /// The server a command line names with -Server (by name), else the default one.
    private static func host(_ request: ArgumentCompletion) -> KrHost? {
        if let name = request.namedArguments["server"], !name.hasPrefix("$") {
            return HostRegistry.shared.get(name)
        }
        return HostRegistry.shared.defaultHost
    }

    /// The store the command would use: the process-wide one with -Global, else the server's.
    private static func sharedStateNames(_ request: ArgumentCompletion) -> [SharedStateStore.Entry] {
        if request.namedArguments["global"] != nil { return SharedStateStore.global.snapshot }
        guard let h = host(request) else { return SharedStateStore.global.snapshot }
        return h.sharedState.snapshot + (request.command == "Get-KrSharedState" ? SharedStateStore.global.snapshot : [])
    }

    /// Every route of every server at each of its endpoints: `http://127.0.0.1:5000/hello`
    /// (without `http://` when the typed text does not start with it).
    private static func routeURLs(typed: String) -> [String] {
        let withScheme = typed.isEmpty || typed.lowercased().hasPrefix("h")
        return HostRegistry.shared.all.flatMap { h in
            h.endpoints.flatMap { e in
                h.routes.all.map { r in
                    let url = e.url + r.pattern
                    return withScheme ? url : String(url.dropFirst("http://".count))
                }
            }
        }
    }
}
