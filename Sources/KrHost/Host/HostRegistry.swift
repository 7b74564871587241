import Foundation
import KrScript

/// The named hosts of the process and the default one that cmdlets use when -Server is not given.
public final class HostRegistry: @unchecked Sendable {
    public static let shared = HostRegistry()
    private let lock = NSLock()
    private var hosts: [String: KrHost] = [:]
    private var order: [String] = []
    private var defaultName: String?
    private var _root = FileManager.default.currentDirectoryPath

    /// Initialize-KrRoot's folder, for hosts created afterwards too.
    public var root: String {
        get { lock.lock(); defer { lock.unlock() }; return _root }
        set { lock.lock(); _root = newValue; lock.unlock() }
    }

    public func add(_ h: KrHost) {
        lock.lock()
        defer { lock.unlock() }
        let k = h.name.lowercased()
        if hosts[k] == nil { order.append(k) }
        hosts[k] = h
        defaultName = k
    }

    public func get(_ name: String) -> KrHost? {
        lock.lock()
        defer { lock.unlock() }
        return hosts[name.lowercased()]
    }

    public var defaultHost: KrHost? {
        lock.lock()
        defer { lock.unlock() }
        return defaultName.flatMap { hosts[$0] }
    }

    public var all: [KrHost] {
        lock.lock()
        defer { lock.unlock() }
        return order.compactMap { hosts[$0] }
    }

    @discardableResult
    public func remove(_ name: String) -> KrHost? {
        lock.lock()
        defer { lock.unlock() }
        let k = name.lowercased()
        guard let h = hosts.removeValue(forKey: k) else { return nil }
        order.removeAll { $0 == k }
        if defaultName == k { defaultName = order.last }
        return h
    }

    /// Stops every running host (leaving the shell, SIGTERM).
    public func stopAll() {
        for h in all where h.isRunning { h.stop() }
    }
}
