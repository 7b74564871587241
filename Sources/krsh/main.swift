import ArgumentParser
import Foundation

/// Parses the command line, runs the chosen mode and exits with its status (see CLI.md).
func krshMain(arguments: [String]) -> Int32 {
    let options: KrshOptions
    let invocation: Invocation
    do {
        options = try KrshOptions.parse(CompletionRequest.mask(arguments)).unmasked()
        invocation = try options.invocation(stdinIsTerminal: isatty(STDIN_FILENO) == 1)
    } catch let error as UsageError {
        return usageError(error.message)
    } catch {
        // A built-in request the parser answers itself arrives as a clean exit with the text to print.
        if KrshOptions.exitCode(for: error) == .success {
            print(KrshOptions.fullMessage(for: error))
            return 0
        }
        return usageError(KrshOptions.message(for: error))
    }
    return Session().run(invocation)
}

/// argument-parser answers `--generate-completion-script` wherever it appears, but the words after
/// FILE or -c TEXT belong to the script (`krsh app.ps1 --generate-completion-script` runs app.ps1).
/// krsh lets the parser answer it only as the first word: later occurrences are hidden from the
/// parser behind a marker and given back to the script unchanged.
enum CompletionRequest {
    static let marker = "\u{1}"
    static let option = "--generate-completion-script"

    static func mask(_ arguments: [String]) -> [String] {
        arguments.enumerated().map { i, a in i > 0 && a.hasPrefix(option) ? marker + a : a }
    }

    static func unmask(_ word: String) -> String {
        word.hasPrefix(marker + option) ? String(word.dropFirst(marker.count)) : word
    }
}

extension KrshOptions {
    func unmasked() -> KrshOptions {
        var o = self
        o.command = command.map(CompletionRequest.unmask)
        o.words = words.map(CompletionRequest.unmask)
        return o
    }
}

/// A usage error: one `krsh: ...` line on stderr, exit status 2 (argument-parser would use 64).
func usageError(_ message: String) -> Int32 {
    let line = message.split(separator: "\n").first.map(String.init) ?? message
    let text = line.prefix(1).lowercased() + line.dropFirst()
    FileHandle.standardError.write(Data("krsh: \(text)\n".utf8))
    return 2
}

let status = krshMain(arguments: Array(CommandLine.arguments.dropFirst()))
fflush(nil)
exit(status)
