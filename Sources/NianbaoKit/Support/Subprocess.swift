import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs an external converter (pdftotext, and the like) under the limits a document has: a deadline, a cap on
/// its output, and the run's ``Cancellation``. The input goes through a pipe (no temporary file to leak);
/// the child is killed — with its process group when it has its own — as soon as any limit is hit. Where
/// util-linux's `setpriv` is installed the child also gets `PDEATHSIG=KILL`, so a converter never outlives a
/// nianbao process killed with SIGKILL, and with util-linux's `prlimit` an address-space limit.
///
/// ```swift
/// let text = try Subprocess.run("pdftotext", ["-layout", "-", "-"], input: pdf, limits: .init(seconds: 30, maxOutput: 50_000_000))
/// ```
public enum Subprocess {
    public struct Limits: Sendable {
        public var seconds: Double
        public var maxOutput: Int
        public var cancellation: Cancellation?
        /// Put the child in a process group of its own and kill the whole group (for converters that fork).
        public var ownProcessGroup = false
        /// The child's address-space limit in bytes (through util-linux's `prlimit`, where installed).
        public var memoryBytes: Int?
        /// Variables added to the child's environment (e.g. `OMP_THREAD_LIMIT=1` for an engine that would
        /// otherwise start a thread per core in every one of our workers).
        public var environment: [String: String] = [:]

        public init(seconds: Double, maxOutput: Int, cancellation: Cancellation? = nil, ownProcessGroup: Bool = false,
                    memoryBytes: Int? = nil, environment: [String: String] = [:]) {
            self.seconds = seconds
            self.maxOutput = maxOutput
            self.cancellation = cancellation
            self.ownProcessGroup = ownProcessGroup
            self.memoryBytes = memoryBytes
            self.environment = environment
        }
    }

    public enum Failure: Error, Equatable, Sendable {
        /// The executable could not be found or started.
        case notFound(String)
        case timedOut(seconds: Double)
        case outputTooLarge(limit: Int)
        case exited(status: Int32, stderr: String)
        case killed(signal: Int32)
    }

    public struct Output: Sendable {
        public var stdout: [UInt8]
        public var stderr: String
    }

    static let setpriv: String? = ["/usr/bin/setpriv", "/bin/setpriv"].first { (path: String) in access(path, X_OK) == 0 }
    static let prlimit: String? = ["/usr/bin/prlimit", "/bin/prlimit"].first { (path: String) in access(path, X_OK) == 0 }

    public static func run(_ executable: String, _ arguments: [String], input: [UInt8]? = nil, limits: Limits) throws -> Output {
        try limits.cancellation?.check()
        var argv = [executable] + arguments
        if let memory = limits.memoryBytes, let prlimit { argv = [prlimit, "--as=\(memory)", "--"] + argv }
        if let setpriv { argv = [setpriv, "--pdeathsig", "KILL", "--"] + argv }
        var stdinPipe: [Int32] = [-1, -1], stdoutPipe: [Int32] = [-1, -1], stderrPipe: [Int32] = [-1, -1]
        guard pipe(&stdinPipe) == 0, pipe(&stdoutPipe) == 0, pipe(&stderrPipe) == 0 else {
            throw Failure.notFound("\(executable): cannot create pipes: \(String(cString: strerror(errno)))")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdinPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, stdoutPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, stderrPipe[1], 2)
        for descriptor in stdinPipe + stdoutPipe + stderrPipe { posix_spawn_file_actions_addclose(&actions, descriptor) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var flags = Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)
        if limits.ownProcessGroup {
            flags |= Int16(POSIX_SPAWN_SETPGROUP)
            posix_spawnattr_setpgroup(&attributes, 0)
        }
        posix_spawnattr_setflags(&attributes, flags)
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGINT, SIGTERM, SIGHUP] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)

        var pid: pid_t = 0
        let cArguments = argv.map { strdup($0) } + [nil]
        defer { for pointer in cArguments { free(pointer) } }
        var environment: [UnsafeMutablePointer<CChar>?] = []
        var index = 0
        while let entry = environ[index] { environment.append(strdup(entry)); index += 1 }
        environment += limits.environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") }
        environment.append(nil)
        defer { for pointer in environment { free(pointer) } }
        let status = posix_spawnp(&pid, argv[0], &actions, &attributes, cArguments, environment)
        for descriptor in [stdinPipe[0], stdoutPipe[1], stderrPipe[1]] { close(descriptor) }
        guard status == 0 else {
            for descriptor in [stdinPipe[1], stdoutPipe[0], stderrPipe[0]] { close(descriptor) }
            throw Failure.notFound("\(executable): \(String(cString: strerror(status)))")
        }
        let child = Child(pid: pid, group: limits.ownProcessGroup)
        let token = limits.cancellation?.onCancel { child.kill() }
        defer { limits.cancellation?.remove(token) }

        // The input is written from its own thread, so that a child filling its output pipe never deadlocks us.
        let writer = Thread { [stdinFD = stdinPipe[1]] in
            // A child that exits before reading its input makes the write fail with EPIPE; the SIGPIPE that comes
            // with it is blocked on this thread only (it is thread-directed and dies with the thread).
            var pipeSignal = sigset_t()
            sigemptyset(&pipeSignal)
            sigaddset(&pipeSignal, SIGPIPE)
            pthread_sigmask(SIG_BLOCK, &pipeSignal, nil)
            if let input {
                input.withUnsafeBytes { buffer in
                    var offset = 0
                    while offset < buffer.count {
                        let written = write(stdinFD, buffer.baseAddress! + offset, buffer.count - offset)
                        if written < 0 && errno == EINTR { continue }
                        if written <= 0 { break }
                        offset += written
                    }
                }
            }
            close(stdinFD)
        }
        writer.start()

        var stdout: [UInt8] = [], stderr: [UInt8] = []
        var failure: Failure?
        let deadline = Date().addingTimeInterval(limits.seconds)
        var open = [stdoutPipe[0], stderrPipe[0]]
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while !open.isEmpty {
            if limits.cancellation?.isCancelled == true { child.kill(); break }
            let remaining = deadline.timeIntervalSinceNow
            if remaining <= 0 {
                failure = .timedOut(seconds: limits.seconds)
                child.kill()
                break
            }
            var polls = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            let ready = poll(&polls, nfds_t(polls.count), Int32(min(remaining, 0.2) * 1000) + 1)
            if ready < 0 && errno != EINTR { break }
            for entry in polls where entry.revents != 0 {
                let count = read(entry.fd, &chunk, chunk.count)
                if count <= 0 {
                    close(entry.fd)
                    open.removeAll { $0 == entry.fd }
                } else if entry.fd == stdoutPipe[0] {
                    stdout.append(contentsOf: chunk[0..<count])
                    if stdout.count > limits.maxOutput {
                        failure = .outputTooLarge(limit: limits.maxOutput)
                        child.kill()
                    }
                } else if stderr.count < 8192 {
                    stderr.append(contentsOf: chunk[0..<count])
                }
            }
            if failure != nil { break }
        }
        for descriptor in open { close(descriptor) }
        let exit = child.wait()
        if limits.cancellation?.isCancelled == true { throw CancelledError() }
        if let failure { throw failure }
        let errorText = String(decoding: stderr, as: UTF8.self)
        switch exit {
        case let .exited(code) where code == 0: return Output(stdout: stdout, stderr: errorText)
        case let .exited(code): throw Failure.exited(status: code, stderr: errorText)
        case let .signalled(signal): throw Failure.killed(signal: signal)
        }
    }

    /// A spawned child, killed at most once, reaped once.
    private final class Child: @unchecked Sendable {
        enum Exit { case exited(Int32), signalled(Int32) }
        let pid: pid_t
        let group: Bool
        private let lock = NSLock()
        private var reaped = false

        init(pid: pid_t, group: Bool) {
            self.pid = pid
            self.group = group
        }

        func kill() {
            lock.lock()
            defer { lock.unlock() }
            guard !reaped else { return }
            if group { _ = Glibc.kill(-pid, SIGKILL) }
            _ = Glibc.kill(pid, SIGKILL)
        }

        func wait() -> Exit {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            lock.lock()
            reaped = true
            lock.unlock()
            // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import as macros.
            let signal = status & 0x7f
            return signal == 0 ? .exited((status >> 8) & 0xff) : .signalled(signal)
        }
    }
}
