import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An OS file lock (`flock`) beside the database, so that two runs (or a run and a merge) never write one
/// database at once.
///
/// The lock file is keyed by the database's real path: symbolic links to the database or its folder lead to
/// the same lock. After the lock is taken, the file at the path must still be the one locked (a lock file
/// deleted and re-created by hand would otherwise let a second writer in); ``verify()`` repeats that check
/// during the run. The kernel releases the lock when the process ends, however it ends (SIGKILL included), so
/// a crashed run never leaves a stale lock behind.
public final class RunLock {
    public let path: String
    private var descriptor: Int32 = -1

    /// - Parameters:
    ///   - wait: block until the other run ends instead of failing at once.
    ///   - cancellation: stops the wait (a signal while queued behind another run).
    public init(database: String, wait: Bool, cancellation: Cancellation? = nil) throws {
        path = Self.lockPath(for: database)
        let folder = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        while true {
            descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else {
                throw NianbaoError.database(path: path, message: "cannot create the lock file: \(String(cString: strerror(errno)))")
            }
            var status = flock(descriptor, LOCK_EX | LOCK_NB)
            while status != 0 && wait && (errno == EWOULDBLOCK || errno == EINTR) {
                // Polled, so that a signal can stop the wait.
                if let cancellation, !cancellation.sleep(0.1) { break }
                if cancellation == nil { usleep(100_000) }
                status = flock(descriptor, LOCK_EX | LOCK_NB)
            }
            guard status == 0 else {
                close(descriptor)
                if cancellation?.isCancelled == true { throw CancelledError() }
                throw NianbaoError.locked(path: database)
            }
            if isCurrent() { return }
            // The file was deleted or replaced between open and flock: lock the one now at the path.
            close(descriptor)
        }
    }

    /// The lock file for a database: beside its real path (links resolved, as far as they exist).
    static func lockPath(for database: String) -> String {
        if let real = realpath(database, nil) {
            defer { free(real) }
            return String(cString: real) + ".lock"
        }
        let folder = (database as NSString).deletingLastPathComponent
        let name = (database as NSString).lastPathComponent
        try? FileManager.default.createDirectory(atPath: folder.isEmpty ? "." : folder, withIntermediateDirectories: true)
        guard let real = realpath(folder.isEmpty ? "." : folder, nil) else { return database + ".lock" }
        defer { free(real) }
        return (String(cString: real) as NSString).appendingPathComponent(name) + ".lock"
    }

    /// True while the lock file at the path is the file this lock holds.
    private func isCurrent() -> Bool {
        var held = stat(), atPath = stat()
        guard fstat(descriptor, &held) == 0, stat(path, &atPath) == 0 else { return false }
        return held.st_dev == atPath.st_dev && held.st_ino == atPath.st_ino
    }

    /// Throws when the lock file was removed or replaced during the run: another run could then take the
    /// database, so this one stops writing.
    public func verify() throws {
        guard isCurrent() else {
            throw NianbaoError.database(path: path, message: "the lock file was removed or replaced during the run; stopping so that two runs never write at once")
        }
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
