/// One document to process: a local file or a report URL, with what a URL list says about it.
public struct SourceItem: Sendable, Equatable {
    public enum Location: Sendable, Equatable {
        case file(String)
        case url(String)
    }

    public var location: Location
    /// 发布机关 given by a TSV URL list, used when the report itself does not say.
    public var agencyHint: String?
    /// Reporting year given by a TSV URL list, used when the report itself does not say.
    public var yearHint: Int?

    public init(_ location: Location, agencyHint: String? = nil, yearHint: Int? = nil) {
        self.location = location
        self.agencyHint = agencyHint
        self.yearHint = yearHint
    }

    /// The document's identity in the database: its path or URL as listed.
    public var source: String {
        switch location {
        case let .file(path): return path
        case let .url(url): return url
        }
    }
}
