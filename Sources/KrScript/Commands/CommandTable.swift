import Foundation
import Synchronization

/// The built-in commands and aliases a context can call. Shared by every runspace of a process;
/// libraries (the language, the Kr host) register their cmdlets into it at start-up.
public final class CommandTable: @unchecked Sendable {
    private let state = Mutex<(cmdlets: [String: CmdletInfo], aliases: [String: String], topics: [String: HelpTopic])>(([:], [:], [:]))
    private let completers = Mutex<(arguments: [String: ArgumentCompleter], variables: [VariableSource])>(([:], []))

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

    // MARK: completion providers

    /// Registers what Tab offers for `-parameter` of `command` (names the library knows live:
    /// shared-state names, route patterns...). The engine filters the answer by what was typed.
    public func registerArgumentCompleter(command: String, parameter: String, _ completer: @escaping ArgumentCompleter) {
        completers.withLock { $0.arguments[Self.completerKey(command, parameter)] = completer }
    }

    /// Registers variables that scripts see without the prompt defining them (shared state injected
    /// into requests): Tab completes their names, and members after `$name.` from their values.
    public func registerVariableSource(_ source: @escaping VariableSource) {
        completers.withLock { $0.variables.append(source) }
    }

    func argumentCompleter(command: String, parameter: String) -> ArgumentCompleter? {
        completers.withLock { $0.arguments[Self.completerKey(command, parameter)] }
    }

    var injectedVariables: [(name: String, value: Value)] {
        completers.withLock { $0.variables }.flatMap { $0() }
    }

    private static func completerKey(_ command: String, _ parameter: String) -> String {
        command.lowercased() + " -" + parameter.lowercased()
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

/// What Tab asks a completer registered with `CommandTable.registerArgumentCompleter`.
public struct ArgumentCompletion: Sendable {
    /// The command and parameter as declared.
    public let command: String
    public let parameter: String
    /// The text typed so far for the value (quotes removed).
    public let wordToComplete: String
    /// The other parameters written on the line, by lower-cased name: their text as typed, "" for a switch.
    public let namedArguments: [String: String]

    public init(command: String, parameter: String, wordToComplete: String, namedArguments: [String: String] = [:]) {
        self.command = command
        self.parameter = parameter
        self.wordToComplete = wordToComplete
        self.namedArguments = namedArguments
    }
}

/// Candidate values for one parameter (the engine keeps those that start with the typed text).
public typealias ArgumentCompleter = @Sendable (ArgumentCompletion) -> [String]

/// Variables a host injects, with their current values.
public typealias VariableSource = @Sendable () -> [(name: String, value: Value)]
