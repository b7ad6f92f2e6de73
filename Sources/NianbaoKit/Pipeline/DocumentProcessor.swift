import Dispatch
import Foundation

/// Runs one document through the configured stages, from *read* to *validate*.
///
/// Stateless and shared by all workers. A stage failure becomes a `.failed` outcome; nothing thrown here
/// stops the run.
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
    /// Seconds a document may take before it is abandoned between stages.
    public var budgetSeconds: Double = 60

    public init(configuration: PipelineConfiguration) {
        stages = configuration.stages
        reader = DocumentReader(maxBytes: configuration.read.maxBytes)
        let pdf = PDFTextReader(executable: configuration.decode.pdftotext)
        decoder = Decoder(fallbackEncoding: configuration.decode.fallbackEncoding, pdfText: { try pdf.text(of: $0) })
        validator = Validator(options: configuration.validate)
        budgetSeconds = configuration.limits.documentSeconds
    }

    /// Reads or fetches one source and runs the stages on it.
    public func process(_ item: SourceItem, known: [String: (sha256: String, version: Int)] = [:]) -> DocumentOutcome {
        guard case let .url(url) = item.location else { return process(path: item.source, known: known) }
        guard let fetcher else {
            return .failed(DocumentInfo(source: url, sha256: "", size: 0), StageFailure(stage: .fetch, reason: "no fetch stage configured"))
        }
        let fetched: Fetcher.Fetched
        do {
            fetched = try clock.measure(.fetch) { try fetcher.fetch(url) }
        } catch {
            return .failed(DocumentInfo(source: url, sha256: "", size: 0), Self.failure(error, stage: .fetch))
        }
        var info = DocumentInfo(source: url, sha256: fetched.document.sha256, size: fetched.document.size)
        if let previous = known[url], previous.sha256 == info.sha256, previous.version == PipelineVersion.current {
            return .unchanged(info)
        }
        let outcome = process(fetched.document, info: &info)
        guard case .report(let info, var report) = outcome else { return outcome }
        if report.metadata.agency == nil { report.metadata.agency = item.agencyHint }
        if report.metadata.year == nil { report.metadata.year = item.yearHint }
        return .report(info, report)
    }

    /// - Parameter known: documents already stored (source → sha256, pipeline version), to skip unchanged ones.
    public func process(path: String, known: [String: (sha256: String, version: Int)] = [:]) -> DocumentOutcome {
        let document: SourceDocument
        do {
            document = try clock.measure(.read) { try reader.read(path: path) }
        } catch {
            return .failed(DocumentInfo(source: path, sha256: "", size: 0), Self.failure(error, stage: .read))
        }
        var info = DocumentInfo(source: path, sha256: document.sha256, size: document.size)
        if let previous = known[path], previous.sha256 == document.sha256, previous.version == PipelineVersion.current {
            return .unchanged(info)
        }
        return process(document, info: &info)
    }

    /// Runs the stages after *read* on a document already in memory (fetched, or read by `extract`).
    public func process(_ document: SourceDocument, info: inout DocumentInfo) -> DocumentOutcome {
        var stage = StageName.decode
        let started = DispatchTime.now().uptimeNanoseconds
        func checkBudget(_ next: StageName) throws {
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
            if elapsed > budgetSeconds {
                throw StageFailure(stage: next, reason: String(format: "time budget exceeded: %.1f s spent before %@ (limits.document_seconds is %.1f)",
                                                               elapsed, next.rawValue, budgetSeconds))
            }
        }
        do {
            guard stages.contains(.decode) else { return .unchanged(info) }
            let decoded = try clock.measure(.decode) { try decoder.decode(document) }
            info.encoding = decoded.encoding
            info.kind = decoded.kind
            stage = .extract
            guard stages.contains(.extract) else { return .unchanged(info) }
            try checkBudget(.extract)
            let extracted = try clock.measure(.extract) { try extractor.extract(decoded) }
            stage = .normalize
            guard stages.contains(.normalize) else { return .unchanged(info) }
            try checkBudget(.normalize)
            var report = try clock.measure(.normalize) { try normalizer.normalize(extracted) }
            stage = .validate
            try checkBudget(.validate)
            if stages.contains(.validate) { report = clock.measure(.validate) { validator.validate(report) } }
            return .report(info, report)
        } catch {
            return .failed(info, Self.failure(error, stage: stage))
        }
    }

    static func failure(_ error: Error, stage: StageName) -> StageFailure {
        (error as? StageFailure) ?? StageFailure(stage: stage, reason: "\(error)")
    }
}
