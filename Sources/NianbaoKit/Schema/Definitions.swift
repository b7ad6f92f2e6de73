/// One table of the template in one format.
public struct TableDefinition: Sendable {
    public let code: TableCode
    public let format: TableFormat
    /// The section title the table sits under (without its number).
    public let title: String
    /// Rows in template order.
    public let rows: [RowDefinition]
    /// Folded header words that only this format prints; used to tell the formats apart per table.
    public let formatSignals: [String]

    public func row(_ code: String) -> RowDefinition? { rows.first { $0.code == code } }

    /// Cells of the table in this format (rows × their columns).
    public var cellCount: Int { rows.reduce(0) { $0 + $1.columns.count } }
}

/// One row of a table: its code, the labels it is printed with, and its columns.
public struct RowDefinition: Sendable {
    public let code: String
    /// Template label first, then variants, as printed (folded before matching).
    public let labels: [String]
    /// `labels` folded once (``LabelFolding/fold(_:)``), for matching.
    public let foldedLabels: [String]
    public let columns: [ColumnDefinition]
    /// The outcome group (`withheld`, `unavailable`, `not_processed`, `other`) of a numbered item.
    public let group: String?
    /// The item's number inside its group ("1.属于国家秘密" is 1).
    public let number: Int?
    /// Counted in `requests.outcomes_sum`.
    public let isOutcome: Bool
    /// The 2019 single row （六）其他处理: the group label itself carries the values.
    public let isGroupRow: Bool

    init(code: String, labels: [String], columns: [ColumnDefinition], group: String? = nil, number: Int? = nil,
         isOutcome: Bool = false, isGroupRow: Bool = false) {
        self.code = code
        self.labels = labels
        self.foldedLabels = labels.map(LabelFolding.fold)
        self.columns = columns
        self.group = group
        self.number = number
        self.isOutcome = isOutcome
        self.isGroupRow = isGroupRow
    }
}

/// A column and what kind of figure it holds.
public struct ColumnDefinition: Sendable {
    public enum Kind: Sendable {
        /// A whole number ≥ 0 (checked by `counts.non_negative_integer`).
        case count
        /// A signed change such as "+2" or "-15".
        case signed
        /// Money, stored in 万元.
        case money
    }

    public let code: String
    public let label: String
    public let kind: Kind

    init(_ code: String, _ label: String, kind: Kind = .count) {
        self.code = code
        self.label = label
        self.kind = kind
    }
}

/// A group of numbered outcome rows in table 三, e.g. （三）不予公开.
public struct RowGroup: Sendable {
    public let code: String
    public let labels: [String]
}

/// A narrative section 一…六 and the table it holds, if any.
public struct SectionDefinition: Sendable {
    public let number: Int
    public let keys: [String]
    public let table: TableCode?
}
