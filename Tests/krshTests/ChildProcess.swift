import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A child process started with posix_spawn and reaped with waitpid on its own pid.
///
/// The tests do not use Foundation's `Process`: on Linux it learns that a child ended when a socket the
/// child inherited reaches end of file, so a child that forks a daemon (as `tmux new-session` does when
/// no tmux server runs yet) keeps that socket open in the daemon and `waitUntilExit` never returns.
/// Here the child gets exactly the three descriptors it is given; everything else is closed.
struct ChildProcess: Sendable {
    let pid: pid_t

    enum Failure: Error, CustomStringConvertible {
        case spawn(String, Int32)
        var description: String {
            switch self {
            case .spawn(let path, let code): return "posix_spawn \(path): \(String(cString: strerror(code)))"
            }
        }
    }

    /// Starts `executable` with `arguments`; `stdin`, `stdout` and `stderr` become its descriptors 0, 1, 2.
    /// `environment` nil inherits this process's environment.
    static func spawn(
        _ executable: String, _ arguments: [String],
        environment: [String: String]? = nil, directory: URL? = nil,
        stdin: Int32, stdout: Int32, stderr: Int32
    ) throws -> ChildProcess {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdin, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout, 1)
        posix_spawn_file_actions_adddup2(&actions, stderr, 2)
        _ = GNUSpawn.closeFrom?(&actions, 3)
        if let directory {
            guard let chdir = GNUSpawn.chdir else { throw Failure.spawn("posix_spawn_file_actions_addchdir_np", ENOSYS) }
            _ = chdir(&actions, directory.path)
        }

        // The test runner may have signals blocked or ignored; the child starts with defaults.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let env = (environment ?? ProcessInfo.processInfo.environment).map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { env.forEach { free($0) } }

        var pid: pid_t = 0
        let code = posix_spawn(&pid, executable, &actions, &attributes, argv, env)
        guard code == 0 else { throw Failure.spawn(executable, code) }
        return ChildProcess(pid: pid)
    }

    /// Blocks until the child ends. `status` is the exit status, or the signal number when `signaled`.
    func wait() -> (status: Int32, signaled: Bool) {
        var raw: Int32 = 0
        while waitpid(pid, &raw, 0) == -1 && errno == EINTR {}
        let signal = raw & 0x7f
        return signal == 0 ? ((raw >> 8) & 0xff, false) : (signal, true)
    }

    func send(_ signal: Int32) { kill(pid, signal) }
}

/// glibc's spawn extensions, which Swift's Glibc module leaves out (they need _GNU_SOURCE).
private enum GNUSpawn {
    typealias Actions = UnsafeMutablePointer<posix_spawn_file_actions_t>
    static let closeFrom = symbol("posix_spawn_file_actions_addclosefrom_np", as: (@convention(c) (Actions, Int32) -> Int32).self)
    static let chdir = symbol("posix_spawn_file_actions_addchdir_np", as: (@convention(c) (Actions, UnsafePointer<CChar>) -> Int32).self)

    private static func symbol<T>(_ name: String, as type: T.Type) -> T? {
        guard let handle = dlopen(nil, RTLD_NOW), let address = dlsym(handle, name) else { return nil }
        return unsafeBitCast(address, to: type)
    }
}

/// Both ends of a pipe, close-on-exec (the child gets its end through dup2, which clears the flag).
struct PipeEnds {
    let read: Int32
    let write: Int32

    init() throws {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw ChildProcess.Failure.spawn("pipe", errno) }
        read = fds[0]
        write = fds[1]
        _ = fcntl(read, F_SETFD, FD_CLOEXEC)
        _ = fcntl(write, F_SETFD, FD_CLOEXEC)
    }

    /// The read end as a FileHandle that closes it when released.
    var reader: FileHandle { FileHandle(fileDescriptor: read, closeOnDealloc: true) }
}

/// /dev/null opened for reading and writing, close-on-exec.
func openDevNull() -> Int32 { open("/dev/null", O_RDWR | O_CLOEXEC) }
