/// How serious a finding is.
public enum Severity: String, Sendable, Codable, CaseIterable, Comparable {
    case info, warning, error

    public static func < (lhs: Severity, rhs: Severity) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// A doubt about a report: a broken identity, a row that matched nothing, a value that could not be read.
///
/// Recoverable problems become findings (the report still loads); only unreadable documents fail.
public struct Finding: Sendable, Equatable {
    /// The rule, e.g. ``Rule/requestsBalance`` (`requests.balance`): SCHEMA.md's ids plus the project's own.
    public var rule: Rule
    public var severity: Severity
    public var table: TableCode?
    public var row: String?
    public var col: String?
    public var expected: Double?
    public var actual: Double?
    public var message: String

    public init(rule: Rule, severity: Severity, table: TableCode? = nil, row: String? = nil, col: String? = nil,
                expected: Double? = nil, actual: Double? = nil, message: String) {
        self.rule = rule
        self.severity = severity
        self.table = table
        self.row = row
        self.col = col
        self.expected = expected
        self.actual = actual
        self.message = message
    }
}
