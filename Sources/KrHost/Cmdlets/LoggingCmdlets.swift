import Foundation
import KrScript

/// New-KrLogger, Set-KrLoggerLevel, Add-KrSinkConsole, Add-KrSinkFile, Register-KrLogger, Write-KrLog, Get-KrLog.
/// The configuring cmdlets always write the logger on (Kestrun's return a LoggerConfiguration), so
/// both a pipeline and `$cfg = New-KrLogger | ...` work; Register-KrLogger is silent without -PassThru.
enum LoggingCmdlets {
    static var loggerParameter: ParameterMeta {
        ParameterMeta("LoggerConfig", pipeline: true, aliases: ["Logger"], help: "The logger from New-KrLogger (usually piped in).")
    }

    static func levelParameter(_ name: String, position: Int? = nil, mandatory: Bool = false, help: String) -> ParameterMeta {
        ParameterMeta(name, .string, position: position, mandatory: mandatory, set: KrLogger.Level.names, help: help)
    }

    /// The logger piped in or given with -LoggerConfig.
    static func logger(_ inv: Invocation) throws -> KrLogger {
        if case .object(let l as KrLogger)? = inv.value("LoggerConfig") { return l }
        if let v = inv.value("LoggerConfig"), !v.isNull {
            throw inv.fail("\(inv.name) needs a logger from New-KrLogger, not a \(HostValues.typeName(v)).")
        }
        throw inv.fail("\(inv.name) needs a logger: pipe one in, as in New-KrLogger | \(inv.name) ...")
    }

    static func level(_ inv: Invocation, _ name: String) throws -> KrLogger.Level? {
        guard let s = inv.string(name) else { return nil }
        guard let l = KrLogger.Level.parse(s) else {
            throw inv.fail("'\(s)' is not a log level; use one of \(KrLogger.Level.names.joined(separator: ", ")).")
        }
        return l
    }

    static var all: [CmdletInfo] {
        [
            KrCmdlet.info("New-KrLogger", "Starts a logger configuration: level Information, no sinks until Add-KrSink* adds them.", [
                ParameterMeta("MinimumLevel", .string, set: KrLogger.Level.names, help: "The lowest level logged (default Information)."),
            ], examples: [
                CommandExample("New-KrLogger | Set-KrLoggerLevel -Value Debug | Add-KrSinkConsole | Register-KrLogger -Name console -SetAsDefault",
                               "Builds a console logger at Debug level and makes the servers log to it."),
            ]) {
                ClosureCmdlet { inv, _ in
                    try inv.write(.object(KrLogger(level: try level(inv, "MinimumLevel") ?? .information)))
                }
            },
            KrCmdlet.info("Set-KrLoggerLevel", "Sets the lowest level a logger writes.", [
                loggerParameter,
                levelParameter("Value", position: 0, mandatory: true, help: "Verbose, Debug, Information, Warning, Error or Fatal."),
            ], examples: [
                CommandExample("New-KrLogger | Set-KrLoggerLevel -Value Warning | Add-KrSinkFile -Path logs/warn.log | Register-KrLogger -Name warnings",
                               "A logger that writes only warnings and worse to a file."),
            ]) {
                ClosureCmdlet { inv, _ in
                    let l = try logger(inv)
                    if let v = try level(inv, "Value") { l.level = v }
                    try inv.write(.object(l))
                }
            },
            KrCmdlet.info("Add-KrSinkConsole", "Adds the console (standard error) to a logger's sinks. At the interactive prompt a running server's lines are kept for Get-KrLog instead.", [
                loggerParameter,
                levelParameter("RestrictedToMinimumLevel", help: "The lowest level this sink writes (default Verbose: all the logger writes)."),
            ], examples: [
                CommandExample("New-KrLogger | Add-KrSinkConsole | Register-KrLogger -Name console -SetAsDefault", "Logs to the console."),
            ]) {
                ClosureCmdlet { inv, _ in
                    let l = try logger(inv)
                    l.addSink(KrLogger.Sink(.console, minimumLevel: try level(inv, "RestrictedToMinimumLevel") ?? .verbose))
                    try inv.write(.object(l))
                }
            },
            KrCmdlet.info("Add-KrSinkFile", "Adds a file to a logger's sinks; lines are appended.", [
                loggerParameter,
                ParameterMeta("Path", .string, position: 0, mandatory: true, help: "The log file; relative and Windows-style paths resolve against Initialize-KrRoot's folder. Missing folders are created."),
                levelParameter("RestrictedToMinimumLevel", help: "The lowest level this sink writes (default Verbose: all the logger writes)."),
            ], examples: [
                CommandExample("New-KrLogger | Add-KrSinkFile -Path '.\\logs\\server.log' | Register-KrLogger -Name file -SetAsDefault",
                               "Logs to logs/server.log under the root folder."),
            ]) {
                ClosureCmdlet { inv, _ in
                    let l = try logger(inv)
                    let path = try prepareLogFile(inv, inv.string("Path") ?? "")
                    l.addSink(KrLogger.Sink(.file(path), minimumLevel: try level(inv, "RestrictedToMinimumLevel") ?? .verbose))
                    try inv.write(.object(l))
                }
            },
            KrCmdlet.info("Register-KrLogger", "Registers a logger under a name; -SetAsDefault makes servers and Write-KrLog use it.", [
                ParameterMeta("Name", .string, position: 0, mandatory: true, help: "The logger's name (for Write-KrLog -LoggerName and Get-KrLog -LoggerName)."),
                loggerParameter,
                ParameterMeta("SetAsDefault", .switchParameter, help: "Makes it the default logger: request lines and Write-KrLog without -LoggerName go to it."),
                ParameterMeta("PassThru", .switchParameter, help: "Outputs the logger."),
            ], examples: [
                CommandExample("New-KrLogger | Add-KrSinkConsole | Register-KrLogger -Name console -SetAsDefault", "Registers a console logger as the default."),
            ]) {
                ClosureCmdlet { inv, _ in
                    let l = try logger(inv)
                    let name = inv.string("Name") ?? ""
                    guard !name.trimmingCharacters(in: .whitespaces).isEmpty else { throw inv.fail("Register-KrLogger needs a -Name that is not empty.") }
                    l.name = name
                    KrLogRegistry.shared.register(l, asDefault: inv.switchOn("SetAsDefault"))
                    if inv.switchOn("PassThru") { try inv.write(.object(l)) }
                }
            },
            writeLog,
            getLog,
        ]
    }

    static var writeLog: CmdletInfo {
        KrCmdlet.info("Write-KrLog", "Logs a message: a Serilog template whose {Name} holes are filled in order from -Values.", [
            levelParameter("Level", position: 0, mandatory: true, help: "Verbose, Debug, Information, Warning, Error or Fatal."),
            ParameterMeta("Message", .string, position: 1, help: "The message template, e.g. 'Order {OrderId} took {Elapsed:0.0} ms'."),
            ParameterMeta("Values", .arrayOf(.object), aliases: ["Properties", "PropertyValues"], help: "The values for the template's holes, in order."),
            ParameterMeta("LoggerName", .string, aliases: ["Name"], help: "A logger registered with Register-KrLogger (default: the default logger)."),
            ParameterMeta("Logger", help: "A logger object (from New-KrLogger) to write to."),
            ParameterMeta("Exception", help: "An exception to log with the message (its message goes on the next line)."),
            ParameterMeta("ErrorRecord", help: "An error ($_ in catch) to log with the message."),
            ParameterMeta("PassThru", .switchParameter, help: "Outputs the rendered message."),
        ], examples: [
            CommandExample("Write-KrLog -Level Information -Message 'Order {OrderId} saved for {User}' -Values 42, 'ann'",
                           "Logs 'Order 42 saved for ann' at Information."),
            CommandExample("try { 1 / 0 } catch { Write-KrLog -Level Error -Message 'Division failed' -ErrorRecord $_ }", "Logs an error with its message."),
        ]) {
            ClosureCmdlet { inv, _ in
                let target: KrLogger
                if case .object(let l as KrLogger)? = inv.value("Logger") {
                    target = l
                } else if let name = inv.string("LoggerName"), !name.isEmpty {
                    guard let l = KrLogRegistry.shared.get(name) else {
                        throw inv.fail("No logger is named '\(name)'. Register one first: New-KrLogger | Add-KrSinkConsole | Register-KrLogger -Name \(name).")
                    }
                    target = l
                } else {
                    target = KrLogRegistry.shared.defaultLogger
                }
                let lvl = try level(inv, "Level") ?? .information
                let values = inv.value("Values").map(HostValues.elements) ?? []
                var text = MessageTemplate.render(inv.string("Message") ?? "", values)
                if let problem = errorText(inv.value("ErrorRecord")) ?? errorText(inv.value("Exception")) {
                    text += "\n" + problem
                }
                target.log(lvl, text)
                if inv.switchOn("PassThru") { try inv.write(.string(text)) }
            }
        }
    }

    static var getLog: CmdletInfo {
        KrCmdlet.info("Get-KrLog", "Shows recent log lines (kept even when they are not printed, as at the interactive prompt).", [
            ParameterMeta("Tail", .int32, aliases: ["Last"], help: "How many of the most recent lines (default 20)."),
            ParameterMeta("LoggerName", .string, aliases: ["Name"], help: "Only the lines of this registered logger ('default' for the built-in one)."),
            levelParameter("Level", help: "Only lines at this level or above."),
        ], examples: [
            CommandExample("Get-KrLog -Tail 5", "The last five log lines, e.g. '[14:03:07 INF] GET /hello -> 200 in 1.2 ms'."),
            CommandExample("Get-KrLog -Level Error", "Recent errors only."),
        ]) {
            ClosureCmdlet { inv, _ in
                let n = try inv.int("Tail") ?? 20
                guard n >= 0 else { throw inv.fail("-Tail must not be negative.") }
                let entries = KrLogRegistry.shared.recent(n, logger: inv.string("LoggerName"), minimumLevel: try level(inv, "Level") ?? .verbose)
                for e in entries { try inv.write(.string(LogLineFormat.console(e))) }
            }
        }
    }

    /// The message of an exception or error record, or nil when none was given.
    static func errorText(_ v: Value?) -> String? {
        guard let v, !v.isNull else { return nil }
        if let ex = HostValues.property(v, "Exception"), !ex.isNull, let m = HostValues.property(ex, "Message") { return HostValues.string(m) }
        if let m = HostValues.property(v, "Message"), !m.isNull { return HostValues.string(m) }
        return HostValues.string(v)
    }

    /// Resolves a log file path against the root folder, creating its folder; fails early and
    /// clearly when the file cannot be written.
    static func prepareLogFile(_ inv: Invocation, _ raw: String) throws -> String {
        guard !raw.trimmingCharacters(in: .whitespaces).isEmpty else { throw inv.fail("Add-KrSinkFile needs a -Path.") }
        let path = PathResolver.normalize(raw, base: HostRegistry.shared.root)
        let folder = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw inv.fail("Cannot create the log folder '\(folder)': \(error.localizedDescription)")
        }
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir) {
            if isDir.boolValue { throw inv.fail("The log file '\(path)' is a folder.") }
            if !FileManager.default.isWritableFile(atPath: path) { throw inv.fail("The log file '\(path)' cannot be written.") }
        } else if !FileManager.default.createFile(atPath: path, contents: nil) {
            throw inv.fail("Cannot create the log file '\(path)'.")
        }
        return path
    }
}
