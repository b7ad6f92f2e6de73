/// What a document's identity is, whatever became of it.
public struct DocumentInfo: Sendable, Equatable {
    public var source: String
    public var sha256: String
    public var size: Int
    public var encoding: String?
    public var kind: DocumentKind?

    public init(source: String, sha256: String, size: Int, encoding: String? = nil, kind: DocumentKind? = nil) {
        self.source = source
        self.sha256 = sha256
        self.size = size
        self.encoding = encoding
        self.kind = kind
    }
}

/// The result of running one document through the stages: what the *load* stage receives.
public enum DocumentOutcome: Sendable {
    /// A report (possibly `unsupportedFormat`) ready to store.
    case report(DocumentInfo, Report)
    /// The document stopped at a stage; it is recorded in `failures`.
    case failed(DocumentInfo, StageFailure)
    /// Same content as already stored by this pipeline version: nothing to do.
    case unchanged(DocumentInfo)

    public var info: DocumentInfo {
        switch self {
        case let .report(info, _), let .failed(info, _), let .unchanged(info): return info
        }
    }
}

/// Bumped whenever a change to the stages can change what a document yields, so that unchanged files
/// are processed again after an upgrade instead of being skipped.
public enum PipelineVersion {
    public static let current = 1
}
