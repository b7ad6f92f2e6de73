import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An OS file lock (`flock`) beside the database, so that two runs never write one database at once.
///
/// The lock is released by the kernel when the process ends, however it ends (SIGKILL included), so a
/// crashed run never leaves a stale lock behind.
public final class RunLock {
    public let path: String
    private let descriptor: Int32

    /// - Parameter wait: block until the other run ends instead of failing at once.
    public init(database: String, wait: Bool) throws {
        path = database + ".lock"
        if let slash = database.lastIndex(of: "/") {
            let folder = String(database[..<slash])
            if !folder.isEmpty { try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        }
        descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw NianbaoError.database(path: path, message: "cannot create the lock file: \(String(cString: strerror(errno)))")
        }
        var status = flock(descriptor, LOCK_EX | (wait ? 0 : LOCK_NB))
        while status != 0 && errno == EINTR { status = flock(descriptor, LOCK_EX | (wait ? 0 : LOCK_NB)) }
        guard status == 0 else {
            close(descriptor)
            throw NianbaoError.locked(path: database)
        }
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
