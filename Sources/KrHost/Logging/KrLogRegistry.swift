import Foundation

/// Named loggers (Register-KrLogger) and the default one hosts log to.
public final class KrLogRegistry: @unchecked Sendable {
    public static let shared = KrLogRegistry()
    private let lock = NSLock()
    private var loggers: [String: KrLogger] = [:]
    private var _default = KrLogger(name: "default")
    private var _quiet = false

    /// Set when a server starts at the interactive prompt.
    public var consoleSuppressed: Bool {
        get { lock.lock(); defer { lock.unlock() }; return _quiet }
        set { lock.lock(); _quiet = newValue; lock.unlock() }
    }

    public var defaultLogger: KrLogger {
        lock.lock()
        defer { lock.unlock() }
        return _default
    }

    public func register(_ l: KrLogger, asDefault: Bool) {
        lock.lock()
        loggers[l.name.lowercased()] = l
        if asDefault { _default = l }
        lock.unlock()
    }

    public func get(_ name: String) -> KrLogger? {
        lock.lock()
        defer { lock.unlock() }
        return loggers[name.lowercased()]
    }
}
