import CLibEdit
import Foundation
import KrHost
import KrScript

/// One run of krsh: a script engine writing to the process's streams, driven in one mode of CLI.md.
struct Session {
    /// Entries kept in the history file.
    static let historyLimit: Int32 = 1000

    let streams: StandardStreams
    let engine: ScriptEngine
    let commands: CommandTable

    init() {
        streams = StandardStreams()
        commands = ScriptEngine.makeCommandTable()
        KrHostModule.register(into: commands)
        engine = ScriptEngine(sink: streams, commands: commands)
        engine.colorErrors = isatty(STDERR_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    }

    /// Runs the invocation and returns the process's exit status.
    func run(_ invocation: Invocation) -> Int32 {
        defer {
            // Leaving krsh (end of script, exit, Ctrl-D) stops running servers after their requests finish.
            KrHostModule.shutdown()
            streams.flush()
        }
        let currentFolder = FileManager.default.currentDirectoryPath
        // --no-exit only makes sense with a keyboard to come back to.
        let promptAfterwards = invocation.stayInteractive && isatty(STDIN_FILENO) == 1
        let interrupts = invocation.mode == .interactive || promptAfterwards
            ? InterruptForwarder(engine: engine) : nil

        let outcome: RunOutcome
        switch invocation.mode {
        case .info(let text):
            streams.writeOut(text + "\n")
            return 0
        case .generateReference(let directory):
            return generateReference(into: directory)
        case .interactive:
            return prompt(interrupts: interrupts)
        case .script(let path):
            let source: String
            do {
                source = try ScriptSource.read(path: path)
            } catch {
                streams.writeDiagnostic(error.message)
                return 2
            }
            let root = ScriptSource.folder(ofScript: path, currentFolder: currentFolder)
            outcome = runScript(source, file: path, root: root, invocation.arguments, interrupts)
        case .command(let text):
            outcome = runScript(text, file: "<command>", root: currentFolder, invocation.arguments, interrupts)
        case .pipe:
            let source = ScriptSource.readStandardInput()
            outcome = runScript(source, file: "<stdin>", root: currentFolder, invocation.arguments, interrupts)
        }

        // `exit N` inside the script ends krsh even with --no-exit, as it does in PowerShell.
        if case .exited(let code) = outcome { return code }
        return promptAfterwards ? prompt(interrupts: interrupts) : outcome.exitStatus
    }

    private func runScript(
        _ source: String, file: String, root: String, _ arguments: [String], _ interrupts: InterruptForwarder?
    ) -> RunOutcome {
        let run = { engine.runScript(source: source, file: file, scriptRoot: root, arguments: arguments) }
        return interrupts?.whileCommandRuns(run) ?? run()
    }

    private func prompt(interrupts: InterruptForwarder?) -> Int32 {
        useUTF8Keyboard()
        let historyFile = LineHistory.defaultFile(environment: ProcessInfo.processInfo.environment)
        // The prompt goes where a person is looking: stdout, unless that is redirected.
        let output = isatty(STDOUT_FILENO) == 1 ? krsh_stdout() : krsh_stderr()
        guard let output,
              let history = LineHistory(file: historyFile, limit: Self.historyLimit),
              let editor = LineEditor(programName: "krsh", history: history, output: output) else {
            streams.writeDiagnostic("cannot start the line editor")
            return 1
        }
        editor.completion = { [engine] line, cursor in
            let r = engine.complete(line, cursor: cursor)
            return LineEditor.Completions(start: r.replacementStart, candidates: r.candidates)
        }
        streams.flush()
        KrHostModule.enterPrompt()
        return REPL(engine: engine, editor: editor, streams: streams, interrupts: interrupts).run()
    }

    /// Writes docs/reference: every page the metadata gives, and removes Markdown pages it no longer gives.
    func generateReference(into directory: String) -> Int32 {
        let pages = ReferenceDocs.pages(commands)
        let fm = FileManager.default
        do {
            try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
            for old in try fm.contentsOfDirectory(atPath: directory) where old.hasSuffix(".md") && pages[old] == nil {
                try fm.removeItem(atPath: (directory as NSString).appendingPathComponent(old))
            }
            for (name, text) in pages {
                try text.write(toFile: (directory as NSString).appendingPathComponent(name), atomically: true, encoding: .utf8)
            }
        } catch {
            streams.writeErr("krsh: cannot write the reference to '\(directory)': \(error.localizedDescription)\n")
            return 1
        }
        return 0
    }

    /// libedit decodes keystrokes with the C library's character set, which starts out as ASCII;
    /// krsh text is UTF-8, so take the user's locale when it is UTF-8 and C.UTF-8 otherwise.
    private func useUTF8Keyboard() {
        if setlocale(LC_CTYPE, "") != nil, String(cString: nl_langinfo(nl_item(CODESET))) == "UTF-8" { return }
        _ = setlocale(LC_CTYPE, "C.UTF-8")
    }
}

extension RunOutcome {
    /// The process exit status CLI.md gives each outcome.
    var exitStatus: Int32 {
        switch self {
        case .completed: return 0
        case .failed: return 1
        case .exited(let code): return code
        }
    }
}
