import Foundation
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The operator's console, driven the way a person uses it: krsh in tmux, keys typed with
/// send-keys, the screen read with capture-pane, and the server it starts called over 127.0.0.1.
@Suite(.serialized, .enabled(if: Tmux.available, "tmux is not installed (make deps installs it)"))
struct LivePromptTests {
    @Test func serverAtThePromptShowsLiveSharedStateAndStopsOnExit() async throws {
        let port = Int.random(in: 20000...29999)
        let tmux = try Tmux(session: "krsh-live-\(port)")
        defer { tmux.kill() }
        try await tmux.waitFor("KR ")
        tmux.type("New-KrServer -Name live | Add-KrEndpoint -Port \(port) | Set-KrSharedState -Name Visits -Value @{ Count = 0 } | Enable-KrConfiguration | Out-Null")
        tmux.type("Add-KrMapRoute -Pattern '/visit' -Verbs Post -ScriptBlock { Update-KrSynchronizedCounter -Table $Visits -Key Count | Out-Null; Write-KrJsonResponse @{ visits = $Visits.Count } -Compress }")
        tmux.type("Start-KrServer")
        try await tmux.waitFor("Now listening on: http://127.0.0.1:\(port)")
        for i in 1...3 {
            #expect(await post("http://127.0.0.1:\(port)/visit") == "{\"visits\":\(i)}")
        }
        // The prompt stayed live: the value the routes changed is visible, and a change typed at the
        // prompt reaches the next request.
        tmux.type("$Visits.Count")
        try await tmux.waitFor("\n3\n")
        tmux.type("$Visits.Count = 100")
        try await tmux.waitFor("KR ", after: "$Visits.Count = 100")
        #expect(await post("http://127.0.0.1:\(port)/visit") == "{\"visits\":101}")
        tmux.type("Get-KrSharedState -Name '*'")
        try await tmux.waitFor("Visits Host  System.Collections.Hashtable Count=101")
        tmux.type("exit")
        try await tmux.waitFor("KRSH-EXITED 0")
        #expect(await post("http://127.0.0.1:\(port)/visit") == nil, "leaving the shell stops the server")
    }

    @Test func multiLineFunctionHistoryAndCtrlC() async throws {
        let tmux = try Tmux(session: "krsh-keys-\(Int.random(in: 1000...9999))")
        defer { tmux.kill() }
        try await tmux.waitFor("KR ")
        tmux.type("function Add-Two($a) {")
        try await tmux.waitFor(">> ")
        tmux.type("  $a + 2")
        tmux.type("}")
        tmux.type("Add-Two 40")
        try await tmux.waitFor("\n42\n")
        tmux.type("Start-Sleep -Seconds 30")
        try await Task.sleep(nanoseconds: 700_000_000)
        tmux.keys("C-c")
        try await tmux.waitFor("KR ", after: "Start-Sleep -Seconds 30")
        tmux.keys("Up", "Up", "Enter")
        try await tmux.waitFor("\n42\n", after: "Start-Sleep -Seconds 30")
        tmux.keys("C-d")
        try await tmux.waitFor("KRSH-EXITED 0")
    }

    @Test func tabCompletesCommandsParametersAndListsChoices() async throws {
        let tmux = try Tmux(session: "krsh-tab-\(Int.random(in: 1000...9999))")
        defer { tmux.kill() }
        try await tmux.waitFor("KR ")
        // One candidate: inserted.
        tmux.keys("-l", "Get-KrSh")
        tmux.keys("Tab")
        try await tmux.waitFor("> Get-KrSharedState")
        tmux.keys("C-u")
        tmux.keys("-l", "Add-KrCacheMiddleware -MaxA")
        tmux.keys("Tab")
        try await tmux.waitFor("> Add-KrCacheMiddleware -MaxAge")
        tmux.keys("C-u")
        // A member of a live object, replacing only what follows the dot.
        tmux.type("$Visits = @{ Count = 0 }")
        // Wait for the next prompt: keys typed while a command runs are echoed by the terminal
        // before libedit redraws, and the screen would not show the line as libedit holds it.
        try await tmux.waitFor("KR ", after: "$Visits = @{ Count = 0 }")
        tmux.keys("-l", "$Visits.Cou")
        tmux.keys("Tab")
        try await tmux.waitFor("> $Visits.Count")
        tmux.keys("C-u")
        // Several: listed in columns under the line, which is redrawn as typed.
        tmux.keys("-l", "Add-KrMapRoute -Verbs P")
        tmux.keys("Tab")
        try await tmux.waitFor("Patch  Post   Put")
        try await tmux.waitFor("> Add-KrMapRoute -Verbs P", after: "Patch  Post   Put")
        tmux.keys("C-u")
        tmux.keys("C-d")
        try await tmux.waitFor("KRSH-EXITED 0")
    }

    /// `krsh --no-exit FILE`: a server the script started logs each request, but once the prompt
    /// shows, the log lines stay off the screen (they would garble the line being typed) and
    /// Get-KrLog shows them.
    @Test func logLinesStayOffThePromptAfterNoExitScript() async throws {
        let port = Int.random(in: 20000...29999)
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("krsh-noexit-\(port).ps1")
        try """
            New-KrServer -Name noexit | Add-KrEndpoint -Port \(port) | Enable-KrConfiguration | Out-Null
            Add-KrMapRoute -Pattern '/visit' -Verbs Post -ScriptBlock { Write-KrTextResponse 'ok' }
            Start-KrServer -NoWait
            """.write(to: script, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: script) }
        let tmux = try Tmux(session: "krsh-noexit-\(port)", arguments: ["--no-exit", script.path])
        defer { tmux.kill() }
        try await tmux.waitFor("KR ")
        tmux.keys("-l", "$half = 'typed")
        #expect(await post("http://127.0.0.1:\(port)/visit") == "ok")
        try await Task.sleep(nanoseconds: 300_000_000)
        #expect(!tmux.screen.contains("POST /visit"), "a log line reached the prompt:\n\(tmux.screen)")
        tmux.keys("-l", " on'")
        tmux.keys("Enter")
        tmux.type("$half; Get-KrLog -Tail 1")
        try await tmux.waitFor("typed on")
        try await tmux.waitFor("POST /visit -> 200")
        tmux.type("exit")
        try await tmux.waitFor("KRSH-EXITED 0")
    }

    private func post(_ url: String) async -> String? {
        await withCheckedContinuation { cont in
            var req = URLRequest(url: URL(string: url)!, timeoutInterval: 10)
            req.httpMethod = "POST"
            URLSession.shared.dataTask(with: req) { data, resp, _ in
                cont.resume(returning: resp == nil ? nil : data.map { String(decoding: $0, as: UTF8.self) })
            }.resume()
        }
    }
}

/// A tmux session running the built krsh.
struct Tmux {
    static let available = FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux")
    let session: String

    /// krsh with `arguments` (words without spaces or quotes) in a new detached session.
    init(session: String, arguments: [String] = []) throws {
        self.session = session
        let binary = try KrshProcess.binary().path
        let history = FileManager.default.temporaryDirectory.appendingPathComponent("\(session).history").path
        let command = ([binary] + arguments).joined(separator: " ")
        Tmux.run(["new-session", "-d", "-s", session, "-x", "160", "-y", "50",
                  "KRSH_HISTORY=\(history) \(command); echo KRSH-EXITED $?; sleep 60"])
    }

    /// Runs one tmux command and returns what it printed. The tmux client is reaped by its own pid;
    /// the server it may fork for the first session keeps nothing of ours open (see ChildProcess).
    @discardableResult
    static func run(_ args: [String]) -> String {
        guard let out = try? PipeEnds() else { return "" }
        let null = openDevNull()
        defer { close(null) }
        guard let child = try? ChildProcess.spawn(
            "/usr/bin/tmux", args, stdin: null, stdout: out.write, stderr: null)
        else {
            close(out.write)
            close(out.read)
            return ""
        }
        close(out.write)
        let data = out.reader.readDataToEndOfFile()
        _ = child.wait()
        return String(decoding: data, as: UTF8.self)
    }

    func type(_ line: String) { Tmux.run(["send-keys", "-t", session, "-l", line]); Tmux.run(["send-keys", "-t", session, "Enter"]) }
    func keys(_ k: String...) { Tmux.run(["send-keys", "-t", session] + k) }
    var screen: String { Tmux.run(["capture-pane", "-p", "-J", "-S", "-200", "-t", session]) }
    func kill() { Tmux.run(["kill-session", "-t", session]) }

    /// Waits (up to 10 s) until the screen shows `text` (after the last `after`, when given).
    func waitFor(_ text: String, after: String? = nil) async throws {
        for _ in 0..<100 {
            var s = screen
            if let after, let r = s.range(of: after, options: .backwards) { s = String(s[r.upperBound...]) }
            if s.contains(text) { return }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        Issue.record("the screen never showed \(text.debugDescription):\n\(screen)")
        throw CancellationError()
    }
}
