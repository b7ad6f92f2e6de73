/// A report after normalization and validation: what `extract --json` prints and the load stage stores.
public struct Report: Sendable {
    public var metadata: ReportMetadata
    /// The format each table was read in; nil where the table was not found.
    public var formats: [TableCode: TableFormat]
    /// True for pre-2019 free-form reports, which carry no cells.
    public var unsupportedFormat: Bool
    /// Cells in schema order.
    public var cells: [Cell] {
        didSet { contentKey = nil }
    }
    public var findings: [Finding]
    /// ``ReportIdentity/contentKey(of:)`` of the cells, worked out by the worker that read the report, so that the
    /// single writer thread does not (it was two fifths of the writer's instructions per document). Nil until then,
    /// and again after any change to the cells: a key of other cells is never stored.
    var contentKey: String?

    public init(metadata: ReportMetadata, formats: [TableCode: TableFormat] = [:], unsupportedFormat: Bool = false,
                cells: [Cell] = [], findings: [Finding] = []) {
        self.metadata = metadata
        self.formats = formats
        self.unsupportedFormat = unsupportedFormat
        self.cells = cells
        self.findings = findings
    }

    /// The cell at `(table, row, col)`, if the report has it.
    public func cell(_ table: TableCode, _ row: String, _ col: String) -> Cell? {
        cells.first { $0.table == table && $0.row == row && $0.col == col }
    }
}

/// Who published a report, for which year, and where it came from.
public struct ReportMetadata: Sendable, Equatable {
    /// 发布机关 as printed, e.g. 驻马店市人民政府.
    public var agency: String?
    /// The reporting year (not the publication year).
    public var year: Int?
    public var title: String?
    /// Publication date as printed (ISO `yyyy-mm-dd` where it could be read).
    public var publishedOn: String?
    /// A publication date printed that no calendar has ("2022-13-45"), where no other was read: said in a finding.
    public var impossibleDate: String?
    /// Narrative sections 一…六 by their number (1…6), as text.
    public var sections: [Int: String]

    public init(agency: String? = nil, year: Int? = nil, title: String? = nil, publishedOn: String? = nil,
                sections: [Int: String] = [:]) {
        self.agency = agency
        self.year = year
        self.title = title
        self.publishedOn = publishedOn
        self.sections = sections
    }
}
