import Foundation
import Synchronization

/// The built-in commands and aliases a context can call. Shared by every runspace of a process;
/// libraries (the language, the Kr host) register their cmdlets into it at start-up.
public final class CommandTable: @unchecked Sendable {
    private let state = Mutex<(cmdlets: [String: CmdletInfo], aliases: [String: String], topics: [String: HelpTopic])>(([:], [:], [:]))

    public init() {}

    package func register(_ info: CmdletInfo) {
        state.withLock { $0.cmdlets[info.name.lowercased()] = info }
    }

    public func registerAll(_ infos: [CmdletInfo]) {
        for i in infos { register(i) }
    }

    /// Adds an about_ topic for Get-Help and the generated reference.
    public func registerTopic(_ topic: HelpTopic) {
        state.withLock { $0.topics[topic.name.lowercased()] = topic }
    }

    public var topics: [HelpTopic] {
        state.withLock { Array($0.topics.values) }.sorted { $0.name.lowercased() < $1.name.lowercased() }
    }

    public func alias(_ name: String, _ target: String) {
        state.withLock { $0.aliases[name.lowercased()] = target }
    }

    public var cmdlets: [CmdletInfo] {
        state.withLock { Array($0.cmdlets.values) }.sorted { $0.name.lowercased() < $1.name.lowercased() }
    }

    public var aliases: [(String, String)] {
        state.withLock { $0.aliases.map { ($0.key, $0.value) } }.sorted { $0.0 < $1.0 }
    }

    public func cmdlet(_ name: String) -> CmdletInfo? {
        state.withLock { $0.cmdlets[name.lowercased()] }
    }

    enum Resolved {
        case function(FunctionInfo)
        case cmdlet(CmdletInfo)
        case script(String)
    }

    /// PowerShell's order: alias, function, cmdlet, then a script path.
    func resolve(_ name: String, _ c: ExecutionContext) -> Resolved? {
        var n = name.lowercased()
        if let target = state.withLock({ $0.aliases[n] }) { n = target.lowercased() }
        if let f = c.scope.lookupFunction(n) { return .function(f) }
        if let info = state.withLock({ $0.cmdlets[n] }) { return .cmdlet(info) }
        if name.hasSuffix(".ps1") || name.contains("/") {
            let path = (name as NSString).expandingTildeInPath
            if FileManager.default.fileExists(atPath: path) { return .script(path) }
        }
        return nil
    }
}
