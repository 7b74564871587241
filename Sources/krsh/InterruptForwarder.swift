import Dispatch
import Foundation
import KrScript
import Synchronization

/// Turns Ctrl-C (SIGINT) into `ScriptEngine.requestInterrupt()` while a prompt command runs.
///
/// A signal handler may only do async-signal-safe work, so the handler writes one byte to a pipe and a
/// dispatch read source on the other end does the real work on an ordinary thread. The handler is
/// installed with `SA_RESTART` so that system calls inside a running command are not cut short.
///
/// While the prompt is reading, libedit (EL_SIGNAL) installs its own SIGINT handler, which makes its
/// read fail with EINTR (the editor then clears the line) and passes the signal on to this handler.
/// The byte is then ignored, because no command is running.
///
/// The dispatch handler touches only the atomic flag, a constant and the engine's `requestInterrupt()`,
/// which may be called from any thread.
final class InterruptForwarder {
    private let engine: ScriptEngine
    private let commandRunning = Atomic<Bool>(false)
    private let readEnd: Int32
    private let source: DispatchSourceRead

    /// Installs the SIGINT handler; nil when no pipe could be made (Ctrl-C then keeps its default).
    init?(engine: ScriptEngine) {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { return nil }
        for end in ends {
            // Non-blocking: a handler must never wait on a full pipe, and draining stops when it is empty.
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
        self.engine = engine
        self.readEnd = ends[0]
        interruptPipeWriteEnd = ends[1]
        self.source = DispatchSource.makeReadSource(fileDescriptor: ends[0], queue: .global())
        source.setEventHandler { [weak self] in self?.signalArrived() }
        source.resume()

        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in
            let savedErrno = errno
            var byte: UInt8 = 1
            _ = write(interruptPipeWriteEnd, &byte, 1)
            errno = savedErrno
        }
        action.sa_flags = SA_RESTART
        sigemptyset(&action.sa_mask)
        sigaction(SIGINT, &action, nil)
        InterruptForwarder.unblockInterrupts()
    }

    /// Some libraries linked into krsh leave SIGINT blocked on the main thread after they start
    /// (seen once the HTTP stack was linked in); a blocked Ctrl-C would never reach the handler.
    static func unblockInterrupts() {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    /// Runs `body` (one engine call) with Ctrl-C forwarded to the engine.
    func whileCommandRuns<T>(_ body: () -> T) -> T {
        InterruptForwarder.unblockInterrupts()
        commandRunning.store(true, ordering: .releasing)
        defer { commandRunning.store(false, ordering: .releasing) }
        return body()
    }

    private func signalArrived() {
        var scratch = [UInt8](repeating: 0, count: 64)
        while scratch.withUnsafeMutableBytes({ read(readEnd, $0.baseAddress, $0.count) }) > 0 {}
        if commandRunning.load(ordering: .acquiring) { engine.requestInterrupt() }
    }
}

/// The write end of the interrupt pipe. A C signal handler cannot capture context, so this one value
/// is global: written once, before the handler that reads it is installed.
nonisolated(unsafe) private var interruptPipeWriteEnd: Int32 = -1
