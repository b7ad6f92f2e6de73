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

    /// Records the action, re-validates the report with its corrections (``CorrectionCheck``) and says what it
    /// did; throws ``NianbaoError/refused(_:)`` when the report or the cell does not exist, or there is nothing to
    /// withdraw.
    @discardableResult
    public func record(agency: String, year: Int, cell: String, action: Action, reason: String, author: String) throws -> String {
        let (message, report) = try recordOnly(agency: agency, year: year, cell: cell, action: action, reason: reason, author: author)
        return message + Self.revalidation(of: report, checks: try CorrectionCheck.refresh(on: connection))
    }

    /// What the identities say of a report after its corrections, for the message of `correct`.
    static func revalidation(of report: Int64?, checks: [Int64: [Finding]]) -> String {
        guard let report else { return "" }
        guard let findings = checks[report] else { return "\nno active correction left: the report's extracted findings apply" }
        let problems = findings.filter { $0.severity != .info }
        if problems.isEmpty { return "\nre-validated with its corrections: every identity holds" }
        return "\nre-validated with its corrections, \(problems.count) finding(s):"
            + problems.map { "\n  \($0.severity.rawValue) \($0.rule.rawValue): \($0.message)" }.joined()
    }

    /// Records the action only (a corrections file re-validates once, at its end); returns the message and the
    /// report's id (nil when nothing changed).
    /// - Parameter alreadyWithdrawn: a withdrawal with nothing to withdraw is "unchanged", not refused (a file
    ///   applied again after a rebuild).
    func recordOnly(agency: String, year: Int, cell: String, action: Action, reason: String, author: String,
                    alreadyWithdrawn: Bool = false) throws -> (String, Int64?) {
        let reports = try connection.query("""
            SELECT id, agency_key, agency, sha256, active_format, requests_format, appeals_format FROM reports_canonical
            WHERE (agency = ?1 OR agency_key = ?1 OR agency_printed = ?1) AND year = ?2
            """, [.text(agency), .integer(Int64(year))])
        var found = reports
        if found.isEmpty, case let key = AgencyRegistry.shipped.resolve(agency).key, !key.isEmpty {
            // As `run` reads names: 沭阳县政府, 江苏省宿迁市沭阳县人民政府 and 沭阳县人民政府 are one agency.
            found = try connection.query("""
                SELECT id, agency_key, agency, sha256, active_format, requests_format, appeals_format FROM reports_canonical
                WHERE agency_key = ? AND year = ?
                """, [.text(key), .integer(Int64(year))])
        }
        guard let report = found.first else { throw NianbaoError.refused("no report of \(agency) for \(year) in the database") }
        guard report[1].text != nil else {
            throw NianbaoError.refused("the report of \(agency) for \(year) has no agency key (its agency was not read), so a correction could not follow it across reruns")
        }
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else { throw NianbaoError.refused("a correction needs a reason (--reason)") }
        guard found.count == 1 else {
            throw NianbaoError.refused("\(agency) names \(found.count) agencies for \(year); give one of their keys: \(found.compactMap { $0[1].text }.joined(separator: ", "))")
        }
        let (table, row, column) = try Self.parse(cell, formats: [.active: report[4].text, .requests: report[5].text, .appeals: report[6].text])
        let key: [SQLiteConnection.Value] = [report[1], .integer(Int64(year)), .text(table.rawValue), .text(row), .text(column)]
        // Fractions of a second: two corrections of one cell are ordered even when made in the same second.
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let now = formatter.string(from: Date())
        if case let .correct(figure) = action {
            let kind = Self.kind(table, row, column, formats: [report[4].text, report[5].text, report[6].text])
            guard figure.isFinite else { throw NianbaoError.refused("\(format(figure)) is not a figure") }
            if kind == .count, figure < 0 || figure != figure.rounded() {
                throw NianbaoError.refused("\(cell) counts cases: \(format(figure)) is not a whole number ≥ 0")
            }
            if kind == .money, figure < 0 { throw NianbaoError.refused("\(cell) is an amount: \(format(figure)) is below 0") }
        }
        let place = "\(report[2].text ?? agency) \(year) \(cell)"
        let reportID = report[0].integer
        return try connection.transaction {
            let active = try connection.query("""
                SELECT id, kind, value FROM corrections WHERE agency_key = ? AND year = ? AND table_code = ? AND row_code = ? AND col_code = ?
                AND withdrawn_at IS NULL
                """, key)
            // The same correction again (a corrections file applied twice): nothing to record.
            if active.count == 1 {
                switch action {
                case let .correct(figure) where active[0][1].text == "correct" && active[0][2].real == figure:
                    return ("unchanged: \(place) is already corrected to \(format(figure))", nil)
                case .confirm where active[0][1].text == "confirm":
                    return ("unchanged: \(place) is already confirmed", nil)
                default: break
                }
            }
            for previous in active {
                try connection.prepare("UPDATE corrections SET withdrawn_at = ? WHERE id = ?").run([.text(now), previous[0]])
            }
            let extracted = try connection.query("""
                SELECT value, state FROM canonical_cells WHERE report_id = ? AND table_code = ? AND row_code = ? AND col_code = ?
                """, [report[0], .text(table.rawValue), .text(row), .text(column)]).first
            let kind: String, value: SQLiteConnection.Value
            switch action {
            case .withdraw:
                if active.isEmpty && alreadyWithdrawn { return ("unchanged: \(place) has no correction or confirmation to withdraw", nil) }
                guard !active.isEmpty else { throw NianbaoError.refused("\(place) has no correction or confirmation to withdraw") }
                return ("withdrawn: \(place)", reportID)
            case let .correct(figure):
                kind = "correct"
                value = .real(figure)
            case .confirm:
                let activeKinds = try active.isEmpty ? [] : connection.query("SELECT kind FROM corrections WHERE id = ?", [active[0][0]]).map { $0[0].text }
                guard !activeKinds.contains("correct") else {
                    throw NianbaoError.refused("\(place) has an active correction; withdraw it first (--withdraw), then confirm the extracted figure")
                }
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
            return (kind == "correct" ? "corrected: \(place) \(before) → \(format(value.real ?? 0))" : "confirmed: \(place) = \(before)", reportID)
        }
    }

    /// The kind of a cell's column in the report's form (count, signed change, money).
    static func kind(_ table: TableCode, _ row: String, _ column: String, formats: [String?]) -> ColumnDefinition.Kind {
        for format in TableFormat.allCases {
            if let kind = TemplateSchema.table(table, format).row(row)?.columns.first(where: { $0.code == column })?.kind { return kind }
        }
        return .count
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
