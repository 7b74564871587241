import Foundation

/// Where a script's streams go. The shell passes one that writes to stdout/stderr;
/// tests pass one that collects text.
public protocol OutputSink: AnyObject, Sendable {
    /// Pipeline output, Write-Output, Write-Host: already formatted text, newline included.
    func writeOut(_ text: String)
    /// Errors and warnings: already formatted text, newline included.
    func writeErr(_ text: String)
    /// Pushes buffered output out (a server's "Now listening on" line must reach a pipe at once).
    func flush()
}

extension OutputSink {
    public func flush() {}
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

/// The language engine: one runspace (global scope, preferences, streams). Runs scripts and
/// interactive chunks. One caller at a time (the REPL or the script runner).
public final class ScriptEngine: @unchecked Sendable {
    public let sink: OutputSink
    public let commands: CommandTable
    let context: ExecutionContext
    private let formatter: OutputFormatter

    /// Whether error text may carry ANSI colour (terminal and NO_COLOR unset).
    public var colorErrors: Bool {
        get { context.colorErrors }
        set { context.colorErrors = newValue }
    }

    /// The commands of the language itself; hosts add theirs to a table made by `makeCommandTable`.
    public static func makeCommandTable() -> CommandTable {
        let t = CommandTable()
        CoreCommands.register(t)
        return t
    }

    public init(sink: OutputSink, commands: CommandTable? = nil) {
        self.sink = sink
        self.commands = commands ?? ScriptEngine.makeCommandTable()
        context = ExecutionContext(sink: sink, commands: self.commands)
        let s = sink
        formatter = OutputFormatter { s.writeOut($0) }
        let f = formatter
        let ctx = context
        context.hostWriter = { text in
            f.flush(ctx)
            s.writeOut(text)
        }
        ScriptEngine.defineAutomaticVariables(context)
    }

    /// krsh's version (`krsh --version`, the Version column of Get-Command).
    public static let version = "0.1.0"

    static func defineAutomaticVariables(_ c: ExecutionContext) {
        c.setGlobal("ErrorActionPreference", .string("Continue"))
        c.setGlobal("VerbosePreference", .string("SilentlyContinue"))
        c.setGlobal("DebugPreference", .string("SilentlyContinue"))
        c.setGlobal("WarningPreference", .string("Continue"))
        c.setGlobal("IsLinux", .bool(true))
        c.setGlobal("IsWindows", .bool(false))
        c.setGlobal("IsMacOS", .bool(false))
        c.setGlobal("IsCoreCLR", .bool(true))
        c.setGlobal("PSEdition", .string("Core"))
        c.setGlobal("PID", .int(Int32(ProcessInfo.processInfo.processIdentifier)))
        c.setGlobal("HOME", .string(ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()))
        c.setGlobal("PSScriptRoot", .string(FileManager.default.currentDirectoryPath))
        let v = PSHashtable(ordered: true)
        v.set(.string("PSVersion"), .string("7.4.0"))
        v.set(.string("PSEdition"), .string("Core"))
        v.set(.string("Platform"), .string("Unix"))
        c.setGlobal("PSVersionTable", .hashtable(v))
        c.setGlobal("?", .bool(true))
    }

    /// Whether `source` is complete enough to run (the REPL asks for `>> ` lines otherwise).
    public static func inputState(of source: String) -> InputState {
        switch Parser.check(source) {
        case .failure(let e) where e.incomplete: return .incomplete
        default: return .complete
        }
    }

    /// Runs a whole script. `file` is the name used in error lines (`<command>`, `<stdin>` or a path);
    /// `scriptRoot` becomes `$PSScriptRoot`; `arguments` bind the script's `param()` block.
    public func runScript(source: String, file: String, scriptRoot: String, arguments: [String]) -> RunOutcome {
        let sf = SourceFile(name: file, text: source)
        guard let ast = parse(sf) else { return .failed }
        context.setGlobal("PSScriptRoot", .string(scriptRoot))
        let args = ScriptEngine.commandLineArguments(arguments, sf)
        return run(interactive: false) {
            let proc = ScriptProcessor(ast: ast, name: file, args: args, context, loc: ast.loc, dotSource: false, closureScope: nil,
                                       scriptRoot: scriptRoot)
            try PipelineRunner.runProcessors([proc], input: nil, context, topLevelPipe)
        }
    }

    /// Runs one chunk typed at the prompt in the global scope; output is formatted and written to the sink.
    public func runInteractive(source: String) -> RunOutcome {
        guard let ast = parse(SourceFile(name: "<interactive>", text: source)) else { return .failed }
        return run(interactive: true) {
            let proc = ScriptProcessor(ast: ast, name: "<interactive>", args: [], context, loc: ast.loc, dotSource: true, closureScope: nil)
            try PipelineRunner.runProcessors([proc], input: nil, context, topLevelPipe)
        }
    }

    /// Parses a whole text; a syntax error is printed (nothing runs) and gives nil.
    private func parse(_ sf: SourceFile) -> ScriptBlockAst? {
        do {
            return try Parser.parseScript(sf)
        } catch let e as ParseError {
            sink.writeErr(ErrorFormatter.format(message: e.message, location: e.location, color: colorErrors))
        } catch {
            sink.writeErr("error: \(error)\n")
        }
        return nil
    }

    private var topLevelPipe: OutputPipe {
        let f = formatter
        let ctx = context
        return ClosurePipe { f.write($0, ctx) }
    }

    private func run(interactive: Bool, _ body: () throws -> Void) -> RunOutcome {
        Thread.current.threadDictionary["krsh.runspace"] = context.runspaceName
        context.isInteractive = interactive
        defer { formatter.flush(context) }
        do {
            try body()
            return .completed
        } catch let e as RuntimeError {
            formatter.flush(context)
            sink.writeErr(ErrorFormatter.format(e, color: colorErrors))
            return .failed
        } catch let e as ParseError {
            formatter.flush(context)
            sink.writeErr(ErrorFormatter.format(message: e.message, location: e.location, color: colorErrors))
            return .failed
        } catch ControlFlow.exit(let code) {
            return .exited(code)
        } catch ControlFlow.interrupted {
            formatter.flush(context)
            // The terminal shows ^C; end that line so the next prompt starts clean.
            if interactive { sink.writeErr("\n") }
            return interactive ? .failed : .exited(130)
        } catch {
            return .completed
        }
    }

    /// The words after the script path: `-Name value`, `-Switch`, `-Name:value`, positional values.
    static func commandLineArguments(_ words: [String], _ sf: SourceFile) -> [BindArg] {
        let loc = SourceLocation(file: sf, line: 1, column: 1)
        var out: [BindArg] = []
        for w in words {
            if w.count > 1, w.hasPrefix("-"), let first = w.dropFirst().first, first.isLetter {
                let body = w.dropFirst()
                if let colon = body.firstIndex(of: ":") {
                    out.append(BindArg(name: String(body[..<colon]), value: .string(String(body[body.index(after: colon)...])), loc: loc, attached: true))
                } else {
                    out.append(BindArg(name: String(body), value: nil, loc: loc, attached: false))
                }
            } else {
                out.append(BindArg(name: nil, value: .string(w), loc: loc, attached: false))
            }
        }
        return out
    }

    /// Asks the running command to stop at its next safe point (Ctrl-C). Callable from any thread.
    public func requestInterrupt() {
        context.interruptFlag.store(true, ordering: .relaxed)
    }
}
