import Dispatch
import Foundation
import Logging
import NianbaoHTML

/// Runs `pipeline.json`: lists the sources, processes documents on concurrent workers, and hands the
/// outcomes to a single writer that commits them in source order, a batch per transaction.
///
/// Workers may run ahead of the writer by a bounded window only, so memory stays flat however many
/// files there are, and the database is the same whatever the timing (documents are written in order).
///
/// ```swift
/// let summary = try Pipeline(configuration: config).run()
/// exit(summary.exitCode(failOn: config.validate.failOn))
/// ```
public final class Pipeline: @unchecked Sendable {
    public let configuration: PipelineConfiguration
    let logger: Logger
    /// Wait for another run on the same database instead of refusing to start.
    public var waitForLock = false
    /// Called from the writer after each batch with the counts so far.
    public var progress: (@Sendable (Progress) -> Void)?

    /// Where a run stands, for a progress line.
    public struct Progress: Sendable {
        public var done: Int
        public var total: Int
        public var failed: Int
        public var seconds: Double
    }
    private let interruption = NSLock()
    private var activeQueue: OrderedWorkQueue<DocumentOutcome>?
    private var interrupted = false

    public init(configuration: PipelineConfiguration, logger: Logger = Logger(label: "nianbao")) {
        self.configuration = configuration
        self.logger = logger
    }

    public func run() throws -> RunSummary {
        let started = Date()
        HTMLOutlineReader.prepare()
        var processor = DocumentProcessor(configuration: configuration)
        if configuration.sources.contains(where: { if case .path = $0 { return false } else { return true } }) {
            processor.fetcher = Fetcher(options: configuration.fetch, cacheDirectory: URL(fileURLWithPath: configuration.cachePath))
        }
        let (items, listingFailures) = try listSources(processor: processor)
        let writes = configuration.stages.contains(.load)
        let lock = writes ? try RunLock(database: configuration.databasePath, wait: waitForLock) : nil
        defer { withExtendedLifetime(lock) {} }
        let store = writes ? try ReportStore(path: configuration.databasePath) : nil
        // Holding the lock, any run still marked running was killed: say so.
        try store?.markAbandonedRuns()
        let known = try store?.knownDocuments() ?? [:]
        let runID = try store?.beginRun(config: describe()) ?? 0
        logger.info("run \(runID): \(items.count) documents, \(configuration.effectiveWorkers) workers")

        var summary = RunSummary()
        summary.wrote = writes
        var writeError: Error?
        if !listingFailures.isEmpty {
            for outcome in listingFailures { summary.count(outcome) }
            try store?.write(listingFailures, runID: runID)
        }
        let worker = processor
        let queue = OrderedWorkQueue<DocumentOutcome>(count: items.count, window: max(configuration.effectiveWorkers * 4, 8))
        interruption.lock()
        activeQueue = queue
        if interrupted { queue.cancel() }
        interruption.unlock()
        let group = DispatchGroup()
        // A queue of our own: long-running workers on the global pool would starve other work (signal handling).
        let workers = DispatchQueue(label: "nianbao.workers", attributes: .concurrent)
        for _ in 0..<min(configuration.effectiveWorkers, max(items.count, 1)) {
            workers.async(group: group) {
                while let index = queue.claim() {
                    queue.complete(index, worker.process(items[index], known: known))
                }
            }
        }
        while let batch = queue.nextBatch(limit: configuration.load.batchSize) {
            for outcome in batch {
                summary.count(outcome)
                switch outcome {
                case let .failed(info, failure): logger.warning("failed: \(info.source): \(failure)")
                case let .report(info, report):
                    logger.debug("\(report.unsupportedFormat ? "unsupported format" : "loaded"): \(info.source) (\(report.metadata.agency ?? "?") \(report.metadata.year.map(String.init) ?? "?"), \(report.cells.count) cells, \(report.findings.count) findings)")
                case let .unchanged(info): logger.debug("unchanged: \(info.source)")
                }
            }
            progress?(Progress(done: summary.documents, total: items.count + listingFailures.count, failed: summary.failed,
                               seconds: Date().timeIntervalSince(started)))
            guard let store, writeError == nil else { continue }
            do {
                try processor.clock.measure(.load) { try store.write(batch, runID: runID) }
            } catch {
                writeError = error
                queue.cancel()
            }
        }
        group.wait()
        summary.seconds = Date().timeIntervalSince(started)
        summary.stageSeconds = processor.clock.seconds
        summary.peakResidentKB = RunSummary.peakResidentKB()
        if let writeError {
            try? store?.finishRun(runID, status: "failed", summary: summary)
            throw writeError
        }
        if let store {
            summary.crossReportFindings = try CrossReportValidator(options: configuration.validate).run(on: store.connection)
        }
        interruption.lock()
        summary.interrupted = interrupted
        interruption.unlock()
        try store?.finishRun(runID, status: summary.interrupted ? "interrupted" : "finished", summary: summary)
        return summary
    }

    /// Stops taking new documents; those being processed are finished and committed, and `run` returns
    /// with the run recorded as interrupted. Safe to call from a signal handler's queue.
    public func interrupt() {
        interruption.lock()
        interrupted = true
        activeQueue?.cancel()
        interruption.unlock()
    }

    /// Every source expanded, in configuration order: files (sorted per source), listed URLs, and URLs
    /// discovered from index pages; duplicates dropped. Index pages that cannot be read are failures.
    func listSources(processor: DocumentProcessor) throws -> ([SourceItem], [DocumentOutcome]) {
        var items: [SourceItem] = []
        var failures: [DocumentOutcome] = []
        let lister = SourceLister(options: configuration.read)
        for source in configuration.sources {
            switch source {
            case let .path(path):
                items += try lister.list([path], relativeTo: configuration.baseDirectory).map { SourceItem(.file($0)) }
            case let .urls(file):
                guard let fetcher = processor.fetcher else { continue }
                let path = file.hasPrefix("/") ? file : configuration.baseDirectory.appendingPathComponent(file).path
                items += try URLSourceLister(fetcher: fetcher, decoder: processor.decoder).readList(path)
            case let .index(url):
                guard let fetcher = processor.fetcher else { continue }
                let found = URLSourceLister(fetcher: fetcher, decoder: processor.decoder).discover(url)
                items += found.items
                failures += found.failures
            }
        }
        var seen = Set<String>()
        let unique = items.filter { seen.insert($0.source).inserted }
        guard let shard = configuration.shard else { return (unique, failures) }
        return (unique.filter { shard.contains($0.source) }, failures.filter { shard.contains($0.info.source) })
    }

    private func describe() -> String {
        "stages=\(configuration.stages.map(\.rawValue).joined(separator: ",")) workers=\(configuration.effectiveWorkers) sources=\(configuration.sources.count)"
            + (configuration.shard.map { " shard=\($0)" } ?? "")
    }
}

/// Hands out indices to workers and gives results back to one consumer in index order.
///
/// A worker may claim index `i` only while `i < next + window`, where `next` is the first result the
/// consumer has not taken: at most `window` results wait in memory.
final class OrderedWorkQueue<Result>: @unchecked Sendable {
    private let condition = NSCondition()
    private let count: Int
    private let window: Int
    private var nextClaim = 0
    private var nextTake = 0
    private var ready: [Int: Result] = [:]
    private var cancelled = false

    init(count: Int, window: Int) {
        self.count = count
        self.window = window
    }

    /// The next index to process, or nil when all are claimed (or the run was cancelled).
    func claim() -> Int? {
        condition.lock()
        defer { condition.unlock() }
        while !cancelled && nextClaim < count && nextClaim >= nextTake + window { condition.wait() }
        guard !cancelled, nextClaim < count else { return nil }
        defer { nextClaim += 1 }
        return nextClaim
    }

    func complete(_ index: Int, _ result: Result) {
        condition.lock()
        ready[index] = result
        condition.broadcast()
        condition.unlock()
    }

    /// Up to `limit` consecutive results; waits for at least one; nil when everything was taken.
    func nextBatch(limit: Int) -> [Result]? {
        condition.lock()
        defer { condition.unlock() }
        while nextTake < count && ready[nextTake] == nil && !(cancelled && nextTake >= nextClaim) { condition.wait() }
        guard nextTake < count, ready[nextTake] != nil else { return nil }
        var batch: [Result] = []
        while batch.count < limit, let result = ready.removeValue(forKey: nextTake) {
            batch.append(result)
            nextTake += 1
        }
        condition.broadcast()
        return batch
    }

    /// Stops handing out work; results of claimed indices are still delivered.
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }
}
