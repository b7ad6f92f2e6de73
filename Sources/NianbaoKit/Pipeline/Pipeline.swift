import Dispatch
import Foundation
import Logging
import NianbaoHTML

/// Runs `pipeline.json`: takes the database's lock, lists the sources, processes documents on concurrent
/// workers, and hands the outcomes to a single writer that commits them in source order, a batch per
/// transaction.
///
/// Workers may run ahead of the writer by a bounded window only, so memory stays flat however many
/// files there are, and the database is the same whatever the timing (documents are written in order).
/// The run's ``summary`` is kept current as it goes, so that every way out — an error, a signal — can still
/// report what happened.
///
/// ```swift
/// let pipeline = Pipeline(configuration: config)
/// let summary = try pipeline.run()
/// exit(summary.exitCode(failOn: config.validate.failOn))
/// ```
public final class Pipeline: @unchecked Sendable {
    public let configuration: PipelineConfiguration
    let logger: Logger
    /// Wait for another run on the same database instead of refusing to start.
    public var waitForLock = false
    /// Process every document, even those stored unchanged.
    public var force = false
    /// Called from the writer after each batch with the counts so far.
    public var progress: (@Sendable (Progress) -> Void)?
    /// How long the writer lets a batch fill before it commits what it has: a whole batch per transaction at
    /// full speed, and nothing finished waits longer than this uncommitted when documents come slowly (fetches).
    /// A batch is one transaction of whole documents: a crash loses it whole (the next run redoes it), never
    /// part of a document.
    var batchLinger: TimeInterval = 0.5
    /// Cancelled by ``interrupt()``: fetches, waits and converters in flight stop at once.
    public let cancellation = Cancellation()

    /// Where a run stands, for a progress line.
    public struct Progress: Sendable {
        public var done: Int
        public var total: Int
        public var failed: Int
        public var seconds: Double
    }

    private let state = NSLock()
    private var activeQueue: OrderedWorkQueue<DocumentOutcome>?
    private var current = RunSummary()

    public init(configuration: PipelineConfiguration, logger: Logger = Logger(label: "nianbao")) {
        self.configuration = configuration
        self.logger = logger
    }

    /// The run's summary as it stands (safe from any thread; complete once ``run()`` returns).
    public var summary: RunSummary {
        state.lock()
        defer { state.unlock() }
        return current
    }

    private func update(_ change: (inout RunSummary) -> Void) {
        state.lock()
        change(&current)
        state.unlock()
    }

    public func run() throws -> RunSummary {
        // Whichever way the run ends, peak memory is read last (a failed run's summary reports it too).
        defer { recordPeakMemory() }
        update { $0.startedAt = Date(); $0.database = configuration.stages.contains(.load) ? configuration.databasePath : nil }
        HTMLOutlineReader.prepare()
        let registry = try AgencyRegistry.load(file: configuration.registryPath)
        var processor = DocumentProcessor(configuration: configuration)
        processor.force = force
        processor.cancellation = cancellation
        processor.registry = registry
        if configuration.sources.contains(where: { !$0.isLocal }) {
            let fetcher = Fetcher(options: configuration.fetch, cacheDirectory: URL(fileURLWithPath: configuration.cachePath))
            fetcher.cache.sweepTemporaryFiles()
            processor.fetcher = fetcher
        }
        // Files the configuration names are checked before the database is opened: a missing one is a usage error
        // that leaves no run behind.
        if let hints = configuration.hintsPath { _ = try HintManifest.load(path: hints, baseDirectory: configuration.baseDirectory) }
        for (index, source) in configuration.sources.enumerated() {
            guard case let .urls(file) = source.kind else { continue }
            let path = file.hasPrefix("/") ? file : configuration.baseDirectory.appendingPathComponent(file).path
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw NianbaoError.configuration(key: "sources[\(index)].urls", message: "\(path): no such readable file")
            }
        }
        let writes = configuration.stages.contains(.load)
        // The lock comes first: a run that is refused touches nothing, not even the index pages.
        let lock = writes ? try RunLock(database: configuration.databasePath, wait: waitForLock, cancellation: cancellation) : nil
        defer { withExtendedLifetime(lock) {} }
        let resolutions = AgencyResolutions(registry: registry)
        let store = writes ? try ReportStore(path: configuration.databasePath, policy: ReplacementPolicy(mode: configuration.load.replace),
                                             validatedWith: configuration.validate.fingerprint, resolutions: resolutions) : nil
        try store?.markAbandonedRuns()
        let runID = try store?.beginRun(config: describe(), uuid: summary.runUUID)
        update { $0.runID = runID; $0.wrote = writes }
        do {
            try process(processor: processor, store: store, lock: lock, runID: runID ?? 0, resolutions: resolutions)
        } catch {
            // Stopped by a signal before the documents were processed (while listing, say): interrupted, as the
            // summary and the exit code say, not failed.
            let stopped = error is CancelledError
            update {
                $0.error = "\(error)"
                $0.finishedAt = Date()
                if stopped { $0.interrupted = true }
            }
            if let runID { try? store?.finishRun(runID, status: stopped ? "interrupted" : "failed", summary: summary) }
            throw error
        }
        if let store, let runID {
            let summary = self.summary
            try store.finishRun(runID, status: summary.interrupted ? "interrupted" : "finished", summary: summary)
        }
        recordPeakMemory()
        return summary
    }

    /// Peak memory as the run ends: after the cross-report step and the database's health, the last things a
    /// run does. (Read before them, the summary under-reported a run whose end is its largest part.)
    private func recordPeakMemory() {
        let peak = RunSummary.peakResidentKB()
        update { $0.peakResidentKB = max($0.peakResidentKB, peak) }
    }

    private func process(processor: DocumentProcessor, store: ReportStore?, lock: RunLock?, runID: Int64, resolutions: AgencyResolutions) throws {
        let started = Date()
        let listing = try listSources(processor: processor)
        update { $0.sources = listing.sources }
        let items = listing.items
        let known = try store?.knownDocuments() ?? [:]
        let vanished = Self.vanishedFiles(known: known, listing: listing, sharded: configuration.shard != nil)
        if !vanished.isEmpty {
            update { $0.vanished = vanished }
            logger.warning("\(vanished.count) stored documents' files no longer exist (reports kept; `nianbao prune` removes them)")
        }
        logger.info("run \(runID): \(items.count) documents, \(configuration.effectiveWorkers) workers")
        if !listing.failures.isEmpty { try write(listing.failures, store: store, lock: lock, runID: runID, processor: processor) }
        try store?.forgetFailedPages(listing.indexPagesRead)

        let worker = processor
        // The window holds at least a batch: while the writer commits one, the workers fill the next.
        let batchSize = configuration.load.batchSize
        let queue = OrderedWorkQueue<DocumentOutcome>(count: items.count, window: max(configuration.effectiveWorkers * 4, 8, batchSize))
        state.lock()
        activeQueue = queue
        let stopping = cancellation.isCancelled
        state.unlock()
        if stopping { queue.cancel() }
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
        var writeError: Error?
        while let batch = queue.nextBatch(limit: batchSize, linger: batchLinger) {
            guard writeError == nil else { continue }
            do {
                try write(batch, store: store, lock: lock, runID: runID, processor: processor)
            } catch {
                writeError = error
                queue.cancel()
            }
            let now = summary
            progress?(Progress(done: now.documents + now.notReached, total: items.count + listing.failures.count, failed: now.failed,
                               seconds: Date().timeIntervalSince(started)))
        }
        group.wait()
        if let writeError { throw writeError }
        let interrupted = cancellation.isCancelled
        update {
            $0.notReached = items.count + listing.failures.count - $0.documents
            // Stopped after the last document too: the cross-report rules are then left to the next run, and the run
            // is recorded as interrupted (it said "finished" while exiting 143).
            $0.interrupted = interrupted
            $0.seconds = Date().timeIntervalSince($0.startedAt)
            $0.stageSeconds = processor.clock.seconds
        }
        let documentsDone = Date()
        // Every exit from here on (an error included) leaves the whole run's time in the summary.
        defer {
            update {
                $0.databaseSeconds = Date().timeIntervalSince(documentsDone)
                $0.seconds = Date().timeIntervalSince($0.startedAt)
            }
        }
        if let store {
            try store.verifyFile()
            // Identity runs even for a stopping run (new reports are not canonical until it has: a report loaded
            // from two documents is never counted twice); the cross-year rules are left to the next run then.
            var stepStarted = Date()
            // Each step's time, for an operator asking where the end of a run goes (`--verbose`).
            func stepDone(_ step: String) {
                logger.debug("\(step): \(String(format: "%.2f", Date().timeIntervalSince(stepStarted))) s")
                stepStarted = Date()
            }
            let identity = try ReportIdentity(registry: resolutions.registry, options: configuration.validate, resolutions: resolutions)
                .run(on: store.connection)
            update { $0.duplicates = identity.duplicates; $0.conflicts = identity.conflicts }
            try StoredSettings.store(analysis: configuration.analysis, validate: configuration.validate, in: store.connection)
            stepDone("identity")
            if !interrupted {
                let count = try CrossReportValidator(options: configuration.validate).run(on: store.connection)
                update { $0.crossReportFindings = count }
                stepDone("cross-report rules")
            }
            let health = try DatabaseHealth.read(store.connection)
            update { $0.health = health }
            stepDone("database health")
        }
        update { $0.finishedAt = Date() }
    }

    /// Stored documents read from a file that is gone and that this run did not list. (A shard lists part of the
    /// sources only: not said there.)
    static func vanishedFiles(known: [String: StoredDocument], listing: SourceListing, sharded: Bool) -> [String] {
        // Nothing stored (a first run): nothing can have vanished, and the set of every listed source is not built.
        guard !sharded, !known.isEmpty else { return [] }
        let listed = Set(listing.items.map(\.source) + listing.failures.map(\.info.source))
        return known.keys.filter { source in
            !source.contains("://") && !listed.contains(source) && !FileManager.default.fileExists(atPath: source)
        }.sorted()
    }

    /// Commits one batch, counts what was done, and remembers in the raw cache which bodies gave stored reports.
    private func write(_ batch: [DocumentOutcome], store: ReportStore?, lock: RunLock?, runID: Int64, processor: DocumentProcessor) throws {
        let events: [LoadEvent]
        if let store {
            try lock?.verify()
            try store.verifyFile()
            events = try processor.clock.measure(.load) { try store.write(batch, runID: runID) }
        } else {
            events = batch.compactMap(Self.dryRunEvent)
        }
        var reports: [String: Report] = [:]
        var notReached = 0
        for outcome in batch {
            switch outcome {
            case let .report(info, report): reports[info.source] = report
            case let .failed(info, _, lastGood?): reports[info.source] = lastGood.report
            case .cancelled: notReached += 1
            default: break
            }
        }
        update { summary in
            for event in events { summary.record(event, report: reports[event.source]) }
        }
        for event in events {
            switch event.kind {
            case .failed, .keptStale, .refused, .recovered: logger.warning("\(event.kind.rawValue): \(event.source): \(event.detail ?? "")")
            case .replaced: logger.info("replaced: \(event.source): \(event.detail ?? "")")
            default: logger.debug("\(event.kind.rawValue): \(event.source)")
            }
        }
        guard store != nil, let cache = processor.fetcher?.cache else { return }
        for (outcome, event) in zip(batch.filter { if case .cancelled = $0 { return false } else { return true } }, events)
            where event.kind.storedThisBody && outcome.info.source.contains("://") {
            Self.markGood(outcome.info, in: cache)
        }
        for outcome in batch {
            if case let .failed(_, _, lastGood?) = outcome { Self.markGood(lastGood.info, in: cache) }
        }
    }

    /// Remembers in the raw cache each body a stored report was read from: the page's and its attachment's or
    /// images', so that the report can be read again when tonight's bodies fail (an offline rebuild, too).
    static func markGood(_ info: DocumentInfo, in cache: RawCache) {
        let bodies = info.bodies.isEmpty ? [info.source: info.sha256] : info.bodies
        for (url, sha256) in bodies.sorted(by: { $0.key < $1.key }) { try? cache.markGood(url: url, sha256: sha256) }
    }

    /// What the load stage would have been given, for a dry run's summary (nothing is written).
    static func dryRunEvent(_ outcome: DocumentOutcome) -> LoadEvent? {
        switch outcome {
        case let .report(info, _): return LoadEvent(kind: .loaded, source: info.source, retried: info.previous?.isFailing ?? false)
        case let .failed(info, failure, _): return LoadEvent(kind: .failed, source: info.source, detail: failure.description)
        case let .unchanged(info): return LoadEvent(kind: .unchanged, source: info.source)
        case .cancelled: return nil
        }
    }

    /// Stops taking new documents and cancels what is in flight (downloads, waits, converters); what is finished
    /// is committed, and `run` returns with the run recorded as interrupted. Safe to call from any thread.
    public func interrupt(signal: Int32? = nil) {
        state.lock()
        if let signal, current.signal == nil { current.signal = signal }
        let queue = activeQueue
        state.unlock()
        cancellation.cancel()
        queue?.cancel()
    }

    private func describe() -> String {
        "stages=\(configuration.stages.map(\.rawValue).joined(separator: ",")) workers=\(configuration.effectiveWorkers) sources=\(configuration.sources.count)"
            + (configuration.shard.map { " shard=\($0)" } ?? "") + (force ? " force" : "")
    }
}
