import Foundation
import Synchronization
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
                    ConsoleLogOutput.shared.write(LogLineFormat.console(entry) + "\n")
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
        self = LocalTime.wholeSecond(time_t(since.rounded(.down)))
        millisecond = min(999, Int((since - since.rounded(.down)) * 1000))
    }

    private init() {}

    /// The broken-down time of one second, remembered: a request log line costs one lookup instead
    /// of a localtime_r (which takes glibc's time-zone lock) while the second lasts.
    private static let last = Mutex<(time_t, LocalTime)?>(nil)

    private static func wholeSecond(_ seconds: time_t) -> LocalTime {
        if let hit = last.withLock({ $0 }), hit.0 == seconds { return hit.1 }
        var t = LocalTime()
        var copy = seconds
        var parts = tm()
        if localtime_r(&copy, &parts) != nil {
            t.year = Int(parts.tm_year) + 1900
            t.month = Int(parts.tm_mon) + 1
            t.day = Int(parts.tm_mday)
            t.hour = Int(parts.tm_hour)
            t.minute = Int(parts.tm_min)
            t.second = Int(parts.tm_sec)
            let off = Int(parts.tm_gmtoff)
            t.offset = (off < 0 ? "-" : "+") + t.pad(abs(off) / 3600) + ":" + t.pad(abs(off) % 3600 / 60)
        }
        last.withLock { $0 = (seconds, t) }
        return t
    }

    func pad(_ n: Int, _ width: Int = 2) -> String {
        let s = String(n)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }
}

/// Console log lines, gathered: a busy server's lines leave in one write(2) per 8 KB or per 10 ms
/// (the first line of a quiet period schedules the flush), instead of one system call per request.
/// Lines keep their order (the write happens under the lock); krsh flushes when it leaves.
final class ConsoleLogOutput: @unchecked Sendable {
    static let shared = ConsoleLogOutput(fd: STDERR_FILENO)

    private let fd: Int32
    private let lock = NSLock()
    private var buffer: [UInt8] = []
    private var flushScheduled = false

    init(fd: Int32) { self.fd = fd }

    func write(_ line: String) {
        lock.lock()
        defer { lock.unlock() }
        buffer.append(contentsOf: line.utf8)
        if buffer.count >= 8192 {
            writeBufferLocked()
        } else if !flushScheduled {
            flushScheduled = true
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(10)) { [self] in flush() }
        }
    }

    func flush() {
        lock.lock()
        defer { lock.unlock() }
        flushScheduled = false
        writeBufferLocked()
    }

    private func writeBufferLocked() {
        guard !buffer.isEmpty else { return }
        buffer.withUnsafeBufferPointer { LogFileWriter.writeAll($0, to: fd) }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// Appends lines to log files (each opened once, in append mode, and kept open).
enum LogFileWriter {
    private static let files = Mutex<[String: Int32]>([:])

    static func append(_ text: String, to path: String) {
        let fd = files.withLock { opened -> Int32 in
            if let fd = opened[path] { return fd }
            let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
            if fd >= 0 { opened[path] = fd }
            return fd
        }
        if fd >= 0 { writeLine(text, to: fd) }
    }

    /// One write(2) per line (O_APPEND keeps whole lines of concurrent writers together).
    static func writeLine(_ text: String, to fd: Int32) {
        var text = text
        text.withUTF8 { writeAll($0, to: fd) }
    }

    static func writeAll(_ bytes: UnsafeBufferPointer<UInt8>, to fd: Int32) {
        guard let base = bytes.baseAddress else { return }
        var done = 0
        while done < bytes.count {
            let n = write(fd, base + done, bytes.count - done)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            done += n
        }
    }
}
