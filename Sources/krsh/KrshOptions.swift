import ArgumentParser
import KrScript

/// The krsh command line as swift-argument-parser sees it. `Invocation` turns it into a mode.
struct KrshOptions: ParsableCommand {
    static let version = "krsh \(ScriptEngine.version)"

    static let configuration = CommandConfiguration(
        commandName: "krsh",
        abstract: "KrShell: a shell whose language is a subset of PowerShell.",
        usage: """
            krsh [--no-exit] [FILE [ARG...]]
              krsh [--no-exit] -c TEXT [ARG...]
              krsh - [ARG...]
            """,
        discussion: """
            Without FILE, krsh opens the interactive prompt when stdin is a terminal and otherwise runs \
            the script read from stdin, as `krsh -` does. The words after FILE, TEXT or - are passed to \
            the script unchanged and bind its param() block (-Name value ...).

            Exit status: 0 when the script ran to the end, 1 when a terminating error stopped it, 2 for \
            a usage error, N for `exit N`.

            Errors print `FILE:LINE:COLUMN: error: MESSAGE` on stderr (FILE is <command> or <stdin> in \
            those modes), then the source line and a caret. Colour is used only on a terminal and when \
            NO_COLOR is unset.

            The prompt keeps its history in $KRSH_HISTORY, else $HOME/.krsh_history.
            """,
        version: version
    )

    @Option(
        name: [.customShort("c"), .customLong("command")],
        parsing: .unconditional,
        help: ArgumentHelp("Run TEXT as a script (its file name in errors is <command>).", valueName: "text")
    )
    var command: String?

    @Flag(
        name: .customLong("no-exit"),
        help: "After FILE or -c TEXT has run, stay at the interactive prompt (stdin must be a terminal)."
    )
    var noExit = false

    // Everything from FILE on is captured verbatim: `krsh app.ps1 -Port 5000` must hand `-Port 5000`
    // to the script, not treat it as a krsh option.
    @Argument(
        parsing: .captureForPassthrough,
        help: ArgumentHelp(
            "The script to run (- reads stdin), then the words passed to it.",
            valueName: "file-and-args"
        ),
        completion: .file(extensions: ["ps1"])
    )
    var words: [String] = []
}
