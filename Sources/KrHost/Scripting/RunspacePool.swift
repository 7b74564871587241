import Foundation
import KrScript

/// A runspace: an execution context with its own global scope, owned by one worker thread.
final class Runspace: @unchecked Sendable {
    let name: String
    let context: ExecutionContext

    init(name: String, context: ExecutionContext) {
        self.name = name
        self.context = context
    }
}

/// Named runspaces (`Runspace1`...`RunspaceN`), each on its own worker thread, so that route scripts
/// never run on a network event-loop thread and a sleeping route blocks only its own runspace.
/// Workers are started on demand up to the maximum; extra requests wait for a free runspace.
final class RunspacePool: @unchecked Sendable {
    private let cond = NSCondition()
    private var jobs: [(Runspace) -> Void] = []
    private var workers = 0
    private var idle = 0
    private let maxWorkers: Int
    private weak var host: KrHost?
    private let commands: CommandTable
    private let sink: OutputSink

    init(host: KrHost, min: Int, max: Int) {
        self.host = host
        self.commands = host.commands
        self.sink = LogSink(logger: host.logger)
        self.maxWorkers = Swift.max(1, max)
        cond.lock()
        for _ in 0..<Swift.min(min, self.maxWorkers) { startWorkerLocked() }
        cond.unlock()
    }

    var size: Int {
        cond.lock()
        defer { cond.unlock() }
        return workers
    }

    /// Runs `job` on a free runspace's thread and returns its result.
    func run<T: Sendable>(_ job: @escaping @Sendable (Runspace) -> T) async -> T {
        await withCheckedContinuation { (cont: CheckedContinuation<T, Never>) in
            submit { rs in cont.resume(returning: job(rs)) }
        }
    }

    func submit(_ job: @escaping (Runspace) -> Void) {
        cond.lock()
        jobs.append(job)
        // Start another runspace when every idle one already has a job waiting.
        if jobs.count > idle && workers < maxWorkers { startWorkerLocked() }
        cond.signal()
        cond.unlock()
    }

    private func startWorkerLocked() {
        workers += 1
        let name = "Runspace\(workers)"
        let context = HostSupport.makeContext(name: name, sink: sink, commands: commands)
        if let host { context.hostData[KrHostKeys.host] = host }
        let rs = Runspace(name: name, context: context)
        let t = Thread { [weak self] in self?.workerLoop(rs) }
        t.name = name
        t.stackSize = 16 << 20
        t.start()
    }

    private func workerLoop(_ rs: Runspace) {
        while true {
            cond.lock()
            idle += 1
            while jobs.isEmpty { cond.wait() }
            idle -= 1
            let job = jobs.removeFirst()
            cond.unlock()
            job(rs)
        }
    }
}

/// Keys of ExecutionContext.hostData that the Kr cmdlets read.
enum KrHostKeys {
    static let host = "krhost.host"
    static let context = "krhost.context"
}

/// Runspaces' streams go to the server log.
final class LogSink: OutputSink, @unchecked Sendable {
    let logger: KrLogger
    init(logger: KrLogger) { self.logger = logger }
    func writeOut(_ text: String) { logger.log(.information, text.trimmingCharacters(in: .newlines)) }
    func writeErr(_ text: String) { logger.log(.error, text.trimmingCharacters(in: .newlines)) }
}
