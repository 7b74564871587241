import Foundation
import KrScript

/// New-KrServer, Add-KrEndpoint, Initialize-KrRoot, Enable-KrConfiguration, Start/Stop/Get/Remove-KrServer,
/// Set-KrServerOptions, Set-KrServerLimit.
enum ServerCmdlets {
    static var all: [CmdletInfo] {
        [
            KrCmdlet.info("New-KrServer", "Creates a server (a host) and makes it the default one.", [
                ParameterMeta("Name", .string, position: 0, mandatory: true, help: "The server's name."),
                ParameterMeta("PassThru", .switchParameter, help: "Outputs the server."),
            ], examples: [CommandExample("New-KrServer -Name demo | Add-KrEndpoint -Port 5000 | Enable-KrConfiguration | Out-Null", "Creates a server listening on 127.0.0.1:5000.")]) {
                ClosureCmdlet { inv, _ in
                    let name = inv.string("Name") ?? "default"
                    if let old = HostRegistry.shared.get(name), old.isRunning {
                        throw inv.fail("Server '\(name)' is running; stop it with Stop-KrServer before creating it again.")
                    }
                    let h = KrHost(name: name, commands: inv.context.commandTable)
                    h.root = HostRegistry.shared.root
                    HostRegistry.shared.add(h)
                    // The new server is this session's default (other sessions keep theirs).
                    inv.context.hostData[KrHostKeys.host] = h
                    try KrCmdlet.passThru(inv, h)
                }
            },
            KrCmdlet.info("Add-KrEndpoint", "Adds a listening address (loopback unless -IPAddress says otherwise).", [
                KrCmdlet.serverParameter,
                ParameterMeta("Port", .int32, position: 0, help: "The TCP port."),
                ParameterMeta("IPAddress", help: "The address to listen on (default 127.0.0.1)."),
                ParameterMeta("HostName", .string, help: "A host name to listen on (resolved by the system)."),
                ParameterMeta("Uri", .string, help: "A URL such as http://127.0.0.1:5000."),
                ParameterMeta("PassThru", .switchParameter, help: "Outputs the server."),
            ], examples: [
                CommandExample("New-KrServer -Name api | Add-KrEndpoint -Port 5000 | Out-Null", "Listens on 127.0.0.1:5000 (loopback only)."),
                CommandExample("Add-KrEndpoint -Uri 'http://127.0.0.1:5000'", "The same address given as a URL.", setup: "New-KrServer -Name example | Out-Null"),
            ]) {
                ClosureCmdlet { inv, _ in
                    let h = try KrCmdlet.host(inv)
                    var address = "127.0.0.1"
                    var port = try inv.int("Port")
                    if let ip = inv.value("IPAddress"), !ip.isNull { address = HostValues.string(ip) }
                    if let hn = inv.string("HostName") { address = hn }
                    if let u = inv.string("Uri") {
                        guard let url = URL(string: u), let hostPart = url.host else { throw inv.fail("'\(u)' is not a valid URL.") }
                        address = hostPart
                        port = url.port ?? (url.scheme == "https" ? 443 : 80)
                    }
                    guard let p = port, (1...65535).contains(p) else { throw inv.fail("Add-KrEndpoint needs -Port between 1 and 65535 (or -Uri).") }
                    try h.addEndpoint(Endpoint(host: address, port: p))
                    try KrCmdlet.passThru(inv, h)
                }
            },
            KrCmdlet.info("Initialize-KrRoot", "Sets the folder that relative (and Windows-style) paths resolve against.", [
                ParameterMeta("Path", .string, position: 0, mandatory: true, help: "The root folder."),
            ], examples: [
                CommandExample("Initialize-KrRoot -Path $PSScriptRoot", "Paths such as '.\\Assets\\wwwroot' now resolve against the script's folder."),
            ]) {
                ClosureCmdlet { inv, _ in
                    let p = PathResolver.normalize(inv.string("Path") ?? ".", base: FileManager.default.currentDirectoryPath)
                    var isDir: ObjCBool = false
                    guard FileManager.default.fileExists(atPath: p, isDirectory: &isDir), isDir.boolValue else {
                        throw inv.fail("The root folder '\(p)' does not exist.")
                    }
                    HostRegistry.shared.root = p
                    for h in HostRegistry.shared.all { h.root = p }
                }
            },
            KrCmdlet.info("Enable-KrConfiguration", "Finishes configuration: variables and functions defined so far are given to every request.", [
                KrCmdlet.serverParameter,
                ParameterMeta("PassThru", .switchParameter, help: "Outputs the server."),
            ], examples: [
                CommandExample("$Greeting = 'Hello'\nfunction Get-Answer { 42 }\nEnable-KrConfiguration",
                               "Every request sees $Greeting and can call Get-Answer.", setup: "New-KrServer -Name example | Out-Null"),
            ]) {
                ClosureCmdlet { inv, _ in
                    let h = try KrCmdlet.host(inv)
                    let (vars, funcs) = inv.context.capturableState()
                    h.enable(variables: vars.filter { name, v in
                        if case .object(let o) = v, o is KrHost { return false }
                        return h.sharedState.get(name) == nil
                    }, functions: funcs)
                    inv.context.hostData[FunctionHook.key] = FunctionHook { [weak h] f in h?.functionDefined(f) }
                    try KrCmdlet.passThru(inv, h)
                }
            },
            KrCmdlet.info("Start-KrServer", "Starts the server. In a script it blocks until Ctrl-C, SIGTERM or Stop-KrServer; at the prompt it returns at once.", [
                KrCmdlet.serverParameter,
                ParameterMeta("NoWait", .switchParameter, help: "Returns at once in every mode."),
                ParameterMeta("Quiet", .switchParameter, help: "Prints no 'Now listening on' line."),
                ParameterMeta("PassThru", .switchParameter, help: "Outputs the server."),
            ], examples: [
                CommandExample("Start-KrServer -NoWait", "Starts serving and returns at once, in a script too; without -NoWait a script waits here until Ctrl-C, SIGTERM or Stop-KrServer.",
                               setup: "New-KrServer -Name example | Add-KrEndpoint -Port 5000 | Enable-KrConfiguration | Out-Null"),
            ]) {
                ClosureCmdlet { inv, _ in
                    let h = try KrCmdlet.host(inv)
                    let interactive = inv.context.isInteractive
                    if interactive { h.logger.consoleSuppressed = true }
                    let urls: [String]
                    do { urls = try h.start() } catch let e as KrHostError { throw inv.fail(e.description) }
                    if !inv.switchOn("Quiet") {
                        for u in urls { inv.context.writeHostLine("Now listening on: \(u)") }
                        inv.context.flushOutput()
                    }
                    if inv.switchOn("PassThru") { try inv.write(.object(h)) }
                    if !interactive && !inv.switchOn("NoWait") {
                        SignalWaiter.waitForStop(h)
                    }
                }
            },
            KrCmdlet.info("Stop-KrServer", "Stops the server after the requests in flight finish.", [
                KrCmdlet.serverParameter,
            ], examples: [
                CommandExample("Add-KrMapRoute -Verbs Post -Pattern '/shutdown' -ScriptBlock { Stop-KrServer; Write-KrTextResponse 'bye' }",
                               "A route that stops the server; a script blocked in Start-KrServer then goes on.", setup: "New-KrServer -Name example | Out-Null"),
                CommandExample("Stop-KrServer -Server example", "Stops the server named example.", setup: "New-KrServer -Name example | Add-KrEndpoint -Port 5000 | Enable-KrConfiguration | Out-Null\nStart-KrServer -NoWait -Quiet"),
            ]) {
                ClosureCmdlet { inv, _ in try KrCmdlet.host(inv).stop() }
            },
            KrCmdlet.info("Get-KrServer", "Lists the servers of this session.", [
                ParameterMeta("Name", .string, position: 0, help: "A name (wildcards allowed)."),
            ], examples: [
                CommandExample("Get-KrServer | Format-Table Name, State", "The servers of this session and whether they run.", setup: "New-KrServer -Name example | Out-Null"),
            ]) {
                ClosureCmdlet { inv, _ in
                    let pattern = inv.string("Name")
                    for h in HostRegistry.shared.all where pattern.map({ WildcardMatch.matches($0, h.name) }) ?? true {
                        try inv.write(.object(h))
                    }
                }
            },
            KrCmdlet.info("Remove-KrServer", "Stops a server and removes it with its shared state.", [
                ParameterMeta("Name", .string, position: 0, help: "The server's name; default: the current server."),
                KrCmdlet.serverParameter,
            ], examples: [
                CommandExample("Remove-KrServer -Name example", "Stops the server named example and forgets it and its shared state.", setup: "New-KrServer -Name example | Out-Null"),
            ]) {
                ClosureCmdlet { inv, _ in
                    let h: KrHost
                    if let n = inv.string("Name") {
                        guard let found = HostRegistry.shared.get(n) else { throw inv.fail("No server is named '\(n)'.") }
                        h = found
                    } else {
                        h = try KrCmdlet.host(inv)
                    }
                    h.stop()
                    h.sharedState.clear()
                    HostRegistry.shared.remove(h.name)
                    if inv.context.hostData[KrHostKeys.host] as? KrHost === h {
                        inv.context.hostData[KrHostKeys.host] = HostRegistry.shared.defaultHost
                    }
                }
            },
            KrCmdlet.info("Set-KrServerOptions", "Sets the runspace pool's size.", [
                KrCmdlet.serverParameter,
                ParameterMeta("MaxRunspaces", .int32, help: "The most requests run at once."),
                ParameterMeta("MinRunspaces", .int32, help: "Runspaces started up front."),
                ParameterMeta("PassThru", .switchParameter, help: "Outputs the server."),
            ], examples: [
                CommandExample("Set-KrServerOptions -MinRunspaces 2 -MaxRunspaces 8", "At most eight requests run at once; two runspaces are ready at start.", setup: "New-KrServer -Name example | Out-Null"),
            ]) {
                ClosureCmdlet { inv, _ in
                    let h = try KrCmdlet.host(inv)
                    var o = h.options
                    if let m = try inv.int("MaxRunspaces") { guard m >= 1 else { throw inv.fail("-MaxRunspaces must be at least 1.") }; o.maxRunspaces = m }
                    if let m = try inv.int("MinRunspaces") { guard m >= 0 else { throw inv.fail("-MinRunspaces must not be negative.") }; o.minRunspaces = m }
                    if o.minRunspaces > o.maxRunspaces { throw inv.fail("-MinRunspaces (\(o.minRunspaces)) is larger than -MaxRunspaces (\(o.maxRunspaces)).") }
                    if h.isRunning { throw inv.fail("Set-KrServerOptions must run before Start-KrServer.") }
                    h.options = o
                    try KrCmdlet.passThru(inv, h)
                }
            },
            KrCmdlet.info("Set-KrServerLimit", "Sets request limits (body size, header size, timeouts).", [
                KrCmdlet.serverParameter,
                ParameterMeta("MaxRequestBodySize", .int64, help: "Largest request body in bytes (default 30,000,000); larger gets 413."),
                ParameterMeta("MaxRequestHeadersTotalSize", .int32, help: "Largest header block in bytes (default 32 KB); larger gets 431."),
                ParameterMeta("KeepAliveTimeout", .double, help: "Seconds an idle connection stays open (default 130)."),
                ParameterMeta("RequestHeadersTimeout", .double, help: "Seconds allowed to receive the headers (default 30)."),
                ParameterMeta("PassThru", .switchParameter, help: "Outputs the server."),
            ], examples: [
                CommandExample("Set-KrServerLimit -MaxRequestBodySize 1048576 -KeepAliveTimeout 30", "Bodies over 1 MB get 413; idle connections close after 30 seconds.", setup: "New-KrServer -Name example | Out-Null"),
            ]) {
                ClosureCmdlet { inv, _ in
                    let h = try KrCmdlet.host(inv)
                    var l = h.limits
                    if let v = try inv.int("MaxRequestBodySize") { guard v > 0 else { throw inv.fail("-MaxRequestBodySize must be positive.") }; l.maxRequestBodySize = v }
                    if let v = try inv.int("MaxRequestHeadersTotalSize") { guard v > 0 else { throw inv.fail("-MaxRequestHeadersTotalSize must be positive.") }; l.maxRequestHeadersTotalSize = v }
                    if let v = try inv.double("KeepAliveTimeout") { guard v > 0 else { throw inv.fail("-KeepAliveTimeout must be positive.") }; l.keepAliveTimeout = v }
                    if let v = try inv.double("RequestHeadersTimeout") { guard v > 0 else { throw inv.fail("-RequestHeadersTimeout must be positive.") }; l.requestHeadersTimeout = v }
                    h.limits = l
                    try KrCmdlet.passThru(inv, h)
                }
            },
        ]
    }
}

/// Blocks a script's Start-KrServer until SIGINT, SIGTERM or Stop-KrServer, then drains.
enum SignalWaiter {
    static func waitForStop(_ h: KrHost) {
        let queue = DispatchQueue(label: "krsh.signals")
        var sources: [DispatchSourceSignal] = []
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let s = DispatchSource.makeSignalSource(signal: sig, queue: queue)
            s.setEventHandler { h.stop() }
            s.resume()
            sources.append(s)
        }
        h.waitUntilStopped()
        for s in sources { s.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}

/// Paths in scripts: `\` separators and paths relative to a root.
enum PathResolver {
    static func normalize(_ path: String, base: String) -> String {
        var p = path.replacingOccurrences(of: "\\", with: "/")
        p = (p as NSString).expandingTildeInPath
        if !p.hasPrefix("/") { p = (base as NSString).appendingPathComponent(p) }
        return (p as NSString).standardizingPath
    }
}

enum WildcardMatch {
    static func matches(_ pattern: String, _ text: String) -> Bool {
        HostValues.wildcard(pattern, text)
    }
}
