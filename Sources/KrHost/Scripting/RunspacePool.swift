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
///
/// Scheduling: about one running route per CPU. More runnable script threads than CPUs only adds
/// context switches and contention on the interpreter's shared tables (on 2 CPUs, 32 busy runspaces
/// served 40% of what 2 did), so a request goes to a parked runspace (the most recently parked
/// one, whose caches are warm) or a new one only while fewer than `budget` routes run; otherwise it
/// waits in the queue, and a runspace that finishes a route takes the next one without parking. A
/// route that has been running for `blockedAfter` (it sleeps, waits on I/O or a lock, or just computes
/// long) stops counting against the budget: a watchdog then wakes or starts another runspace for the
/// waiting requests, up to the maximum. So while routes sleep, a request waits about `blockedAfter`
/// at most for a runspace (unless all of the maximum are busy, as before).
final class RunspacePool: @unchecked Sendable {
    typealias Job = (Runspace) -> Void

    /// One runspace and its thread.
    private final class Worker: @unchecked Sendable {
        let runspace: Runspace
        /// Signalled when a job was handed over in `handoff`.
        let wake = DispatchSemaphore(value: 0)
        /// The job given to this (parked) worker; written under the pool's lock before `wake`.
        var handoff: Job?
        /// When the current job started (uptime ns); 0 while parked. Under the pool's lock.
        var startedAt: UInt64 = 0

        init(runspace: Runspace) { self.runspace = runspace }
    }

    /// The pool's lock; its condition wakes the watchdog.
    private let cond = NSCondition()
    /// Requests waiting for a runspace, first come first served.
    private var queue = JobQueue()
    /// Parked workers; the last one parked is woken first.
    private var parked: [Worker] = []
    private var workers: [Worker] = []
    /// Workers running a job.
    private var active = 0
    private var watchdogStarted = false
    private var watchdogSleeping = false
    /// Set by close(): workers end instead of parking, the watchdog ends when the queue is empty.
    private var closed = false
    private let maxWorkers: Int
    /// Routes that may run at once before waiting requests queue (blocked ones not counted).
    private let budget: Int
    /// A route running this long counts as blocked (nanoseconds).
    private let blockedAfter: UInt64 = 2_000_000
    private weak var host: KrHost?
    private let commands: CommandTable
    private let sink: OutputSink

    init(host: KrHost, min: Int, max: Int) {
        self.host = host
        self.commands = host.commands
        self.sink = LogSink(logger: host.logger)
        self.maxWorkers = Swift.max(1, max)
        self.budget = Swift.max(2, ProcessInfo.processInfo.activeProcessorCount)
        cond.lock()
        for _ in 0..<Swift.min(min, self.maxWorkers) { startWorkerLocked(job: nil) }
        cond.unlock()
    }

    var size: Int {
        cond.lock()
        defer { cond.unlock() }
        return workers.count
    }

    /// Runs `job` on a free runspace's thread and returns its result.
    func run<T: Sendable>(_ job: @escaping @Sendable (Runspace) -> T) async -> T {
        await withUnsafeContinuation { (cont: UnsafeContinuation<T, Never>) in
            submit { rs in cont.resume(returning: job(rs)) }
        }
    }

    func submit(_ job: @escaping Job) {
        cond.lock()
        if active < budget && queue.isEmpty {
            if let w = parked.popLast() {
                w.handoff = job
                w.startedAt = RunspacePool.now()
                active += 1
                cond.unlock()
                w.wake.signal()
                return
            }
            if workers.count < maxWorkers {
                startWorkerLocked(job: job)
                cond.unlock()
                return
            }
        }
        queue.append(job)
        // Wake the watchdog: it frees the queue when the running routes turn out to be blocked.
        if !watchdogStarted {
            watchdogStarted = true
            RunspacePool.thread(named: "RunspaceWatch") { [weak self] in self?.watchdogLoop() }.start()
        } else if watchdogSleeping {
            watchdogSleeping = false
            cond.signal()
        }
        cond.unlock()
    }

    static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    /// A thread that names itself (Foundation's `Thread.name` does not reach the system thread on
    /// Linux); the name shows in /proc, top -H and debuggers. At most 15 bytes are kept.
    private static func thread(named name: String, _ body: @escaping @Sendable () -> Void) -> Thread {
        Thread {
            _ = setThreadName?(pthread_self(), String(name.utf8.prefix(15))!)
            body()
        }
    }

    /// glibc's pthread_setname_np, which Swift's Glibc module leaves out (it needs _GNU_SOURCE).
    private static let setThreadName: (@convention(c) (pthread_t, UnsafePointer<CChar>) -> Int32)? = {
        guard let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, "pthread_setname_np") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (pthread_t, UnsafePointer<CChar>) -> Int32).self)
    }()

    /// Ends the pool's threads: parked ones at once, busy ones when their route returns (after taking
    /// what is still queued). A job submitted afterwards still runs, on a worker that then ends.
    func close() {
        cond.lock()
        closed = true
        let sleeping = parked
        parked.removeAll()
        workers.removeAll { w in sleeping.contains { $0 === w } }
        cond.broadcast()
        cond.unlock()
        for w in sleeping { w.wake.signal() }
    }

    /// Starts a worker; with a job it starts running it at once (and counts as active).
    private func startWorkerLocked(job: Job?) {
        let name = "Runspace\(workers.count + 1)"
        let context = HostSupport.makeContext(name: name, sink: sink, commands: commands)
        if let host { context.hostData[KrHostKeys.host] = host }
        let w = Worker(runspace: Runspace(name: name, context: context))
        workers.append(w)
        if let job {
            w.handoff = job
            w.startedAt = RunspacePool.now()
            active += 1
            w.wake.signal()
        } else {
            parked.append(w)
        }
        let t = RunspacePool.thread(named: name) { [weak self] in self?.workerLoop(w) }
        t.stackSize = 16 << 20
        t.start()
    }

    private func workerLoop(_ w: Worker) {
        w.wake.wait()
        guard var job = takeHandoff(w) else { return }
        while true {
            job(w.runspace)
            cond.lock()
            if !queue.isEmpty && !overBudgetLocked(except: w), let next = queue.popFirst() {
                w.startedAt = RunspacePool.now()
                cond.unlock()
                job = next
                continue
            }
            active -= 1
            w.startedAt = 0
            if closed {
                workers.removeAll { $0 === w }
                cond.unlock()
                return
            }
            parked.append(w)
            cond.unlock()
            w.wake.wait()
            guard let next = takeHandoff(w) else { return }
            job = next
        }
    }

    /// The job handed to a woken worker: written before `wake.signal()`, so reading it after
    /// `wake.wait()` needs no lock (nobody else writes it while the worker is not parked).
    private func takeHandoff(_ w: Worker) -> Job? {
        let j = w.handoff
        w.handoff = nil
        return j
    }

    /// Whether the other workers already fill the budget with routes that are not blocked (only
    /// possible after the watchdog added workers for blocked routes that have since finished).
    private func overBudgetLocked(except me: Worker) -> Bool {
        guard active > budget else { return false }
        let now = RunspacePool.now()
        var running = 0
        for w in workers where w !== me && w.startedAt != 0 && now &- w.startedAt < blockedAfter {
            running += 1
        }
        return running >= budget
    }

    /// While requests wait, checks every `blockedAfter` whether the running routes are blocked and,
    /// for each blocked one, hands a waiting request to a parked or new runspace.
    private func watchdogLoop() {
        cond.lock()
        while true {
            while queue.isEmpty {
                if closed {
                    watchdogStarted = false
                    cond.unlock()
                    return
                }
                watchdogSleeping = true
                cond.wait()
            }
            watchdogSleeping = false
            _ = cond.wait(until: Date(timeIntervalSinceNow: Double(blockedAfter) / 1e9))
            guard !queue.isEmpty else { continue }
            let now = RunspacePool.now()
            var running = 0
            for w in workers where w.startedAt != 0 && now &- w.startedAt < blockedAfter { running += 1 }
            var free = budget - running
            while free > 0, !queue.isEmpty {
                if let w = parked.popLast() {
                    w.handoff = queue.popFirst()
                    w.startedAt = now
                    active += 1
                    w.wake.signal()
                } else if workers.count < maxWorkers {
                    startWorkerLocked(job: queue.popFirst())
                } else {
                    break
                }
                free -= 1
            }
        }
    }
}

/// A FIFO of jobs over a ring buffer (Array.removeFirst is O(n)).
private struct JobQueue {
    private var items: [RunspacePool.Job?] = Array(repeating: nil, count: 64)
    private var head = 0
    private(set) var count = 0

    var isEmpty: Bool { count == 0 }

    mutating func append(_ job: @escaping RunspacePool.Job) {
        if count == items.count {
            var grown: [RunspacePool.Job?] = Array(repeating: nil, count: items.count * 2)
            for i in 0..<count { grown[i] = items[(head + i) % items.count] }
            items = grown
            head = 0
        }
        items[(head + count) % items.count] = job
        count += 1
    }

    mutating func popFirst() -> RunspacePool.Job? {
        guard count > 0 else { return nil }
        let j = items[head]
        items[head] = nil
        head = (head + 1) % items.count
        count -= 1
        return j
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
