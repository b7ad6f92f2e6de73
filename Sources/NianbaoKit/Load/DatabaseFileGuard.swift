import CSQLite
import Foundation

/// What a run does when the file at its database's path stops being the database it opened.
///
/// An operator may move the database away (rotation) or put a backup in its place while a run writes. SQLite
/// keeps writing through its open descriptor, to the file that is no longer at the path, but its journal is found
/// by name: the `-wal` and `-shm` files at the path are this connection's. Left there, the next process to open
/// the path applies this run's frames to the restored file and damages it ("database disk image is malformed"),
/// and on close SQLite would delete whatever `-wal` is at the path by name — by then perhaps the restored file's.
///
/// So, once the path is found changed: everything committed is checkpointed into the file the run opened (a
/// moved database is then complete on its own), the connection is told to keep its journal on close (never to
/// delete by name), and the journal files still at the path that are this connection's (same device and inode)
/// are moved aside beside it, named `.orphaned-<time>`. Nothing is deleted.
extension ReportStore {
    /// Notes the inodes of this connection's journal files while the path is still its database.
    func rememberJournal() {
        for suffix in ["-wal", "-shm"] where journalIdentities[suffix] == nil {
            if let identity = SourceLister.identity(connection.path + suffix) { journalIdentities[suffix] = identity }
        }
    }

    /// True when the file at the path is no longer the one opened (moved, deleted or replaced).
    var pathWasReplaced: Bool {
        guard let fileIdentity else { return false }
        return SourceLister.identity(connection.path) != fileIdentity
    }

    /// Lets go of the path (see the type's comment); returns where the journal files went, or that one could not be
    /// moved. Runs once.
    @discardableResult
    func letGoOfPath() -> [String] {
        guard !detachedFromPath else { return [] }
        detachedFromPath = true
        checkpointIntoOpenedFile()
        var persist: Int32 = 1
        _ = sqlite3_file_control(connection.handle, "main", SQLITE_FCNTL_PERSIST_WAL, &persist)
        let stamp = Int(Date().timeIntervalSince1970)
        var moved: [String] = []
        for (suffix, identity) in journalIdentities.sorted(by: { $0.key > $1.key }) {
            let path = connection.path + suffix
            guard SourceLister.identity(path) == identity else { continue }
            let aside = "\(path).orphaned-\(stamp)"
            // Said either way: a journal that stays beside a restored database damages it at the next open.
            moved.append(rename(path, aside) == 0 ? aside
                : "\(path) (could not be moved: \(String(cString: strerror(errno))); move it away before the database is opened again)")
        }
        return moved
    }

    /// At the end of the store's life: a path found changed now is let go of, and what was written after letting
    /// go (the run marked failed) is checkpointed into the opened file as well.
    func letGoIfReplaced() {
        if detachedFromPath {
            checkpointIntoOpenedFile()
        } else if pathWasReplaced {
            letGoOfPath()
        }
    }

    private func checkpointIntoOpenedFile() {
        try? connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    }
}
