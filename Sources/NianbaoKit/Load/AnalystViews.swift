import Foundation

/// SQL views for analysts, recreated on every open so that they follow the schema. Every one reads canonical
/// reports only (``ReportIdentity``): a report loaded from several documents counts once.
///
/// - `reports_canonical`: one row per report (agency, year), with the resolved agency (`agency`, `agency_key`,
///   `division_code`, `level`, `parent_code`, `province_code`, `city_code`), the printed one, and how many
///   documents carry it;
/// - `canonical_cells`: the cells of canonical reports, those completed from a duplicate included (flag `completed`);
/// - `cells_effective`: the same with analysts' corrections applied (``Corrections``: flags `corrected`, `confirmed`;
///   `correction_stale` when the report's source changed since) — what the views below and exports read;
/// - `active_wide`, `requests_wide`, `appeals_wide`: one row per canonical report, a column per `row.col` code;
/// - `findings_summary`, and `report_history` (every version of every source);
/// - `findings_effective`: the findings with corrected reports re-validated (``CorrectionCheck``, flag `revalidated`);
/// - `publication` (published on, the 31 January deadline, days late), `missing_reports` (years without a report
///   between an agency's first and last), `repetition` (each narrative section's share of last year's text);
/// - `measures`, `yoy`, `rates`, `rankings`: figures lined up across the 2019 and 2021 forms (``MeasureViews``).
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
            SELECT r.id AS report_id, r.agency, r.year, r.\(table.rawValue)_format AS format, r.source, r.agency_key, r.division_code,
                r.level, r.parent_code, r.agency_printed,
                \(pivots)
            FROM reports_canonical r LEFT JOIN cells_effective c ON c.report_id = r.id AND c.table_code = '\(table.rawValue)'
            WHERE r.unsupported_format = 0
            GROUP BY r.id
            """
    }

    static let statements: [String] = TableCode.allCases.map { "DROP VIEW IF EXISTS \($0.rawValue)_wide" } + [
        "DROP VIEW IF EXISTS reports_canonical",
        """
        CREATE VIEW reports_canonical AS
        SELECT r.id, coalesce(r.agency_name, r.agency) AS agency, r.agency_key, r.year, r.division_code, r.level, r.parent_code,
               CASE WHEN r.division_code IS NOT NULL THEN substr(r.division_code, 1, 2) || '0000' END AS province_code,
               CASE WHEN r.division_code IS NOT NULL AND substr(r.division_code, 3, 2) <> '00' THEN substr(r.division_code, 1, 4) || '00' END AS city_code,
               r.agency AS agency_printed, r.title, r.published_on, r.source, r.sha256, r.active_format, r.requests_format,
               r.appeals_format, r.unsupported_format, r.stale, r.canonical_reason,
               (SELECT count(*) FROM reports d WHERE d.agency_key IS r.agency_key AND d.year IS r.year AND r.agency_key IS NOT NULL) AS documents
        FROM reports r WHERE r.canonical = 1
        """,
        "DROP VIEW IF EXISTS canonical_cells",
        """
        CREATE VIEW canonical_cells AS
        SELECT c.report_id, c.table_code, c.row_code, c.col_code, c.value, c.state, c.raw, c.flags, c.note, c.source_position
        FROM cells c JOIN reports r ON r.id = c.report_id WHERE r.canonical = 1
        """,
        "DROP VIEW IF EXISTS cells_effective",
        """
        CREATE VIEW cells_effective AS
        SELECT c.report_id, c.table_code, c.row_code, c.col_code,
               CASE WHEN k.kind = 'correct' THEN k.value ELSE c.value END AS value,
               CASE WHEN k.kind = 'correct' THEN 'number' ELSE c.state END AS state, c.raw,
               CASE WHEN k.kind IS NULL THEN c.flags
                    ELSE trim(c.flags || ',' || CASE k.kind WHEN 'correct' THEN 'corrected' ELSE 'confirmed' END, ',') END AS flags,
               c.note, coalesce(k.kind = 'correct', 0) AS corrected, k.id AS correction_id,
               CASE WHEN k.id IS NOT NULL THEN k.source_sha256 IS NOT r.sha256 END AS correction_stale, c.source_position
        FROM reports_canonical r JOIN canonical_cells c ON c.report_id = r.id
        LEFT JOIN corrections k ON k.withdrawn_at IS NULL AND k.agency_key = r.agency_key AND k.year = r.year
             AND k.table_code = c.table_code AND k.row_code = c.row_code AND k.col_code = c.col_code
        UNION ALL
        SELECT r.id, k.table_code, k.row_code, k.col_code, k.value, 'number', '', 'corrected', NULL, 1, k.id,
               k.source_sha256 IS NOT r.sha256, NULL
        FROM corrections k JOIN reports_canonical r ON r.agency_key = k.agency_key AND r.year = k.year
        WHERE k.withdrawn_at IS NULL AND k.kind = 'correct' AND NOT EXISTS (
            SELECT 1 FROM canonical_cells c WHERE c.report_id = r.id AND c.table_code = k.table_code AND c.row_code = k.row_code
            AND c.col_code = k.col_code)
        """,
    ] + TableCode.allCases.map(wideView) + [
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
        "DROP VIEW IF EXISTS findings_effective",
        CorrectionCheck.findingsView,
        "DROP VIEW IF EXISTS findings_summary",
        """
        CREATE VIEW findings_summary AS
        SELECT f.rule, f.severity, count(*) AS findings, count(DISTINCT f.report_id) AS reports
        FROM findings f JOIN reports r ON r.id = f.report_id WHERE r.canonical = 1
        GROUP BY f.rule, f.severity ORDER BY findings DESC
        """,
        "DROP VIEW IF EXISTS publication",
        """
        CREATE VIEW publication AS
        SELECT r.agency_key, r.agency, r.year, r.level, r.published_on, (r.year + 1) || '-01-31' AS deadline,
               CAST(julianday(r.published_on) - julianday((r.year + 1) || '-01-31') AS INTEGER) AS days_late,
               CASE WHEN r.published_on IS NULL THEN 'unknown' WHEN r.published_on <= (r.year + 1) || '-01-31' THEN 'on_time'
                    ELSE 'late' END AS status
        FROM reports_canonical r WHERE r.year IS NOT NULL AND r.agency_key IS NOT NULL
        """,
        "DROP VIEW IF EXISTS missing_reports",
        """
        CREATE VIEW missing_reports AS
        WITH RECURSIVE span(agency_key, agency, year, last) AS (
            SELECT agency_key, max(agency), min(year), max(year) FROM reports_canonical
            WHERE agency_key IS NOT NULL AND year IS NOT NULL GROUP BY agency_key
            UNION ALL SELECT agency_key, agency, year + 1, last FROM span WHERE year < last)
        SELECT s.agency_key, s.agency, s.year FROM span s
        WHERE NOT EXISTS (SELECT 1 FROM reports_canonical r WHERE r.agency_key = s.agency_key AND r.year = s.year)
        """,
        "DROP VIEW IF EXISTS repetition",
        """
        CREATE VIEW repetition AS
        SELECT r.agency_key, r.agency, r.year, s.number AS section, p.year AS previous_year, s.ratio
        FROM section_similarity s JOIN reports_canonical r ON r.id = s.report_id JOIN reports p ON p.id = s.previous_report_id
        """,
    ] + MeasureViews.statements

    /// Opens an existing database for reading out (export, report), with the views in place.
    static func open(_ database: String) throws -> SQLiteConnection {
        guard FileManager.default.fileExists(atPath: database) else {
            throw NianbaoError.database(path: database, message: "no such database")
        }
        let connection = try SQLiteConnection(path: database)
        try DatabaseSchema.migrate(connection)
        try create(connection)
        return connection
    }

    static func create(_ connection: SQLiteConnection) throws {
        try connection.transaction {
            for statement in statements { try connection.execute(statement) }
        }
    }
}
