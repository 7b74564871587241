import Foundation
import Testing
@testable import KrScript

/// An OutputSink that keeps everything a script writes, for tests.
final class CollectingSink: OutputSink, @unchecked Sendable {
    private let lock = NSLock()
    private var outText = ""
    private var errText = ""

    func writeOut(_ text: String) { lock.withLock { outText += text } }
    func writeErr(_ text: String) { lock.withLock { errText += text } }

    var out: String { lock.withLock { outText } }
    var err: String { lock.withLock { errText } }
}

/// What one run of a script through `ScriptEngine.runScript` produced.
struct ScriptResult: Sendable {
    var out: String
    var err: String
    /// nil when the run did not finish before the time limit.
    var outcome: RunOutcome?

    var timedOut: Bool { outcome == nil }
    /// Stdout split into lines, without the final empty one.
    var lines: [String] {
        var parts = out.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if parts.last == "" { parts.removeLast() }
        return parts
    }
    /// The first `FILE:LINE:COLUMN: error: MESSAGE` line of stderr.
    var firstError: ReportedError? { ReportedError.first(in: err) }
}

/// One `FILE:LINE:COLUMN: error: MESSAGE` line and the two lines after it (source line, caret).
struct ReportedError: Equatable, Sendable, CustomStringConvertible {
    var file: String
    var line: Int
    var column: Int
    var message: String
    var sourceLine: String?
    var caretLine: String?

    var description: String { "\(file):\(line):\(column): error: \(message)" }

    static func all(in text: String) -> [ReportedError] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var found: [ReportedError] = []
        for (i, l) in lines.enumerated() {
            guard let e = parse(l) else { continue }
            var r = e
            r.sourceLine = i + 1 < lines.count ? lines[i + 1] : nil
            r.caretLine = i + 2 < lines.count ? lines[i + 2] : nil
            found.append(r)
        }
        return found
    }

    static func first(in text: String) -> ReportedError? { all(in: text).first }

    /// `FILE:LINE:COLUMN: error: MESSAGE`, FILE as short as possible.
    static func parse(_ l: String) -> ReportedError? {
        guard let marker = l.range(of: ": error: ") else { return nil }
        let head = l[..<marker.lowerBound]
        let parts = head.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count >= 3, let line = Int(parts[parts.count - 2]), let column = Int(parts[parts.count - 1]) else {
            return nil
        }
        let file = parts.dropLast(2).joined(separator: ":")
        return ReportedError(file: file, line: line, column: column, message: String(l[marker.upperBound...]))
    }
}

enum Script {
    /// Stack size of the thread a script runs on: the size of krsh's main thread.
    static let stackSize = 8 << 20

    /// Runs `source` in a fresh engine on a thread of its own (krsh's stack size) and waits at most
    /// `timeout` seconds; a run that overstays is asked to stop and reported with a nil outcome.
    static func run(
        _ source: String, file: String = "test.ps1", root: String = "/tmp", arguments: [String] = [],
        timeout: Double = 20
    ) async -> ScriptResult {
        let sink = CollectingSink()
        let engine = ScriptEngine(sink: sink)
        let outcome = await onThread(timeout: timeout, onTimeout: { engine.requestInterrupt() }) {
            engine.runScript(source: source, file: file, scriptRoot: root, arguments: arguments)
        }
        return ScriptResult(out: sink.out, err: sink.err, outcome: outcome)
    }

    /// Runs `body` on a new thread with krsh's stack size; nil when it did not finish in time.
    static func onThread<T: Sendable>(
        timeout: Double, onTimeout: @escaping @Sendable () -> Void = {}, _ body: @escaping @Sendable () -> T
    ) async -> T? {
        let once = Once()
        return await withCheckedContinuation { (continuation: CheckedContinuation<T?, Never>) in
            let thread = Thread {
                let value = body()
                if once.claim() { continuation.resume(returning: value) }
            }
            thread.stackSize = stackSize
            thread.start()
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout) {
                if once.claim() {
                    onTimeout()
                    continuation.resume(returning: nil)
                }
            }
        }
    }
}

/// Whichever of two racers claims first wins.
private final class Once: @unchecked Sendable {
    private let lock = NSLock()
    private var done = false

    func claim() -> Bool {
        lock.withLock {
            if done { return false }
            done = true
            return true
        }
    }
}
