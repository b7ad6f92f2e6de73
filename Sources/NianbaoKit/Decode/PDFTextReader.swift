import Foundation

/// Reads a PDF's text layer with poppler's `pdftotext -layout`, which keeps table rows on one line.
///
/// The document's bytes go to pdftotext through a pipe (no temporary file), under the document's remaining
/// time budget, an output cap and the run's cancellation (``Subprocess``). A PDF without a text layer (a scan)
/// is a failure.
public struct PDFTextReader: Sendable {
    public var executable: String
    /// Text beyond this many bytes fails the document (a small PDF can expand to a huge text).
    public var maxTextBytes: Int
    /// The converter's address-space limit (a crafted PDF can make pdftotext take gigabytes).
    public var memoryBytes: Int

    public init(executable: String = "pdftotext", maxTextBytes: Int = 20_000_000, memoryBytes: Int = 1 << 30) {
        self.executable = executable
        self.maxTextBytes = maxTextBytes
        self.memoryBytes = memoryBytes
    }

    public func text(of document: SourceDocument, limits: WorkLimits = .none) throws -> [UInt8] {
        let output: Subprocess.Output
        do {
            output = try Subprocess.run(executable, ["-layout", "-enc", "UTF-8", "-q", "-", "-"], input: document.bytes,
                                        limits: .init(seconds: min(limits.remaining, 3600), maxOutput: maxTextBytes,
                                                      cancellation: limits.cancellation, memoryBytes: memoryBytes))
        } catch let failure as Subprocess.Failure {
            switch failure {
            case .notFound, .exited(status: 126, _), .exited(status: 127, _):
                throw StageFailure(stage: .decode, reason: "PDF document, and \(executable) is not installed (Debian package poppler-utils)")
            case let .timedOut(seconds):
                throw StageFailure(stage: .decode, reason: String(format: "%@ was stopped after %.1f s: the document's time budget (limits.document_seconds) ran out", executable, seconds))
            case let .outputTooLarge(limit):
                throw StageFailure(stage: .decode, reason: "the PDF's text is larger than \(limit) bytes; \(executable) was stopped")
            case let .exited(status, _):
                throw StageFailure(stage: .decode, reason: "\(executable) failed with status \(status): a damaged or encrypted PDF, or one that needs more than \(memoryBytes >> 20) MB")
            case let .killed(signal):
                throw StageFailure(stage: .decode, reason: "\(executable) was killed by signal \(signal) (a damaged PDF, or one that needs more than \(memoryBytes >> 20) MB)")
            }
        }
        return output.stdout
    }
}
