import Foundation
import KrScript
import Logging
import Synchronization

/// The host object the Kr cmdlets drive: endpoints, options, routes, shared state, the runspace pool
/// and the running server. Lifecycle: configuring -> enabled -> running -> stopped.
public final class KrHost: PSObject, @unchecked Sendable {
    public enum State: String, Sendable { case configuring = "Configuring", enabled = "Enabled", running = "Running", stopped = "Stopped" }

    public let name: String
    public let routes = RouteTable()
    public let sharedState = SharedStateStore()
    public let middleware = MiddlewarePipeline()
    let commands: CommandTable
    /// The default logger at the time of use (Register-KrLogger -SetAsDefault may come later).
    var logger: KrLogger { KrLogRegistry.shared.defaultLogger }
    private let lock = NSLock()
    private var _state = State.configuring
    private var _endpoints: [Endpoint] = []
    private var _options = ServerOptions()
    private var _limits = ServerLimits()
    private var _root: String
    private var _implicitVariables: [(String, Value)] = []
    private var _functions: [String: FunctionInfo] = [:]
    private var server: KrServerEngine?
    private var _pool: RunspacePool?

    public init(name: String, commands: CommandTable) {
        self.name = name
        self.commands = commands
        _root = FileManager.default.currentDirectoryPath
        super.init()
    }

    static let type = DotNetTypeName.make("Kestrun.Hosting.KestrunHost")
    public override var dotNetType: DotNetType { KrHost.type }
    public override var propertyNames: [String] { ["Name", "State", "Endpoints", "Routes"] }

    public override func getProperty(_ n: String) -> Value? {
        switch n.lowercased() {
        case "name": return .string(name)
        case "state": return .string(state.rawValue)
        case "endpoints": return .array(PSArray(endpoints.map { .string($0.url) }))
        case "routes": return .int(Int32(routes.all.count))
        case "root": return .string(root)
        case "isrunning": return .bool(isRunning)
        default: return nil
        }
    }

    public override func toDisplayString(_ ctx: ExecutionContext?) -> String { name }

    private func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    public var state: State { locked { _state } }
    public var endpoints: [Endpoint] { locked { _endpoints } }
    public var options: ServerOptions {
        get { locked { _options } }
        set { locked { _options = newValue } }
    }
    public var limits: ServerLimits {
        get { locked { _limits } }
        set { locked { _limits = newValue } }
    }
    /// The folder relative paths and Windows-style `\` paths are resolved against (Initialize-KrRoot).
    public var root: String {
        get { locked { _root } }
        set { locked { _root = newValue } }
    }

    public func addEndpoint(_ e: Endpoint) throws {
        try locked {
            if _endpoints.contains(where: { $0.host == e.host && $0.port == e.port }) {
                throw KrHostError("The endpoint \(e.url) is already configured on server '\(name)'.")
            }
            _endpoints.append(e)
        }
    }

    /// Enable-KrConfiguration: captures the variables and functions defined so far; they are given
    /// to every request's runspace.
    func enable(variables: [(String, Value)], functions: [FunctionInfo]) {
        locked {
            _implicitVariables = variables
            for f in functions { _functions[f.name.lowercased()] = f }
            if _state == .configuring { _state = .enabled }
        }
    }

    /// A function (re)defined after Enable-KrConfiguration reaches new requests only.
    func functionDefined(_ f: FunctionInfo) {
        locked { _functions[f.name.lowercased()] = f }
    }

    var implicitVariables: [(String, Value)] { locked { _implicitVariables } }
    var functions: [FunctionInfo] { locked { Array(_functions.values) } }

    func implicitVariable(_ name: String) -> Value? {
        locked { _implicitVariables.first { $0.0.lowercased() == name.lowercased() }?.1 }
    }

    var pool: RunspacePool {
        locked {
            if let p = _pool { return p }
            let p = RunspacePool(host: self, min: _options.minRunspaces, max: _options.maxRunspaces)
            _pool = p
            return p
        }
    }

    // MARK: lifecycle

    /// Starts listening on every endpoint; returns once they all listen (or throws, e.g. port in use).
    public func start() throws -> [String] {
        let eps: [Endpoint] = try locked {
            if _state == .running { throw KrHostError("Server '\(name)' is already running.") }
            if _endpoints.isEmpty { throw KrHostError("Server '\(name)' has no endpoint: add one with Add-KrEndpoint -Port N.") }
            return _endpoints
        }
        let engine = KrServerEngine(host: self, endpoints: eps, limits: limits)
        let urls = try engine.start()
        locked {
            server = engine
            _state = .running
        }
        return urls
    }

    /// Stops the server: in-flight requests finish first; then the runspace threads end (a restart
    /// makes a new pool).
    public func stop() {
        let engine: KrServerEngine? = locked {
            let s = server
            server = nil
            if _state == .running { _state = .stopped }
            return s
        }
        engine?.stop()
        let pool: RunspacePool? = locked {
            let p = _pool
            _pool = nil
            return p
        }
        pool?.close()
    }

    /// Blocks until the server stops (Stop-KrServer, SIGINT or SIGTERM).
    public func waitUntilStopped() {
        let engine = locked { server }
        engine?.waitUntilStopped()
    }

    public var isRunning: Bool { state == .running }
}

public struct KrHostError: LocalizedError, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ d: String) { description = d }
    public var errorDescription: String? { description }
}

/// One listening address.
public struct Endpoint: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var url: String { host.contains(":") ? "http://[\(host)]:\(port)" : "http://\(host):\(port)" }
}

/// Set-KrServerOptions.
public struct ServerOptions: Sendable {
    public var minRunspaces: Int = max(8, 2 * ProcessInfo.processInfo.activeProcessorCount)
    public var maxRunspaces: Int = max(32, 8 * ProcessInfo.processInfo.activeProcessorCount)
}

/// Set-KrServerLimit, with Kestrel's defaults.
public struct ServerLimits: Sendable {
    public var maxRequestBodySize: Int = 30_000_000
    public var maxRequestHeadersTotalSize: Int = 32 * 1024
    public var keepAliveTimeout: Double = 130
    public var requestHeadersTimeout: Double = 30
}
