import Foundation
import Logging

/// The server's log: swift-log underneath, with console and file sinks and a ring of recent lines
/// the shell can show (Get-KrLog) without printing over the line being typed.
public final class KrLogger: @unchecked Sendable {
    public enum Level: Int, Comparable, Sendable, CaseIterable {
        case verbose, debug, information, warning, error, fatal
        public static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }

        public static func parse(_ s: String) -> Level? {
            switch s.lowercased() {
            case "verbose", "trace": return .verbose
            case "debug": return .debug
            case "information", "info": return .information
            case "warning", "warn": return .warning
            case "error": return .error
            case "fatal", "critical": return .fatal
            default: return nil
            }
        }

        var short: String { ["VRB", "DBG", "INF", "WRN", "ERR", "FTL"][rawValue] }

        var swiftLog: Logger.Level {
            switch self {
            case .verbose: return .trace
            case .debug: return .debug
            case .information: return .info
            case .warning: return .warning
            case .error: return .error
            case .fatal: return .critical
            }
        }

        init(_ l: Logger.Level) {
            switch l {
            case .trace: self = .verbose
            case .debug: self = .debug
            case .info, .notice: self = .information
            case .warning: self = .warning
            case .error: self = .error
            case .critical: self = .fatal
            }
        }
    }

    public enum Sink: Sendable, Equatable {
        case console
        case file(String)
    }

    public struct Entry: Sendable {
        public let time: Date
        public let level: Level
        public let message: String
    }

    public let name: String
    private let lock = NSLock()
    private var _level: Level = .information
    private var _sinks: [Sink] = [.console]
    private var ring: [Entry] = []
    private let ringSize = 2000
    /// In the interactive shell console lines would garble the prompt: they are kept in the ring only.
    public var consoleSuppressed: Bool {
        get { KrLogRegistry.shared.consoleSuppressed }
        set { KrLogRegistry.shared.consoleSuppressed = newValue }
    }
    private var swiftLogger: Logger!

    public init(name: String) {
        self.name = name
        swiftLogger = Logger(label: "krsh.\(name)") { [weak self] _ in KrLogHandler(owner: self) }
        swiftLogger.logLevel = .trace
    }

    public var level: Level {
        get { lock.lock(); defer { lock.unlock() }; return _level }
        set { lock.lock(); _level = newValue; lock.unlock() }
    }

    public var sinks: [Sink] {
        get { lock.lock(); defer { lock.unlock() }; return _sinks }
        set { lock.lock(); _sinks = newValue; lock.unlock() }
    }

    /// Logs through swift-log (whose handler comes back to `emit`).
    public func log(_ level: Level, _ message: String) {
        guard level >= self.level else { return }
        swiftLogger.log(level: level.swiftLog, "\(message)")
    }

    func emit(_ level: Level, _ message: String) {
        let e = Entry(time: Date(), level: level, message: message)
        lock.lock()
        ring.append(e)
        if ring.count > ringSize { ring.removeFirst(ring.count - ringSize) }
        let sinks = _sinks
        let quiet = consoleSuppressed
        lock.unlock()
        let line = KrLogger.format(e)
        for s in sinks {
            switch s {
            case .console where !quiet:
                FileHandle.standardError.write(Data((line + "\n").utf8))
            case .file(let path):
                KrLogger.append(line + "\n", to: path)
            default:
                break
            }
        }
    }

    public func recent(_ n: Int) -> [Entry] {
        lock.lock()
        defer { lock.unlock() }
        return Array(ring.suffix(n))
    }

    static let timeFormatter: DateFormatter = {
        let f = DateFormatter()
        f.dateFormat = "yyyy-MM-dd HH:mm:ss.SSS"
        f.locale = Locale(identifier: "en_US_POSIX")
        return f
    }()

    public static func format(_ e: Entry) -> String {
        "[\(timeFormatter.string(from: e.time)) \(e.level.short)] \(e.message)"
    }

    private static let fileLock = NSLock()

    static func append(_ text: String, to path: String) {
        fileLock.lock()
        defer { fileLock.unlock() }
        if !FileManager.default.fileExists(atPath: path) {
            _ = FileManager.default.createFile(atPath: path, contents: nil)
        }
        guard let h = FileHandle(forWritingAtPath: path) else { return }
        defer { try? h.close() }
        _ = try? h.seekToEnd()
        try? h.write(contentsOf: Data(text.utf8))
    }

    /// Serilog-style templates: `{Name}` placeholders filled in order from `values`.
    public static func render(_ template: String, _ values: [String]) -> String {
        var out = ""
        var i = 0
        var it = template.makeIterator()
        while let c = it.next() {
            if c == "{" {
                var name = ""
                var closed = false
                while let d = it.next() {
                    if d == "}" { closed = true; break }
                    name.append(d)
                }
                if name == "{" || !closed { out += "{" + name; continue }
                if i < values.count { out += values[i]; i += 1 } else { out += "{" + name + "}" }
            } else {
                out.append(c)
            }
        }
        return out
    }
}

/// swift-log handler that hands records to the owning KrLogger.
struct KrLogHandler: LogHandler {
    weak var owner: KrLogger?
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        owner?.emit(KrLogger.Level(event.level), "\(event.message)")
    }
}
