import Foundation

/// Analysts' corrections and confirmations of cells (`nianbao correct`), kept by agency and year so that a rerun —
/// which replaces report rows — never overwrites them.
///
/// A correction sets a cell's figure (a misread, an abstained cell read by a human); a confirmation says the
/// extracted figure was checked; a withdrawal ends the active one. The view `cells_effective` applies them on top
/// of the canonical cells (flag `corrected`), and every wide view, measure, rate and the long export read it.
/// When the report's source later changes (another SHA-256 than when the correction was made), the correction
/// stays applied and is marked stale, for `nianbao review` to bring back to a human.
///
/// ```swift
/// try Corrections(database: "out/nianbao.sqlite")
///     .record(agency: "平潭综合实验区", year: 2019, cell: "active.licensing.decisions", action: .correct(353),
///             reason: "read from the scan by hand", author: "li")
/// ```
public struct Corrections {
    public enum Action: Equatable, Sendable {
        case correct(Double)
        case confirm
        case withdraw
    }

    let connection: SQLiteConnection

    public init(database: String) throws {
        connection = try AnalystViews.open(database)
    }

    /// Records the action and says what it did; throws ``NianbaoError/refused(_:)`` when the report or the cell
    /// does not exist, or there is nothing to withdraw.
    @discardableResult
    public func record(agency: String, year: Int, cell: String, action: Action, reason: String, author: String) throws -> String {
        let reports = try connection.query("""
            SELECT id, agency_key, agency, sha256, active_format, requests_format, appeals_format FROM reports_canonical
            WHERE (agency = ?1 OR agency_key = ?1 OR agency_printed = ?1) AND year = ?2
            """, [.text(agency), .integer(Int64(year))])
        guard let report = reports.first else { throw NianbaoError.refused("no report of \(agency) for \(year) in the database") }
        guard reports.count == 1 else {
            throw NianbaoError.refused("\(agency) names \(reports.count) agencies for \(year); give one of their keys: \(reports.compactMap { $0[1].text }.joined(separator: ", "))")
        }
        let (table, row, column) = try Self.parse(cell, formats: [.active: report[4].text, .requests: report[5].text, .appeals: report[6].text])
        let key: [SQLiteConnection.Value] = [report[1], .integer(Int64(year)), .text(table.rawValue), .text(row), .text(column)]
        let now = ISO8601DateFormatter().string(from: Date())
        let place = "\(report[2].text ?? agency) \(year) \(cell)"
        return try connection.transaction {
            let active = try connection.query("""
                SELECT id FROM corrections WHERE agency_key = ? AND year = ? AND table_code = ? AND row_code = ? AND col_code = ?
                AND withdrawn_at IS NULL
                """, key)
            for previous in active {
                try connection.prepare("UPDATE corrections SET withdrawn_at = ? WHERE id = ?").run([.text(now), previous[0]])
            }
            let extracted = try connection.query("""
                SELECT value, state FROM canonical_cells WHERE report_id = ? AND table_code = ? AND row_code = ? AND col_code = ?
                """, [report[0], .text(table.rawValue), .text(row), .text(column)]).first
            let kind: String, value: SQLiteConnection.Value
            switch action {
            case .withdraw:
                guard !active.isEmpty else { throw NianbaoError.refused("\(place) has no correction or confirmation to withdraw") }
                return "withdrawn: \(place)"
            case let .correct(figure):
                kind = "correct"
                value = .real(figure)
            case .confirm:
                guard let extracted, extracted[1].text == "number" else {
                    throw NianbaoError.refused("\(place) holds no extracted figure to confirm; record a correction with its value")
                }
                kind = "confirm"
                value = extracted[0]
            }
            try connection.prepare("""
                INSERT INTO corrections (agency_key, year, table_code, row_code, col_code, kind, value, reason, author, created_at,
                                         source_sha256, extracted_value, extracted_state)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).run(key + [.text(kind), value, .text(reason), .text(author), .text(now), report[3],
                                 extracted?[0] ?? .null, extracted?[1] ?? .null])
            let before = extracted.map { $0[0].real.map(format) ?? "(\($0[1].text ?? "none"))" } ?? "(not stored)"
            return kind == "correct" ? "corrected: \(place) \(before) → \(format(value.real ?? 0))" : "confirmed: \(place) = \(before)"
        }
    }

    /// "requests.granted.total" → its table, row and column, checked against the report's forms.
    static func parse(_ cell: String, formats: [TableCode: String?]) throws -> (TableCode, String, String) {
        let parts = cell.split(separator: ".").map(String.init)
        guard parts.count >= 3, let table = TableCode(rawValue: parts[0]) else {
            throw NianbaoError.refused("\(cell) is not a table.row.col code (e.g. requests.granted.total)")
        }
        let row = parts[1..<(parts.count - 1)].joined(separator: "."), column = parts[parts.count - 1]
        let candidates = (formats[table] ?? nil).flatMap(TableFormat.init(rawValue:)).map { [$0] } ?? TableFormat.allCases
        guard candidates.contains(where: { TemplateSchema.table(table, $0).row(row)?.columns.contains { $0.code == column } ?? false }) else {
            throw NianbaoError.refused("\(cell) is no cell of table \(table.rawValue) in this report's form (see `nianbao export --codebook`)")
        }
        return (table, row, column)
    }
}
