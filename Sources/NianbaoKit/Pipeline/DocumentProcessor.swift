import Dispatch
import Foundation

/// Runs one document through the configured stages, from *read* or *fetch* to *validate*.
///
/// Stateless and shared by all workers. A stage failure becomes a `.failed` outcome; nothing thrown here
/// stops the run. What the database already holds (``StoredDocument``) decides whether a document is skipped:
/// only when its stored report came from the same bytes and was validated the same way — a document that
/// failed before is always tried again unless `retry_failed` is off.
public struct DocumentProcessor: Sendable {
    public var stages: [StageName]
    public var reader: DocumentReader
    public var decoder: Decoder
    public var extractor = Extractor()
    public var normalizer = Normalizer()
    public var validator: Validator
    /// The fetch stage, for URL sources; nil when the run has none.
    public var fetcher: Fetcher?
    /// Where the time of each stage is added up.
    public var clock = StageClock()
    /// Seconds a document may take before it is abandoned (waits and converters are bounded by what is left).
    public var budgetSeconds: Double = 60
    /// Process every document, even those stored unchanged (`run --force`).
    public var force = false
    /// Process documents that failed before even when their bytes did not change (`retry_failed`).
    public var retryFailed = true
    /// Set by a signal: work in progress stops at once and is left for the next run.
    public var cancellation = Cancellation()
    /// Compares a hint's agency with the report's (one agency printed two ways is no conflict).
    public var registry = AgencyRegistry.shipped
    /// When a changed body may replace a report (here: the raw cache's last good body, in a rebuild).
    public var replacement = ReplacementPolicy()

    public init(configuration: PipelineConfiguration) {
        stages = configuration.stages
        reader = DocumentReader(maxBytes: configuration.read.maxBytes)
        let pdf = PDFTextReader(executable: configuration.decode.pdftotext)
        decoder = Decoder(fallbackEncoding: configuration.decode.fallbackEncoding, pdfText: { try pdf.text(of: $0, limits: $1) })
        decoder.word = WordReader(converter: configuration.decode.libreoffice, maxBytes: configuration.read.maxBytes)
        if configuration.decode.ocr {
            var ocr = OCRReader(tesseract: configuration.decode.tesseract, pdftoppm: configuration.decode.pdftoppm, dpi: configuration.decode.ocrDPI)
            ocr.cacheDirectory = (configuration.cachePath as NSString).appendingPathComponent("ocr")
            ocr.pageSeconds = configuration.limits.ocrPageSeconds
            decoder.ocr = ocr
        }
        validator = Validator(options: configuration.validate)
        budgetSeconds = configuration.limits.documentSeconds
        retryFailed = configuration.retryFailed
        replacement = ReplacementPolicy(mode: configuration.load.replace)
    }

    /// The stored report is current for these bytes: nothing to do.
    func isUnchanged(_ info: DocumentInfo) -> Bool {
        guard !force, let previous = info.previous else { return false }
        if previous.reportSHA256 == info.sha256 && previous.validatedWith == validator.options.fingerprint { return true }
        // A failure with the same bytes is not tried again when retries are off.
        return !retryFailed && previous.status == .failed && previous.sha256 == info.sha256
    }

    /// Reads or fetches one source and runs the stages on it.
    public func process(_ item: SourceItem, known: [String: StoredDocument] = [:]) -> DocumentOutcome {
        let previous = known[item.source]
        let limits = WorkLimits(seconds: budgetSeconds, cancellation: cancellation)
        guard !cancellation.isCancelled else { return .cancelled(DocumentInfo(source: item.source, sha256: "", size: 0, previous: previous)) }
        let hints = MetadataHints(agency: item.agencyHint, year: item.yearHint)
        guard case let .url(url) = item.location else { return process(path: item.source, previous: previous, limits: limits, hints: hints) }
        var info = DocumentInfo(source: url, sha256: "", size: 0, previous: previous)
        guard let fetcher else { return .failed(info, StageFailure(stage: .fetch, reason: "no fetch stage configured")) }
        let fetched: Fetcher.Fetched
        do {
            fetched = try clock.measure(.fetch) { try fetcher.fetch(url, limits: limits) }
        } catch is CancelledError {
            return .cancelled(info)
        } catch {
            return withLastGood(.failed(info, Self.failure(error, stage: .fetch)), url: url, fetcher: fetcher, limits: limits, hints: hints)
        }
        info.sha256 = fetched.document.sha256
        info.size = fetched.document.size
        info.bodies = [url: fetched.document.sha256]
        if isUnchanged(info) { return .unchanged(info) }
        var outcome = process(fetched.document, info: &info, limits: limits, hints: hints)
        outcome = followAttachment(outcome, page: fetched.document, url: url, fetcher: fetcher, limits: limits, hints: hints)
        return withLastGood(outcome, url: url, fetcher: fetcher, limits: limits, hints: hints)
    }

    /// Reads one local file and runs the stages on it.
    public func process(path: String, previous: StoredDocument? = nil, limits: WorkLimits = .none,
                        hints: MetadataHints = MetadataHints()) -> DocumentOutcome {
        let document: SourceDocument
        do {
            document = try clock.measure(.read) { try reader.read(path: path) }
        } catch {
            return .failed(DocumentInfo(source: path, sha256: "", size: 0, previous: previous), Self.failure(error, stage: .read))
        }
        var info = DocumentInfo(source: path, sha256: document.sha256, size: document.size, previous: previous)
        if isUnchanged(info) { return .unchanged(info) }
        return process(document, info: &info, limits: limits, hints: hints)
    }

    /// Runs the stages after *read* on a document already in memory (fetched, or read by `extract`).
    public func process(_ document: SourceDocument, info: inout DocumentInfo, limits: WorkLimits = .none,
                        hints: MetadataHints = MetadataHints()) -> DocumentOutcome {
        let limits = WorkLimits(deadline: min(limits.deadline, Date().addingTimeInterval(budgetSeconds)), cancellation: limits.cancellation)
        do {
            guard stages.contains(.decode) else { return .unchanged(info) }
            let decoded = try clock.measure(.decode) { try decoder.decode(document, limits: limits) }
            return process(decoded: decoded, info: &info, limits: limits, hints: hints)
        } catch is CancelledError {
            return .cancelled(info)
        } catch {
            return .failed(info, Self.failure(error, stage: .decode))
        }
    }

    /// The stages after decode, for a decoded document (a page whose tables were images is decoded here, from
    /// the page and its images read by OCR).
    func process(decoded: DecodedDocument, info: inout DocumentInfo, limits: WorkLimits, hints: MetadataHints) -> DocumentOutcome {
        var stage = StageName.extract
        let started = DispatchTime.now().uptimeNanoseconds
        // Pages read by OCR brought their own time (limits.ocr_page_seconds each), the later stages keep it.
        var limits = limits
        limits.deadline = limits.deadline.addingTimeInterval(Double(decoded.ocrPages) * (decoder.ocr?.pageSeconds ?? 0))
        func checkBudget(_ next: StageName) throws {
            try limits.cancellation?.check()
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
            if limits.remaining <= 0 {
                throw StageFailure(stage: next, reason: String(format: "time budget exceeded: %.1f s spent before %@ (limits.document_seconds is %.1f)",
                                                               elapsed, next.rawValue, budgetSeconds))
            }
        }
        do {
            info.encoding = decoded.encoding
            info.kind = decoded.kind
            guard stages.contains(.extract) else { return .unchanged(info) }
            try checkBudget(.extract)
            let extracted = try clock.measure(.extract) { try extractor.extract(decoded) }
            stage = .normalize
            guard stages.contains(.normalize) else { return .unchanged(info) }
            try checkBudget(.normalize)
            var report = try clock.measure(.normalize) { try normalizer.normalize(extracted) }
            hints.apply(to: &report, registry: registry)
            stage = .validate
            try checkBudget(.validate)
            if stages.contains(.validate) { report = clock.measure(.validate) { validator.validate(report) } }
            // Here, on a worker, rather than on the single writer (DocumentWriter takes this key when it is set).
            if stages.contains(.load) { report.contentKey = ReportIdentity.contentKey(of: report) }
            return .report(info, report)
        } catch is CancelledError {
            return .cancelled(info)
        } catch {
            return .failed(info, Self.failure(error, stage: stage))
        }
    }

    /// A URL whose current body failed — or reads worse than its last good body — where the database holds no
    /// report for it (a new database, an offline rebuild): the last good body, kept in the raw cache, is read
    /// again and handed to the load stage, which stores it marked stale, as the database it was loaded into had.
    private func withLastGood(_ outcome: DocumentOutcome, url: String, fetcher: Fetcher, limits: WorkLimits,
                              hints: MetadataHints) -> DocumentOutcome {
        let info = outcome.info
        // The same page body may have failed for its attachment's or images' sake: then it is read again with theirs.
        guard info.previous?.reportSHA256 == nil, let good = fetcher.cache.lastGoodBody(for: url),
              good.sha256 != info.sha256 || info.attachment != nil else {
            return outcome
        }
        let readGood = { () -> LastGoodReport? in
            var goodInfo = DocumentInfo(source: url, sha256: good.sha256, size: good.size, previous: info.previous)
            goodInfo.bodies = [url: good.sha256]
            var read = self.process(good, info: &goodInfo, limits: limits, hints: hints)
            // A page whose report is its attachment or its images: theirs as they were then, from the cache.
            read = self.followAttachment(read, page: good, url: url, fetcher: fetcher.servingLastGoodBodies(), limits: limits, hints: hints)
            guard case let .report(readInfo, report) = read, readInfo.sha256 != info.sha256 else { return nil }
            return LastGoodReport(info: readInfo, report: report)
        }
        switch outcome {
        case let .failed(info, failure, nil):
            return readGood().map { .failed(info, failure, lastGood: $0) } ?? outcome
        case let .report(info, report):
            guard let lastGood = readGood(), case let .refuse(reason) = replacement.decide(stored: .init(lastGood.report), new: .init(report)) else {
                return outcome
            }
            return .failed(info, StageFailure(stage: .load, reason: "not replaced: \(reason)"), lastGood: lastGood)
        default:
            return outcome
        }
    }

    static func failure(_ error: Error, stage: StageName) -> StageFailure {
        (error as? StageFailure) ?? StageFailure(stage: stage, reason: "\(error)")
    }
}
