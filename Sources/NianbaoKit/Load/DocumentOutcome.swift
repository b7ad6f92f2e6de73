/// What a document's identity is, whatever became of it.
public struct DocumentInfo: Sendable, Equatable {
    public var source: String
    public var sha256: String
    public var size: Int
    public var encoding: String?
    public var kind: DocumentKind?
    /// What the database held for this source when the run started (nil for a new source): the load stage
    /// uses it to keep a last good report, count retries and clear a stale mark.
    public var previous: StoredDocument?
    /// The attachment a page links its report as (`.pdf`, `.docx`…), when it has one; for a page whose tables
    /// are images, the first image.
    public var attachment: String?
    /// Where the tables were read (`reports.tables_from`).
    public var tablesFrom = TablesSource.document
    /// Each fetched body the document was read from, by URL: the page's, and its attachment's or images'.
    /// (`sha256` of a page read with its attachment or images is a digest of theirs, naming no body of its own:
    /// the raw cache remembers the last good body of each URL from here.)
    public var bodies: [String: String] = [:]

    public enum TablesSource: String, Sendable {
        /// The document itself.
        case document
        /// The attachment the page links (the page had no table).
        case attachment
        /// The page's images, read by OCR (the page had no table and no attachment).
        case images
    }

    public init(source: String, sha256: String, size: Int, encoding: String? = nil, kind: DocumentKind? = nil,
                previous: StoredDocument? = nil) {
        self.source = source
        self.sha256 = sha256
        self.size = size
        self.encoding = encoding
        self.kind = kind
        self.previous = previous
    }
}

/// A report rebuilt from the last body that produced a good report (kept in the raw cache), for a document
/// whose current body failed: stored, marked stale, where the database does not hold it yet.
public struct LastGoodReport: Sendable {
    public var info: DocumentInfo
    public var report: Report

    public init(info: DocumentInfo, report: Report) {
        self.info = info
        self.report = report
    }
}

/// The result of running one document through the stages: what the *load* stage receives.
public enum DocumentOutcome: Sendable {
    /// A report (possibly `unsupportedFormat`) ready to store.
    case report(DocumentInfo, Report)
    /// The document stopped at a stage; it is recorded in `failures`. A report stored before is kept (stale);
    /// `lastGood` carries one rebuilt from the cache where the database may not hold it.
    case failed(DocumentInfo, StageFailure, lastGood: LastGoodReport?)
    /// Same content, pipeline and validation as already stored: nothing to do but note it was seen.
    case unchanged(DocumentInfo)
    /// Not processed: the run was stopped (a signal) before or while this document was worked on. Nothing
    /// about it is written; the next run takes it up.
    case cancelled(DocumentInfo)

    public var info: DocumentInfo {
        switch self {
        case let .report(info, _), let .failed(info, _, _), let .unchanged(info), let .cancelled(info): return info
        }
    }

    /// A failure with no report to fall back on.
    public static func failed(_ info: DocumentInfo, _ failure: StageFailure) -> DocumentOutcome {
        .failed(info, failure, lastGood: nil)
    }
}

/// Bumped whenever a change to the stages can change what a document yields, so that unchanged files
/// are processed again after an upgrade instead of being skipped (the replacement policy still guards what is
/// stored). 3: navigation lists left out of pages (titles, years and narrative sections), and the accuracy work of
/// 2026-11-30/12-01 that the version had not followed. 4: a publication date no calendar has (2022-13-45) is no
/// date.
public enum PipelineVersion {
    public static let current = 4
}
