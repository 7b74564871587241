import CLibEdit
import Foundation
import KrScript
import Synchronization

/// The engine's output sink for the real process: script output to stdout (buffered by C stdio),
/// errors and warnings to stderr.
///
/// The lock keeps one write whole when route scripts on server threads write at the same time as the
/// prompt's command. Stdout is flushed before every stderr write so that, on a terminal or a file both
/// streams share, text appears in the order the script produced it.
final class StandardStreams: OutputSink {
    private let lock = Mutex(())

    func writeOut(_ text: String) {
        lock.withLock { _ in Self.write(text, to: krsh_stdout()) }
    }

    func writeErr(_ text: String) {
        lock.withLock { _ in
            fflush(krsh_stdout())
            Self.write(text, to: krsh_stderr())
        }
    }

    /// Pushes buffered output out: after each prompt command and before the process exits.
    func flush() {
        lock.withLock { _ in
            fflush(krsh_stdout())
            fflush(krsh_stderr())
        }
    }

    /// A one-line message from krsh itself (not the script), such as a usage error.
    func writeDiagnostic(_ line: String) {
        writeErr("krsh: \(line)\n")
    }

    private static func write(_ text: String, to stream: UnsafeMutablePointer<FILE>?) {
        var text = text
        // withUTF8 writes the exact bytes, NUL characters included, without a C-string copy.
        text.withUTF8 { bytes in
            guard let base = bytes.baseAddress, bytes.count > 0 else { return }
            _ = fwrite(base, 1, bytes.count, stream)
        }
    }
}
