/// What the database holds for one source, read once when a run starts.
///
/// The processor decides from it whether a document can be skipped: only when the stored report came from the
/// same bytes and was validated the same way. A document that failed, or whose report is stale, is processed
/// again (a retry) unless `retry_failed` is off.
public struct StoredDocument: Sendable, Equatable {
    public enum Status: String, Sendable {
        /// A report is stored and current.
        case loaded
        /// A pre-2019 report, stored without cells.
        case unsupported
        /// The last attempt failed and there is no report to keep.
        case failed
        /// The last attempt failed (or was refused), and the last good report is kept, marked stale.
        case stale
    }

    /// SHA-256 of the body last attempted ("" when nothing was received).
    public var sha256: String
    public var status: Status
    /// SHA-256 of the body the stored report was read from; nil when no report is stored.
    public var reportSHA256: String?
    /// ``ValidateOptions/fingerprint`` of the stored report.
    public var validatedWith: String?

    public init(sha256: String, status: Status, reportSHA256: String? = nil, validatedWith: String? = nil) {
        self.sha256 = sha256
        self.status = status
        self.reportSHA256 = reportSHA256
        self.validatedWith = validatedWith
    }

    /// The last attempt failed (with or without a report kept).
    public var isFailing: Bool { status == .failed || status == .stale }
}
