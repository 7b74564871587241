import Foundation

/// Where a script's streams go. The shell passes one that writes to stdout/stderr;
/// tests pass one that collects text.
public protocol OutputSink: AnyObject, Sendable {
    /// Pipeline output, Write-Output, Write-Host: already formatted text, newline included.
    func writeOut(_ text: String)
    /// Errors and warnings: already formatted text, newline included.
    func writeErr(_ text: String)
}

/// The result of running a piece of source.
public enum RunOutcome: Equatable, Sendable {
    /// Ran to the end (statement errors may have been printed).
    case completed
    /// A terminating error stopped it (already printed).
    case failed
    /// `exit N` ran.
    case exited(Int32)
}

/// What the parser says about a piece of interactive input.
public enum InputState: Equatable, Sendable {
    case complete
    /// More lines are needed: an open brace, paren, string or here-string.
    case incomplete
}

/// The language engine: one global scope, runs scripts and interactive chunks.
/// Not thread-safe: one caller at a time (the REPL or the script runner).
public final class ScriptEngine: @unchecked Sendable {
    public let sink: OutputSink
    /// Whether error text may carry ANSI colour (terminal and NO_COLOR unset).
    public var colorErrors: Bool = false

    public init(sink: OutputSink) {
        self.sink = sink
    }

    /// Whether `source` is complete enough to run (the REPL asks for `>> ` lines otherwise).
    public static func inputState(of source: String) -> InputState {
        .complete
    }

    /// Runs a whole script. `file` is the name used in error lines (`<command>`, `<stdin>` or a path);
    /// `scriptRoot` becomes `$PSScriptRoot`; `arguments` bind the script's `param()` block.
    public func runScript(source: String, file: String, scriptRoot: String, arguments: [String]) -> RunOutcome {
        .completed
    }

    /// Runs one chunk typed at the prompt in the global scope; output is formatted and written to the sink.
    public func runInteractive(source: String) -> RunOutcome {
        .completed
    }

    /// Asks the running command to stop at its next safe point (Ctrl-C). Callable from any thread.
    public func requestInterrupt() {}
}
