/// A bad command line; reported as one `krsh: ...` line on stderr with exit status 2.
struct UsageError: Error {
    let message: String
}

/// What the command line asks krsh to do (the modes of CLI.md).
struct Invocation: Equatable {
    enum Mode: Equatable {
        /// The line-editing prompt.
        case interactive
        /// `krsh FILE ARG...`: the path as the user wrote it.
        case script(path: String)
        /// `krsh -c TEXT`.
        case command(text: String)
        /// `krsh -`, or no FILE while stdin is not a terminal.
        case pipe
        /// `krsh --help` or `--version`: print the text and exit 0.
        case info(String)
        /// `krsh --generate-reference DIR` (hidden; `make docs`): write the cmdlet reference pages.
        case generateReference(directory: String)
    }

    var mode: Mode
    /// The words after FILE (or after TEXT or `-`), passed to the script verbatim.
    var arguments: [String]
    /// Enter the prompt after the script has run.
    var stayInteractive: Bool
}

extension KrshOptions {
    /// Resolves the parsed options into a mode. `stdinIsTerminal` decides between prompt and pipe.
    func invocation(stdinIsTerminal: Bool) throws(UsageError) -> Invocation {
        var rest = words[...]
        if let text = command {
            return Invocation(mode: .command(text: text), arguments: Array(rest), stayInteractive: noExit)
        }
        // The passthrough capture keeps `--`; it only ends krsh's own options, so FILE may start with `-`.
        let explicitEnd = rest.first == "--"
        if explicitEnd { rest = rest.dropFirst() }
        guard let first = rest.first else {
            let mode: Invocation.Mode = stdinIsTerminal ? .interactive : .pipe
            return Invocation(mode: mode, arguments: [], stayInteractive: false)
        }
        let arguments = Array(rest.dropFirst())
        if first == "-" && !explicitEnd {
            return Invocation(mode: .pipe, arguments: arguments, stayInteractive: false)
        }
        // The passthrough capture starts at the first word krsh's own options did not take, which
        // swallows the built-in --help and --version too, so they are recognised here.
        if !explicitEnd, let text = Self.infoText(for: first) {
            return Invocation(mode: .info(text), arguments: [], stayInteractive: false)
        }
        if !explicitEnd, first == "--generate-reference" {
            guard arguments.count == 1 else { throw UsageError(message: "--generate-reference takes one folder") }
            return Invocation(mode: .generateReference(directory: arguments[0]), arguments: [], stayInteractive: false)
        }
        // Any other option-like word before FILE is a mistake.
        if first.hasPrefix("-") && !explicitEnd {
            throw UsageError(message: "unknown option '\(first)' (see krsh --help)")
        }
        return Invocation(mode: .script(path: first), arguments: arguments, stayInteractive: noExit)
    }

    private static func infoText(for word: String) -> String? {
        switch word {
        case "-h", "--help": return helpMessage()
        case "--version": return version
        default: return nil
        }
    }
}
