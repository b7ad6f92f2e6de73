import Foundation
import XCTest
@testable import NianbaoKit

/// The database file changes under a running run: an operator restores a backup over it, or rotates it away.
final class DatabaseFileGuardTests: XCTestCase {
    /// A store with a few runs committed and still in its `-wal` (not checkpointed).
    private func storeWithCommits(at path: String, runs: Int) throws -> ReportStore {
        let store = try ReportStore(path: path)
        for index in 0..<runs { _ = try store.beginRun(config: "run \(index)") }
        XCTAssertTrue(FileManager.default.fileExists(atPath: path + "-wal"))
        return store
    }

    private func runCount(_ path: String) throws -> Int64? {
        let connection = try SQLiteConnection(path: path, create: false)
        XCTAssertEqual(try connection.query("PRAGMA integrity_check"), [[.text("ok")]])
        return try connection.query("SELECT count(*) FROM runs").first?.first?.integer
    }

    /// The run's own `-wal` was left beside the restored backup, and the next open applied this run's frames to
    /// it ("database disk image is malformed").
    func testABackupRestoredOverTheDatabaseMidRunStaysIntact() throws {
        let directory = temporaryDirectory()
        let path = directory.appendingPathComponent("db.sqlite").path
        let backup = directory.appendingPathComponent("backup.sqlite").path
        do {
            let backupStore = try storeWithCommits(at: backup, runs: 2)
            try backupStore.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: backup))
        var store: ReportStore? = try storeWithCommits(at: path, runs: 40)
        // cp backup tmp && mv tmp db.sqlite
        let temporary = directory.appendingPathComponent("restore.tmp")
        try bytes.write(to: temporary)
        XCTAssertEqual(rename(temporary.path, path), 0)
        XCTAssertThrowsError(try store?.verifyFile()) { error in
            XCTAssertTrue("\(error)".contains("moved aside"), "\(error)")
        }
        try store?.finishRun(1, status: "failed", summary: RunSummary())
        store = nil
        XCTAssertEqual(try runCount(path), 2)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), bytes)
        let aside = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.contains(".orphaned-") }
        XCTAssertEqual(aside.count, 2, "\(aside)")
    }

    /// A database moved away mid-run keeps every commit of the run: they were in the `-wal` at the old path,
    /// which a moved file no longer finds.
    func testADatabaseMovedMidRunKeepsWhatTheRunCommitted() throws {
        let directory = temporaryDirectory()
        let path = directory.appendingPathComponent("db.sqlite").path
        let moved = directory.appendingPathComponent("moved.sqlite").path
        var store: ReportStore? = try storeWithCommits(at: path, runs: 25)
        XCTAssertEqual(rename(path, moved), 0)
        XCTAssertThrowsError(try store?.verifyFile())
        store = nil
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: path + "-wal"))
        XCTAssertEqual(try runCount(moved), 25)
    }

    /// Found at the very end (no write checked the file after the move): the same, when the store is released.
    func testAMoveNoticedOnlyAtTheEndIsHandledToo() throws {
        let directory = temporaryDirectory()
        let path = directory.appendingPathComponent("db.sqlite").path
        let moved = directory.appendingPathComponent("moved.sqlite").path
        var store: ReportStore? = try storeWithCommits(at: path, runs: 7)
        XCTAssertEqual(rename(path, moved), 0)
        store = nil
        XCTAssertEqual(try runCount(moved), 7)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path + "-wal"))
    }

    /// The exit of a run is recorded only on that run: a restored database has its own run with the same id.
    func testRecordingTheExitNamesTheRunByItsUUID() throws {
        let path = temporaryDirectory().appendingPathComponent("db.sqlite").path
        do {
            let store = try ReportStore(path: path)
            _ = try store.beginRun(config: "other", uuid: "restored-run")
        }
        try ReportStore.recordExit(database: path, runID: 1, runUUID: "this-run", exitCode: 1, summary: "{}")
        let connection = try SQLiteConnection(path: path, create: false)
        XCTAssertEqual(try connection.query("SELECT exit_code FROM runs WHERE id = 1"), [[.null]])
        try ReportStore.recordExit(database: path, runID: 1, runUUID: "restored-run", exitCode: 0, summary: "{}")
        XCTAssertEqual(try connection.query("SELECT exit_code FROM runs WHERE id = 1"), [[.integer(0)]])
    }
}
