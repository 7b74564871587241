import Foundation
import KrScript

/// The interactive prompt: reads chunks (with `>> ` continuation lines while the parser says the input
/// is incomplete), records each chunk in history, and runs it in the engine's global scope.
struct REPL {
    static let continuationPrompt = ">> "

    let engine: ScriptEngine
    let editor: LineEditor
    let streams: StandardStreams
    let interrupts: InterruptForwarder?

    /// `KR <current folder>> `, read afresh each time because a command may change the folder.
    static func primaryPrompt() -> String {
        "KR \(FileManager.default.currentDirectoryPath)> "
    }

    /// Runs until Ctrl-D on an empty prompt or `exit`; returns the shell's exit status.
    func run() -> Int32 {
        var pending: [String] = []
        while true {
            streams.flush()
            editor.prompt = pending.isEmpty ? Self.primaryPrompt() : Self.continuationPrompt
            switch editor.readLine() {
            case .interrupted:
                pending.removeAll()
            case .endOfInput:
                // At a `>> ` prompt Ctrl-D abandons the unfinished entry, like Ctrl-C; only an empty
                // primary prompt leaves the shell.
                if pending.isEmpty { return 0 }
                pending.removeAll()
            case .line(let line):
                pending.append(line)
                let chunk = pending.joined(separator: "\n")
                if chunk.allSatisfy(\.isWhitespace) {
                    pending.removeAll()
                    continue
                }
                if ScriptEngine.inputState(of: chunk) == .incomplete { continue }
                pending.removeAll()
                editor.remember(chunk)
                if case .exited(let code) = execute(chunk) { return code }
            }
        }
    }

    private func execute(_ chunk: String) -> RunOutcome {
        defer { streams.flush() }
        guard let interrupts else { return engine.runInteractive(source: chunk) }
        return interrupts.whileCommandRuns { engine.runInteractive(source: chunk) }
    }
}
