import Foundation
import Testing
@testable import KrHost
@testable import KrScript

/// Every example in the help metadata is run here, so that Get-Help and the reference never show
/// code that does not work. Each runs in a fresh engine with the Kr cmdlets, its hidden setup
/// first, in a scratch folder (examples write logs and snapshots), on a free port instead of 5000.
@Suite(.serialized) struct HelpExampleTests {
    static var table: CommandTable {
        let t = ScriptEngine.makeCommandTable()
        KrHostModule.register(into: t)
        return t
    }

    struct Failure: CustomStringConvertible {
        let cmdlet: String
        let index: Int
        let why: String
        var description: String { "\(cmdlet) example \(index + 1): \(why)" }
    }

    @Test func everyExampleRuns() async throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("krsh-examples-\(UUID().uuidString)")
        // The folders and files the examples name, as a reader's site would have them.
        for folder in ["Assets/wwwroot", "share"] {
            try FileManager.default.createDirectory(at: scratch.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        try "<html>hi</html>".write(to: scratch.appendingPathComponent("Assets/wwwroot/index.html"), atomically: true, encoding: .utf8)
        try "%PDF-1.4".write(to: scratch.appendingPathComponent("Assets/report.pdf"), atomically: true, encoding: .utf8)
        let oldRoot = HostRegistry.shared.root
        let oldFolder = FileManager.default.currentDirectoryPath
        let oldLogger = KrLogRegistry.shared.defaultLogger
        HostRegistry.shared.root = scratch.path
        _ = FileManager.default.changeCurrentDirectoryPath(scratch.path)
        defer {
            HostRegistry.shared.root = oldRoot
            _ = FileManager.default.changeCurrentDirectoryPath(oldFolder)
            KrLogRegistry.shared.register(oldLogger, asDefault: true)
            try? FileManager.default.removeItem(at: scratch)
        }

        var failures: [Failure] = []
        var count = 0
        for info in Self.table.cmdlets {
            for (i, example) in info.examples.enumerated() {
                count += 1
                if let why = await run(example) { failures.append(Failure(cmdlet: info.name, index: i, why: why)) }
            }
        }
        #expect(count >= Self.table.cmdlets.filter { $0.module == "KrShell" }.count)
        #expect(failures.isEmpty, "\(failures.map(\.description).joined(separator: "\n"))")
    }

    /// Runs one example; nil when it ran to the end without an error, else what went wrong.
    func run(_ example: CommandExample) async -> String? {
        let (engine, sink) = makeEngine()
        let port = String(freePort())
        let before = Set(HostRegistry.shared.all.map(\.name))
        defer {
            for h in HostRegistry.shared.all where !before.contains(h.name) {
                h.stop()
                _ = HostRegistry.shared.remove(h.name)
            }
            KrLogRegistry.shared.consoleSuppressed = false
        }
        var lines = [example.setup, example.code]
        if example.inRoute {
            lines = [
                "New-KrServer -Name example | Add-KrEndpoint -Port 5000 | Enable-KrConfiguration | Out-Null", example.setup,
                "Add-KrMapRoute -Verbs Get -Pattern '/example' -ScriptBlock {\n\(example.code)\n}", "Start-KrServer -NoWait -Quiet",
            ]
        }
        let source = lines.filter { !$0.isEmpty }.joined(separator: "\n")
        let outcome = await engine.run(source.replacingOccurrences(of: "(?<![0-9])5000(?![0-9])", with: port, options: .regularExpression),
                                       file: "example.ps1")
        if outcome != .completed || sink.stderr.contains(": error: ") {
            return "\(outcome)\n\(example.code)\nstderr: \(sink.stderr)"
        }
        if example.inRoute {
            let r = await http("GET", "http://127.0.0.1:\(port)/example")
            if r.status == 0 || r.status >= 500 { return "the route answered \(r.status): \(r.body)\n\(example.code)" }
        }
        return nil
    }

    /// The Kr cmdlets' help is complete: a synopsis, help for every parameter, at least one example.
    @Test func krCmdletsHaveCompleteHelp() {
        for info in Self.table.cmdlets where info.module == "KrShell" {
            #expect(!info.synopsis.isEmpty, "\(info.name) has no synopsis")
            #expect(!info.examples.isEmpty, "\(info.name) has no example")
            for p in info.parameters {
                #expect(!p.help.isEmpty, "\(info.name) -\(p.name) has no help")
            }
            for e in info.examples {
                #expect(!e.remarks.isEmpty, "\(info.name): an example says nothing about what it shows")
            }
        }
    }
}
