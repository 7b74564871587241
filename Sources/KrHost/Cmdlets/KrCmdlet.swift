import Foundation
import KrScript

/// Shared pieces of the Kr cmdlets: finding the host and the current request.
enum KrCmdlet {
    static let module = "KrShell"

    /// The -Server parameter every host cmdlet takes.
    static var serverParameter: ParameterMeta {
        ParameterMeta("Server", position: nil, pipeline: true, help: "The server (from New-KrServer) or its name; default: the current server.")
    }

    /// -Server, else the server running this request, else the default server.
    static func host(_ inv: Invocation) throws -> KrHost {
        if let v = inv.value("Server"), !v.isNull {
            if case .object(let h as KrHost) = v { return h }
            let name = HostValues.string(v)
            if let h = HostRegistry.shared.get(name) { return h }
            throw inv.fail("No server is named '\(name)'. Create one with New-KrServer -Name \(name).")
        }
        if let h = inv.context.hostData[KrHostKeys.host] as? KrHost { return h }
        if let h = HostRegistry.shared.defaultHost { return h }
        throw inv.fail("There is no server yet: create one with New-KrServer -Name NAME.")
    }

    /// The request being handled; an error outside a route.
    static func request(_ inv: Invocation) throws -> KrContext {
        guard let c = inv.context.hostData[KrHostKeys.context] as? KrContext else {
            throw inv.fail("\(inv.name) can only be used inside a route script block.")
        }
        return c
    }

    /// Writes the host downstream when asked (-PassThru) or when another command follows in the
    /// pipeline, so that `New-KrServer | Add-KrEndpoint | ... | Enable-KrConfiguration` works.
    static func passThru(_ inv: Invocation, _ h: KrHost) throws {
        if inv.switchOn("PassThru") || inv.hasDownstream { try inv.write(.object(h)) }
    }

    static func info(_ name: String, _ synopsis: String, description: String = "", _ parameters: [ParameterMeta],
                     examples: [CommandExample] = [], _ make: @escaping @Sendable () -> Cmdlet) -> CmdletInfo {
        CmdletInfo(name, synopsis: synopsis, description: description, module: module, parameters: parameters, examples: examples, make: make)
    }
}

/// Registers the Kr cmdlets into a command table.
public enum KrHostModule {
    public static func register(into table: CommandTable) {
        table.registerAll(ServerCmdlets.all + RouteCmdlets.all + RequestCmdlets.all + ResponseCmdlets.all + SharedStateCmdlets.all + LockCmdlets.all + SnapshotCmdlets.all + CacheResponseCmdlets.all + CacheCmdlets.all
                          + ResponseCmdlets.formats + LoggingCmdlets.all + WebCmdlets.all + FileServerCmdlets.all + ValidatorCmdlets.all)
        Completers.register(into: table)
        for topic in KrHelpTopics.all { table.registerTopic(topic) }
    }

    /// The interactive prompt is taking the terminal (also after `--no-exit FILE` started servers in
    /// script mode): console log lines from then on would garble the line being typed, so they stay
    /// off the console; `Get-KrLog -Tail N` shows them.
    public static func enterPrompt() {
        KrLogRegistry.shared.consoleSuppressed = true
    }

    /// Leaving the shell (or a script ending) stops every running server gracefully, then writes
    /// out the console log lines still gathered.
    public static func shutdown() {
        HostRegistry.shared.stopAll()
        ConsoleLogOutput.shared.flush()
    }
}
