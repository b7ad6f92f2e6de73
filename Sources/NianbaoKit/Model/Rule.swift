/// Every rule a finding can name: the identities of SCHEMA.md and the project's own, in one typed catalogue.
///
/// A finding carries a `Rule`, never a free string, so a misspelt id cannot be written anywhere in the code;
/// configuration keys that name rules (`validate.severities`, `validate.disabled_rules`) are checked against
/// ``Rule/allCases`` and refused when unknown.
///
/// ```swift
/// Finding(rule: .requestsBalance, severity: .error, table: .requests, row: "total", col: "total", message: "…")
/// Rule(rawValue: "requests.balance")   // .requestsBalance
/// ```
public enum Rule: String, Sendable, CaseIterable, Codable, Comparable {
    // Identities of SCHEMA.md, per report.
    case requestsBalance = "requests.balance"
    case requestsOutcomesSum = "requests.outcomes_sum"
    case requestsRowSum = "requests.row_sum"
    case appealsRowSum = "appeals.row_sum"
    case countsNonNegativeInteger = "counts.non_negative_integer"
    case structureMissingTable = "structure.missing_table"
    case structureMissingRow = "structure.missing_row"
    case structureUnknownRow = "structure.unknown_row"
    case activeTotalPublicGePublished = "active.total_public_ge_published"
    case narrativeTableMismatch = "narrative.table_mismatch"
    // Identities of SCHEMA.md across reports of one agency.
    case requestsCarryChain = "requests.carry_chain"
    case activeInForceChain = "active.in_force_chain"
    case activePrevItemsChain = "active.prev_items_chain"
    /// A narrative section mostly repeated from the agency's previous year (info).
    case narrativeRepeated = "narrative.repeated"
    /// A government's report differs from the sum of its children's reports of the year (info, ``RollupCheck``).
    case rollupMismatch = "rollup.mismatch"
    // The project's own.
    case extractAmbiguousSplit = "extract.ambiguous_split"
    case extractTextInFigure = "extract.text_in_figure"
    case extractHTMLParse = "extract.html_parse"
    case extractUnknownUnit = "extract.unknown_unit"
    case decodeInvalidBytes = "decode.invalid_bytes"
    case structureColumnCount = "structure.column_count"
    case structureUnlabelledValues = "structure.unlabelled_values"
    case structureRowByPosition = "structure.row_by_position"
    case structureDuplicateRow = "structure.duplicate_row"
    case structureSecondReport = "structure.second_report"
    case structureDuplicateTable = "structure.duplicate_table"
    /// A group heading of table 三 printed with figures (a subtotal the template has no cell for), checked against its items.
    case structureGroupSubtotal = "structure.group_subtotal"
    /// A figure cell merged over several rows (rowspan) that is not 0 or "/": each row's share is not published.
    case structureMergedFigure = "structure.merged_figure"
    case structureMostlyUnread = "structure.mostly_unread"
    case ocrUnproven = "ocr.unproven"
    case ocrImageUnread = "ocr.image_unread"
    case ocrMetadataUnverified = "ocr.metadata_unverified"
    case metadataMissing = "metadata.missing"
    case metadataHintConflict = "metadata.hint_conflict"
    // Across the documents of one report (agency and year), recomputed over the database after every run.
    case identityConflict = "identity.conflict"
    case agencyUnresolved = "agency.unresolved"

    /// Where a rule is checked: on one report; over the documents of one report identity (agency, year); or
    /// over one agency's consecutive years. The last two are recomputed over the whole database after a run.
    public enum Scope: Sendable { case report, identity, crossReport }

    public var scope: Scope {
        switch self {
        case .requestsCarryChain, .activeInForceChain, .activePrevItemsChain, .narrativeRepeated, .rollupMismatch: return .crossReport
        case .identityConflict, .agencyUnresolved: return .identity
        default: return .report
        }
    }

    /// The cross-year rules, recomputed over the database after every run.
    public static let crossReport = allCases.filter { $0.scope == .crossReport }
    /// The rules whose findings are derived from the whole database (not stored with a report's own reading).
    public static let derived = allCases.filter { $0.scope != .report }

    public static func < (lhs: Rule, rhs: Rule) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The catalogue's ids, for messages.
    public static var list: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
