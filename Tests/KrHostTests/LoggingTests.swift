import Foundation
import Testing
@testable import KrHost
@testable import KrScript

/// Serialized: the default logger is process-wide.
@Suite(.serialized) struct LoggingTests {
    static func tempFile(_ name: String) -> String {
        NSTemporaryDirectory() + "krsh-log-\(UUID().uuidString)/\(name)"
    }

    /// Puts back the console default so that other suites log as before.
    static func restoreDefault() {
        KrLogRegistry.shared.register(KrLogger(name: "default", sinks: [KrLogger.Sink(.console)]), asDefault: true)
    }

    /// Runs a script off the cooperative pool; returns (completed, stdout, stderr).
    static func script(_ source: String, file: String = "log.ps1") async -> (completed: Bool, out: String, err: String) {
        let (engine, sink) = makeEngine()
        return await script(engine, sink, source, file: file)
    }

    static func script(_ engine: ScriptEngine, _ sink: CollectingSink, _ source: String, file: String = "log.ps1") async
        -> (completed: Bool, out: String, err: String) {
        await offPool {
            let outcome = engine.runScript(source: source, file: file, scriptRoot: "/tmp", arguments: [])
            return (outcome == .completed, sink.stdout, sink.stderr)
        }
    }

    static func read(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }

    @Test func pipelineBuildsAndRegistersALogger() async throws {
        defer { Self.restoreDefault() }
        let file = Self.tempFile("app.log")
        let r = await Self.script("""
            New-KrLogger | Set-KrLoggerLevel -Value Debug | Add-KrSinkFile -Path '\(file)' | Register-KrLogger -Name pipe1 -SetAsDefault
            $l = New-KrLogger | Add-KrSinkFile -Path '\(file)' -RestrictedToMinimumLevel Warning | Register-KrLogger -Name pipe2 -PassThru
            "level=$($l.MinimumLevel) sinks=$($l.Sinks.Count) fresh=$((New-KrLogger).Sinks.Count)"
            Write-KrLog -Level Debug -Message 'debug {N}' -Values 1
            Write-KrLog -Level Verbose -Message 'verbose is below Debug'
            Write-KrLog Information 'via pipe2 {What}' -Values 'info' -LoggerName pipe2
            Write-KrLog -Level Warning -Message 'via pipe2 {What}' -Values 'warning' -LoggerName pipe2
            """)
        #expect(r.completed && r.err.isEmpty, "stderr: \(r.err)")
        // Register-KrLogger without -PassThru prints nothing.
        #expect(r.out == "level=Information sinks=1 fresh=0\n")
        let text = Self.read(file)
        #expect(text.contains("[DBG] debug 1\n"), "log: \(text)")
        #expect(!text.contains("verbose is below Debug"))
        #expect(!text.contains("via pipe2 info"), "the sink is restricted to Warning")
        #expect(text.contains("[WRN] via pipe2 warning\n"), "log: \(text)")
        #expect(KrLogRegistry.shared.defaultLogger.name == "pipe1")
        // The file line: `2024-05-01 12:00:00.123 +02:00 [DBG] debug 1`.
        let line = text.split(separator: "\n").first { $0.hasSuffix("debug 1") }.map(String.init) ?? ""
        #expect(line.range(of: #"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} [+-]\d\d:\d\d \[DBG\] debug 1$"#, options: .regularExpression) != nil, "line: \(line)")
    }

    @Test func writeKrLogFillsTemplatesInOrder() async throws {
        let r = await Self.script("""
            New-KrLogger | Register-KrLogger -Name tmpl
            Write-KrLog -Level Information -Message 'Order {OrderId} for {User}: {OrderId} again' -Values 42, 'ann' -LoggerName tmpl -PassThru
            Write-KrLog -Level Information -Message '{1} before {0}, {{braces}}' -Values 'a', 'b' -LoggerName tmpl -PassThru
            Write-KrLog -Level Information -Message 'Took {Elapsed:0.00} ms [{Name,6}] {@Payload}' -Values 3.14159, 'ab', @{ k = 1 } -LoggerName tmpl -PassThru
            try { throw 'disk full' } catch { Write-KrLog -Level Error -Message 'Saving failed' -ErrorRecord $_ -LoggerName tmpl }
            Write-KrLog -Level Information -Message 'x' -LoggerName nosuch
            Write-KrLog -Level Loud -Message 'x'
            """)
        #expect(r.out == """
            Order 42 for ann: 42 again
            b before a, {braces}
            Took 3.14 ms [    ab] {"k":1}

            """)
        let recent = KrLogRegistry.shared.recent(4, logger: "tmpl").map(\.message)
        #expect(recent == ["Order 42 for ann: 42 again", "b before a, {braces}", "Took 3.14 ms [    ab] {\"k\":1}", "Saving failed\ndisk full"])
        #expect(r.err.contains("No logger is named 'nosuch'"), "stderr: \(r.err)")
        #expect(r.err.contains("Loud"), "stderr: \(r.err)")
    }

    @Test func everyRequestIsLoggedAtInformation() async throws {
        defer { Self.restoreDefault() }
        let file = Self.tempFile("requests.log")
        let port = freePort()
        let (engine, sink, host) = makeEngineWithServer("logsrv\(port)")
        let r = await Self.script(engine, sink, """
            New-KrLogger | Add-KrSinkFile -Path '\(file)' | Register-KrLogger -Name req\(port) -SetAsDefault
            $srv | Add-KrEndpoint -Port \(port) | Enable-KrConfiguration | Out-Null
            Add-KrMapRoute -Server $srv -Verbs Get -Pattern '/ping' -ScriptBlock { Write-KrLog -Level Information -Message 'pinged by {Method}' -Values $Context.Request.Method; Write-KrTextResponse 'pong' }
            Start-KrServer -Server $srv -NoWait -Quiet
            """, file: "req.ps1")
        #expect(r.completed, "stderr: \(r.err)")
        let (ping, missing) = await offPool {
            let answers = (httpSync("GET", "http://127.0.0.1:\(port)/ping"), httpSync("GET", "http://127.0.0.1:\(port)/nothing-here"))
            host.stop()
            return answers
        }
        #expect(ping.body == "pong")
        #expect(missing.status == 404)
        let text = Self.read(file)
        #expect(text.contains("[INF] pinged by GET\n"), "log: \(text)")
        #expect(text.range(of: #"\[INF\] GET /ping -> 200 in \d+\.\d ms\n"#, options: .regularExpression) != nil, "log: \(text)")
        #expect(text.contains("[INF] GET /nothing-here -> 404 in"), "log: \(text)")
        // Servers of other suites may log to this default logger meanwhile: look for ours.
        let lines = KrLogRegistry.shared.recent(500, logger: "req\(port)").map(\.message)
        #expect(lines.contains("pinged by GET"), "ring: \(lines)")
        #expect(lines.contains { $0.hasPrefix("GET /nothing-here -> 404 in ") }, "ring: \(lines)")
    }

    @Test func getKrLogShowsTheLastLines() async throws {
        let r = await Self.script("""
            New-KrLogger | Register-KrLogger -Name tail
            1..5 | ForEach-Object { Write-KrLog -Level Information -Message 'line {N}' -Values $_ -LoggerName tail }
            Write-KrLog -Level Error -Message 'bad {N}' -Values 6 -LoggerName tail
            Get-KrLog -Tail 3 -LoggerName tail
            '--'
            Get-KrLog -LoggerName tail -Level Error
            '--'
            (Get-KrLog -Tail 0 -LoggerName tail).Count
            Get-KrLog -Tail -1
            """)
        let out = r.out.split(separator: "\n").map(String.init)
        #expect(out.count == 7, "stdout: \(r.out)")
        let shape = #"^\[\d\d:\d\d:\d\d (INF|ERR)\] "#
        for line in out where line != "--" && line != "0" {
            #expect(line.range(of: shape, options: .regularExpression) != nil, "line: \(line)")
        }
        #expect(out.map { $0.replacingOccurrences(of: shape, with: "", options: .regularExpression) }
            == ["line 4", "line 5", "bad 6", "--", "bad 6", "--", "0"])
        #expect(r.err.contains("-Tail must not be negative"), "stderr: \(r.err)")
    }

    @Test func consoleLinesAreHeldBackButKeptWhileSuppressed() {
        defer { KrLogRegistry.shared.consoleSuppressed = false }
        KrLogRegistry.shared.consoleSuppressed = true
        let l = KrLogger(name: "quiet", sinks: [KrLogger.Sink(.console)])
        l.log(.warning, "held back")
        #expect(KrLogRegistry.shared.recent(1, logger: "quiet").map(\.message) == ["held back"])
        l.log(.debug, "below the logger's level")
        #expect(KrLogRegistry.shared.recent(5, logger: "quiet").count == 1)
    }

    @Test func loggerCmdletsNeedALogger() async {
        let r = await Self.script("Add-KrSinkConsole\nRegister-KrLogger -Name x -LoggerConfig 5\nNew-KrLogger | Add-KrSinkFile -Path ''")
        #expect(r.err.contains("Add-KrSinkConsole needs a logger: pipe one in"), "stderr: \(r.err)")
        #expect(r.err.contains("Register-KrLogger needs a logger from New-KrLogger, not a System.Int32"), "stderr: \(r.err)")
    }

    @Test(arguments: [
        ("no holes", [Value](), "no holes"),
        ("{A} and {B}", [.int(1)], "1 and {B}"),
        ("{0}{0}{1}", [.string("x"), .string("y")], "xxy"),
        ("{{A}} {A}", [.string("v")], "{A} v"),
        ("{Count:000}", [.int(7)], "007"),
        ("[{N,-4}]", [.string("ab")], "[ab  ]"),
        ("{$Obj}", [.string("s")], "s"),
        ("{Nil}", [.null], "null"),
        ("{not a hole} {", [.int(1)], "{not a hole} {"),
    ])
    func messageTemplates(template: String, values: [Value], expected: String) {
        #expect(MessageTemplate.render(template, values) == expected)
    }
}
