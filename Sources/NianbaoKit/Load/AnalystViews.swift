import Foundation

/// SQL views for analysts, recreated on every open so that they follow the schema: one row per report with
/// a column per `row.col` code (`active_wide`, `requests_wide`, `appeals_wide`), and `findings_summary`.
///
/// ```sql
/// SELECT agency, year, "new.total", "granted.total" FROM requests_wide ORDER BY agency, year;
/// ```
public enum AnalystViews {
    /// The `row.col` codes of a table over both formats, in template order.
    public static func columns(of table: TableCode) -> [(row: String, col: String)] {
        var seen = Set<String>()
        var result: [(String, String)] = []
        for format in [TableFormat.v2019, .v2021] {
            for row in TemplateSchema.table(table, format).rows {
                for column in row.columns where seen.insert("\(row.code).\(column.code)").inserted {
                    result.append((row.code, column.code))
                }
            }
        }
        return result
    }

    static func wideView(_ table: TableCode) -> String {
        let pivots = columns(of: table).map { row, col in
            "MAX(CASE WHEN c.row_code = '\(row)' AND c.col_code = '\(col)' THEN c.value END) AS \"\(row).\(col)\""
        }.joined(separator: ",\n    ")
        return """
            CREATE VIEW \(table.rawValue)_wide AS
            SELECT r.id AS report_id, r.agency, r.year, r.\(table.rawValue)_format AS format, r.source,
                \(pivots)
            FROM reports r LEFT JOIN cells c ON c.report_id = r.id AND c.table_code = '\(table.rawValue)'
            WHERE r.unsupported_format = 0
            GROUP BY r.id
            """
    }

    static let statements: [String] = TableCode.allCases.flatMap { ["DROP VIEW IF EXISTS \($0.rawValue)_wide", wideView($0)] } + [
        "DROP VIEW IF EXISTS report_history",
        """
        CREATE VIEW report_history AS
        SELECT r.document_id, r.source, r.sha256, r.agency, r.year, r.first_seen_at AS seen_from, NULL AS seen_until,
               1 AS current, NULL AS version_id, NULL AS reason
        FROM reports r
        UNION ALL
        SELECT v.document_id, v.source, v.sha256, v.agency, v.year, v.first_seen_at, v.replaced_at, 0, v.id, v.reason
        FROM report_versions v
        """,
        "DROP VIEW IF EXISTS findings_summary",
        """
        CREATE VIEW findings_summary AS
        SELECT rule, severity, count(*) AS findings, count(DISTINCT report_id) AS reports
        FROM findings GROUP BY rule, severity ORDER BY findings DESC
        """,
    ]

    /// Opens an existing database for reading out (export, report), with the views in place.
    static func open(_ database: String) throws -> SQLiteConnection {
        guard FileManager.default.fileExists(atPath: database) else {
            throw NianbaoError.database(path: database, message: "no such database")
        }
        let connection = try SQLiteConnection(path: database)
        try create(connection)
        return connection
    }

    static func create(_ connection: SQLiteConnection) throws {
        try connection.transaction {
            for statement in statements { try connection.execute(statement) }
        }
    }
}
