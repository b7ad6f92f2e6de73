import XCTest
@testable import NianbaoKit

/// The writer commits whole batches (`load.batch_size` documents a transaction), not whatever happens to be ready.
final class WriterBatchTests: XCTestCase {
    func testBatchesFillAsResultsArrive() {
        let queue = OrderedWorkQueue<Int>(count: 100, window: 64)
        DispatchQueue.global().async {
            while let index = queue.claim() {
                usleep(200)
                queue.complete(index, index)
            }
        }
        var batches: [[Int]] = []
        while let batch = queue.nextBatch(limit: 64, linger: 30) { batches.append(batch) }
        XCTAssertEqual(batches.map(\.count), [64, 36])
        XCTAssertEqual(batches.flatMap { $0 }, Array(0..<100))
    }

    func testALingeringBatchIsHandedOverInTime() {
        let queue = OrderedWorkQueue<Int>(count: 10, window: 10)
        DispatchQueue.global().async {
            while let index = queue.claim() {
                queue.complete(index, index)
                usleep(100_000)
            }
        }
        let started = Date()
        let first = queue.nextBatch(limit: 64, linger: 0.25)
        XCTAssertLessThan(Date().timeIntervalSince(started), 2)
        XCTAssertLessThan(first?.count ?? 0, 10)
        queue.cancel()
        while queue.nextBatch(limit: 64, linger: 30) != nil {}
        XCTAssertLessThan(Date().timeIntervalSince(started), 5, "a cancelled run's last batch does not wait out the linger")
    }

    func testAPipelineCommitsOneTransactionPerBatch() throws {
        let directory = temporaryDirectory()
        let inputs = directory.appendingPathComponent("inputs")
        try FileManager.default.createDirectory(at: inputs, withIntermediateDirectories: true)
        for index in 0..<150 { try Data("not a report \(index)\n".utf8).write(to: inputs.appendingPathComponent(String(format: "d%03d.txt", index))) }
        var configuration = PipelineConfiguration(baseDirectory: directory)
        configuration.sources = [.path("inputs")]
        configuration.database = "db.sqlite"
        configuration.workers = 2
        let pipeline = Pipeline(configuration: configuration)
        pipeline.batchLinger = 60
        let done = Counter()
        pipeline.progress = { done.append($0.done) }
        let summary = try pipeline.run()
        XCTAssertEqual(summary.documents, 150)
        // The progress line is updated after each commit: three transactions of 64, 64 and 22 documents.
        XCTAssertEqual(done.values, [64, 128, 150])
    }
}

private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var seen: [Int] = []
    func append(_ value: Int) { lock.lock(); seen.append(value); lock.unlock() }
    var values: [Int] { lock.lock(); defer { lock.unlock() }; return seen }
}
