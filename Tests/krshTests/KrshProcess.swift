import Foundation
import Synchronization

/// What one run of the krsh binary produced.
struct KrshRun: Sendable {
    /// The exit status, or the signal number when `signal` is true.
    var status: Int32
    /// Killed by a signal (including the timeout's SIGKILL).
    var signal: Bool
    var timedOut: Bool
    var stdout: String
    var stderr: String
}

enum KrshBinaryError: Error, CustomStringConvertible {
    case notFound([String])

    var description: String {
        switch self {
        case .notFound(let places):
            return "no krsh binary next to the test runner (looked in \(places.joined(separator: ", "))); run swift build"
        }
    }
}

/// Runs the krsh executable that was built into the same products folder as the test runner.
enum KrshProcess {
    /// `.build/<config>/krsh`: the test runner executable lives in that folder too.
    static func binary() throws -> URL {
        var folders: [URL] = []
        if let runner = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            folders.append(URL(fileURLWithPath: runner).deletingLastPathComponent())
        }
        folders.append(Bundle.main.bundleURL)
        folders.append(Bundle.main.bundleURL.deletingLastPathComponent())
        for folder in folders {
            let candidate = folder.appendingPathComponent("krsh")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw KrshBinaryError.notFound(folders.map(\.path))
    }

    /// Runs krsh with `arguments`. `stdin` nil means /dev/null. Kills it after `timeout` seconds.
    static func run(
        _ arguments: [String],
        stdin: String? = nil,
        in folder: URL? = nil,
        environment: [String: String]? = nil,
        timeout: Double = 10
    ) async throws -> KrshRun {
        let binary = try binary()
        // Waiting on a process blocks a thread. Dedicated threads keep that off Swift's cooperative pool
        // and off Dispatch's global queues, which on Linux grow only slowly when their threads block.
        return try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result {
                    try runBlocking(binary, arguments, stdin, folder, environment, timeout)
                })
            }.start()
        }
    }

    private static func runBlocking(
        _ binary: URL, _ arguments: [String], _ stdin: String?, _ folder: URL?,
        _ environment: [String: String]?, _ timeout: Double
    ) throws -> KrshRun {
        // Stdin text goes through a temporary file: no writer thread, no SIGPIPE if krsh never reads it.
        var inputFile: URL?
        defer { if let inputFile { try? FileManager.default.removeItem(at: inputFile) } }
        let input: Int32
        if let stdin {
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("krsh-stdin-\(UUID().uuidString)")
            try Data(stdin.utf8).write(to: file)
            inputFile = file
            input = open(file.path, O_RDONLY | O_CLOEXEC)
        } else {
            input = openDevNull()
        }
        let out = try PipeEnds(), err = try PipeEnds()
        let child = try ChildProcess.spawn(
            binary.path, arguments, environment: environment, directory: folder,
            stdin: input, stdout: out.write, stderr: err.write)
        close(input)
        close(out.write)
        close(err.write)

        // Both streams are drained at once, or a chatty krsh would block on a full pipe: stderr on a
        // thread of its own, stdout here. A timer kills krsh when it overstays.
        let errText = Collected()
        let errDone = DispatchSemaphore(value: 0)
        let errReader = err.reader
        Thread {
            errText.data = errReader.readDataToEndOfFile()
            errDone.signal()
        }.start()
        let watch = Watch()
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout) {
            if watch.expire() { child.send(SIGKILL) }
        }
        let outData = out.reader.readDataToEndOfFile()
        errDone.wait()
        let end = child.wait()
        let timedOut = !watch.finish()
        return KrshRun(
            status: end.status,
            signal: end.signaled,
            timedOut: timedOut,
            stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errText.data, as: UTF8.self)
        )
    }
}

/// A reader thread's result. Written by that thread only, read after the semaphore wait, which orders
/// the two; hence unchecked.
private final class Collected: @unchecked Sendable {
    var data = Data()
}

/// Whether a run ended before its timer fired: whichever of the two comes first wins.
private final class Watch: Sendable {
    private enum State { case running, finished, expired }
    private let state = Mutex(State.running)

    /// The timer fired; true when the run is still going and must be killed.
    func expire() -> Bool {
        state.withLock { state in
            guard state == .running else { return false }
            state = .expired
            return true
        }
    }

    /// The run ended; false when the timer had already fired.
    func finish() -> Bool {
        state.withLock { state in
            guard state == .running else { return false }
            state = .finished
            return true
        }
    }
}
