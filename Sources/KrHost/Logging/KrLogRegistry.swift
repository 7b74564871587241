import Foundation

/// Named loggers (Register-KrLogger), the default one hosts log to, and a ring of the most recent
/// lines of every logger (Get-KrLog), so that the interactive shell can show them on request
/// instead of printing them over the line being typed.
public final class KrLogRegistry: @unchecked Sendable {
    public static let shared = KrLogRegistry()
    /// How many lines the ring keeps.
    public static let ringCapacity = 2000

    private let lock = NSLock()
    private var loggers: [String: KrLogger] = [:]
    /// Until a logger is registered with -SetAsDefault, hosts log to the console.
    private var _default = KrLogger(name: "default", sinks: [KrLogger.Sink(.console)])
    private var _quiet = false
    private var ring: [KrLogger.Entry] = []

    /// Set when the interactive prompt takes the terminal or a server starts there: console sinks then stay silent.
    public var consoleSuppressed: Bool {
        get { lock.lock(); defer { lock.unlock() }; return _quiet }
        set { lock.lock(); _quiet = newValue; lock.unlock() }
    }

    public var defaultLogger: KrLogger {
        lock.lock()
        defer { lock.unlock() }
        return _default
    }

    /// Registers a logger under its name (replacing one of the same name, case-insensitively).
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

    public var names: [String] {
        lock.lock()
        defer { lock.unlock() }
        return loggers.values.map(\.name).sorted()
    }

    func record(_ e: KrLogger.Entry) {
        lock.lock()
        defer { lock.unlock() }
        ring.append(e)
        // Trimmed in batches so that a full ring does not shift on every line.
        if ring.count >= KrLogRegistry.ringCapacity + 200 { ring.removeFirst(ring.count - KrLogRegistry.ringCapacity) }
    }

    /// The last `n` lines, oldest first; only those of one logger when `logger` is given, only
    /// those at `minimumLevel` or above.
    public func recent(_ n: Int, logger: String? = nil, minimumLevel: KrLogger.Level = .verbose) -> [KrLogger.Entry] {
        lock.lock()
        let all = ring
        lock.unlock()
        let picked = all.filter { e in
            e.level >= minimumLevel && (logger.map { e.logger.caseInsensitiveCompare($0) == .orderedSame } ?? true)
        }
        return Array(picked.suffix(max(0, n)))
    }
}
