/// What the load stage did with one document: counted in the run summary and written to `load_events`
/// (all but `unchanged`), so that no stored figure changes without a trace.
public struct LoadEvent: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// A first report for this source.
        case loaded
        /// A changed body's report replaced the stored one (archived in `report_versions` when its figures differ).
        case replaced
        /// The same body read again because the pipeline or the validation settings changed.
        case reread
        /// Same body, same pipeline and validation: nothing written but the time it was seen.
        case unchanged
        /// The body that produced the stored report is back after failures: the stale mark is cleared.
        case restored
        /// The document failed; the last good report is kept, marked stale.
        case keptStale = "kept_stale"
        /// The changed body reads worse than the stored report (``ReplacementPolicy``): not replaced, kept stale.
        case refused
        /// The document failed and the database held no report for it: the last good body in the raw cache was
        /// loaded instead, marked stale.
        case recovered
        /// The document failed and there is no report to keep.
        case failed
    }

    public var kind: Kind
    public var source: String
    /// Why (a failure, a refusal), or what changed.
    public var detail: String?
    /// The document had failed before this run (a retry).
    public var retried: Bool

    public init(kind: Kind, source: String, detail: String? = nil, retried: Bool = false) {
        self.kind = kind
        self.source = source
        self.detail = detail
        self.retried = retried
    }

    /// The document failed in this run (whatever was kept).
    public var isFailure: Bool { kind.isFailure }
}

extension LoadEvent.Kind {
    /// The document failed in this run (whatever was kept).
    public var isFailure: Bool { [.keptStale, .refused, .recovered, .failed].contains(self) }

    /// The stored report is this run's body's: the raw cache may remember that body as the good one.
    public var storedThisBody: Bool { [.loaded, .replaced, .reread, .restored, .unchanged].contains(self) }
}
