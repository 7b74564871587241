import Foundation
import KrScript
import Logging

/// A logger built with New-KrLogger: a minimum level and a list of sinks, logging through swift-log.
/// A new logger has no sinks (its lines only reach the shared ring that Get-KrLog reads) until
/// Add-KrSinkConsole or Add-KrSinkFile adds one. The same object passes down the pipeline
/// (`New-KrLogger | Set-KrLoggerLevel | Add-KrSinkConsole | Register-KrLogger`) and can still be
/// changed after it is registered.
public final class KrLogger: PSObject, @unchecked Sendable {
    public enum Level: Int, Comparable, Sendable, CaseIterable {
        case verbose, debug, information, warning, error, fatal
        public static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }

        /// Serilog's names (and the usual short forms).
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

        /// The names Serilog's LogEventLevel has, for -Level parameters.
        public static let names = ["Verbose", "Debug", "Information", "Warning", "Error", "Fatal"]

        public var name: String { Level.names[rawValue] }
        /// Serilog's `{Level:u3}`.
        public var short: String { ["VRB", "DBG", "INF", "WRN", "ERR", "FTL"][rawValue] }

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

    /// Where lines go, each with its own minimum level (Serilog's RestrictedToMinimumLevel).
    public struct Sink: Sendable, Equatable {
        public enum Target: Sendable, Equatable {
            case console
            case file(String)
        }
        public var target: Target
        public var minimumLevel: Level

        public init(_ target: Target, minimumLevel: Level = .verbose) {
            self.target = target
            self.minimumLevel = minimumLevel
        }

        var displayName: String {
            switch target {
            case .console: return "Console"
            case .file(let path): return "File(\(path))"
            }
        }
    }

    /// One logged line.
    public struct Entry: Sendable {
        public let time: Date
        public let level: Level
        public let message: String
        /// The name the logger was registered under ("" before Register-KrLogger).
        public let logger: String
    }

    private struct Config {
        var name: String
        var level: Level
        var sinks: [Sink]
    }

    private let lock = NSLock()
    private var config: Config
    /// Rebuilt whenever the level or the sinks change; swift-log's own level check filters.
    private var swiftLogger: Logger

    public init(name: String = "", level: Level = .information, sinks: [Sink] = []) {
        let c = Config(name: name, level: level, sinks: sinks)
        config = c
        swiftLogger = KrLogger.makeSwiftLogger(c)
        super.init()
    }

    private static func makeSwiftLogger(_ c: Config) -> Logger {
        var l = Logger(label: c.name.isEmpty ? "krsh" : "krsh.\(c.name)") { _ in KrLogHandler(loggerName: c.name, sinks: c.sinks) }
        l.logLevel = c.level.swiftLog
        return l
    }

    private func update(_ change: (inout Config) -> Void) {
        lock.lock()
        defer { lock.unlock() }
        change(&config)
        swiftLogger = KrLogger.makeSwiftLogger(config)
    }

    private func read<T>(_ get: (Config) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return get(config)
    }

    public var name: String {
        get { read(\.name) }
        set { update { $0.name = newValue } }
    }

    public var level: Level {
        get { read(\.level) }
        set { update { $0.level = newValue } }
    }

    public var sinks: [Sink] {
        get { read(\.sinks) }
        set { update { $0.sinks = newValue } }
    }

    public func addSink(_ s: Sink) {
        update { c in
            if !c.sinks.contains(s) { c.sinks.append(s) }
        }
    }

    /// In the interactive shell console lines would garble the line being typed: while this is set
    /// (a server started at the prompt) they reach the ring and the file sinks only.
    public var consoleSuppressed: Bool {
        get { KrLogRegistry.shared.consoleSuppressed }
        set { KrLogRegistry.shared.consoleSuppressed = newValue }
    }

    /// Logs a finished message through swift-log (whose handler writes the sinks and the ring).
    public func log(_ level: Level, _ message: String) {
        lock.lock()
        let l = swiftLogger
        lock.unlock()
        l.log(level: level.swiftLog, "\(message)")
    }

    /// This logger's recent lines, oldest first.
    public func recent(_ n: Int) -> [Entry] {
        KrLogRegistry.shared.recent(n, logger: name)
    }

    // MARK: the script's view

    static let type = DotNetTypeName.make("Serilog.Core.Logger")
    public override var dotNetType: DotNetType { KrLogger.type }
    public override var propertyNames: [String] { ["Name", "MinimumLevel", "Sinks"] }

    public override func getProperty(_ n: String) -> Value? {
        switch n.lowercased() {
        case "name": return .string(name)
        case "minimumlevel", "level": return .string(level.name)
        case "sinks": return .array(PSArray(sinks.map { .string($0.displayName) }))
        default: return nil
        }
    }

    public override func toDisplayString(_ ctx: ExecutionContext?) -> String {
        let n = name.isEmpty ? "(unregistered)" : name
        return "\(n) (\(level.name); \(sinks.isEmpty ? "no sinks" : sinks.map(\.displayName).joined(separator: ", ")))"
    }
}

/// The swift-log handler behind a KrLogger: records every line in the shared ring, then writes it
/// to each sink whose minimum level it reaches.
struct KrLogHandler: LogHandler {
    let loggerName: String
    let sinks: [KrLogger.Sink]
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    init(loggerName: String, sinks: [KrLogger.Sink]) {
        self.loggerName = loggerName
        self.sinks = sinks
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let entry = KrLogger.Entry(time: Date(), level: KrLogger.Level(event.level), message: "\(event.message)", logger: loggerName)
        KrLogRegistry.shared.record(entry)
        for sink in sinks where entry.level >= sink.minimumLevel {
            switch sink.target {
            case .console:
                if !KrLogRegistry.shared.consoleSuppressed {
                    FileHandle.standardError.write(Data((LogLineFormat.console(entry) + "\n").utf8))
                }
            case .file(let path):
                LogFileWriter.append(LogLineFormat.file(entry) + "\n", to: path)
            }
        }
    }
}

/// Serilog's default output templates: the console's `[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}`
/// and the file's `{Timestamp:yyyy-MM-dd HH:mm:ss.fff zzz} [{Level:u3}] {Message:lj}`.
public enum LogLineFormat {
    public static func console(_ e: KrLogger.Entry) -> String {
        let t = LocalTime(e.time)
        return "[\(t.pad(t.hour)):\(t.pad(t.minute)):\(t.pad(t.second)) \(e.level.short)] \(e.message)"
    }

    public static func file(_ e: KrLogger.Entry) -> String {
        let t = LocalTime(e.time)
        let date = "\(t.year)-\(t.pad(t.month))-\(t.pad(t.day))"
        let time = "\(t.pad(t.hour)):\(t.pad(t.minute)):\(t.pad(t.second)).\(t.pad(t.millisecond, 3))"
        return "\(date) \(time) \(t.offset) [\(e.level.short)] \(e.message)"
    }
}

/// A timestamp broken down in the local time zone (localtime_r: thread-safe, unlike a shared
/// DateFormatter on every platform).
struct LocalTime {
    var year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, millisecond = 0
    var offset = "+00:00"

    init(_ date: Date) {
        let since = date.timeIntervalSince1970
        var seconds = time_t(since.rounded(.down))
        var parts = tm()
        guard localtime_r(&seconds, &parts) != nil else { return }
        year = Int(parts.tm_year) + 1900
        month = Int(parts.tm_mon) + 1
        day = Int(parts.tm_mday)
        hour = Int(parts.tm_hour)
        minute = Int(parts.tm_min)
        second = Int(parts.tm_sec)
        millisecond = min(999, Int((since - since.rounded(.down)) * 1000))
        let off = Int(parts.tm_gmtoff)
        offset = (off < 0 ? "-" : "+") + pad(abs(off) / 3600) + ":" + pad(abs(off) % 3600 / 60)
    }

    func pad(_ n: Int, _ width: Int = 2) -> String {
        let s = String(n)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }
}

/// Appends lines to log files, one writer at a time.
enum LogFileWriter {
    private static let lock = NSLock()

    static func append(_ text: String, to path: String) {
        lock.lock()
        defer { lock.unlock() }
        if !FileManager.default.fileExists(atPath: path) {
            _ = FileManager.default.createFile(atPath: path, contents: nil)
        }
        guard let h = FileHandle(forWritingAtPath: path) else { return }
        defer { try? h.close() }
        _ = try? h.seekToEnd()
        try? h.write(contentsOf: Data(text.utf8))
    }
}
