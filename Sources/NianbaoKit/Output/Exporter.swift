import Foundation

/// Writes the database out (`nianbao export`): one table wide (a row per report, a column per `row.col` code, from
/// the `*_wide` views), or every cell long (a row per cell, with its state and raw text), as CSV or JSON lines.
public struct Exporter {
    public enum Format: String, CaseIterable, Sendable { case csv, jsonl }

    public let connection: SQLiteConnection

    public init(database: String) throws {
        connection = try AnalystViews.open(database)
    }

    /// The analyst views `export --view` writes, each in a stable order.
    public static let views: [(name: String, order: String)] = [
        ("measures", "agency, year, measure"), ("yoy", "agency, measure, year"), ("rates", "agency, year, rate"),
        ("rankings", "rate, level, year, rank, agency"), ("rollups", "agency, year, measure"),
        ("area_totals", "scope, area_code, year, level, measure"), ("publication", "agency, year"),
        ("missing_reports", "agency, year"), ("repetition", "agency, year, section"),
        ("findings_effective", "report_id, rule, id"),
    ]

    /// The minimum case count of the database's `rankings` view (for the codebook).
    public func rankingMinimumCases() throws -> Int { try StoredSettings.rankingMinimumCases(connection) }

    /// Writes an analyst view whole (`export --view yoy`): its own columns, as CSV or JSON lines.
    public func export(view: String, format: Format, byteOrderMark: Bool, to output: FileHandle) throws {
        guard let entry = Self.views.first(where: { $0.name == view }) else {
            throw NianbaoError.refused("no view \(view); one of \(Self.views.map(\.name).joined(separator: ", "))")
        }
        let header = try connection.query("SELECT name FROM pragma_table_info(?)", [.text(view)]).compactMap { $0[0].text }
        try write("SELECT * FROM \(view) ORDER BY \(entry.order)", header: header, format: format, byteOrderMark: byteOrderMark, to: output)
    }

    /// - Parameter byteOrderMark: start the CSV with a UTF-8 BOM, so spreadsheets read the Chinese text right.
    public func export(_ table: TableCode, format: Format, byteOrderMark: Bool, to output: FileHandle) throws {
        let codes = AnalystViews.columns(of: table).map { "\($0.row).\($0.col)" }
        let header = ["report_id", "agency", "agency_key", "year", "division_code", "level", "parent_code", "format", "source"] + codes
        let quoted = header.map { "\"\($0)\"" }.joined(separator: ", ")
        try write("SELECT \(quoted) FROM \(table.rawValue)_wide ORDER BY agency, year, report_id", header: header, format: format,
                  byteOrderMark: byteOrderMark, to: output)
    }

    /// Every cell of every canonical report, one row each (long form), with what was printed and how it was
    /// read: `state` (number, blank, na, text), `raw`, `flags` (inferred, note, ocr, completed; corrected or confirmed
    /// by an analyst), `format`, the document (`source`) and where in it the figure was read (`position`: "table 3,
    /// row 7, column 4", "page 2, line 31", ``SourcePosition``).
    /// The codebook (``codebook()``) says what every code means.
    public func exportLong(format: Format, byteOrderMark: Bool, to output: FileHandle) throws {
        let header = ["report_id", "agency", "agency_key", "year", "level", "format", "table_code", "row_code", "col_code", "value",
                      "state", "raw", "flags", "note", "source", "position"]
        try write("""
            SELECT r.id, r.agency, r.agency_key, r.year, r.level,
                   CASE c.table_code WHEN 'active' THEN r.active_format WHEN 'requests' THEN r.requests_format ELSE r.appeals_format END,
                   c.table_code, c.row_code, c.col_code, c.value, c.state, c.raw, c.flags, c.note, r.source, c.source_position
            FROM reports_canonical r JOIN cells_effective c ON c.report_id = r.id
            ORDER BY r.agency, r.year, r.id, c.table_code, c.row_code, c.col_code
            """, header: header, format: format, byteOrderMark: byteOrderMark, to: output)
    }

    private func write(_ query: String, header: [String], format: Format, byteOrderMark: Bool, to output: FileHandle) throws {
        let statement = try connection.prepare(query)
        var buffer = Data()
        func flush(force: Bool = false) throws {
            if force || buffer.count > 1 << 16 {
                try output.write(contentsOf: buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        if format == .csv {
            if byteOrderMark { buffer.append(contentsOf: [0xEF, 0xBB, 0xBF]) }
            buffer.append(Data((header.map(Self.csvField).joined(separator: ",") + "\r\n").utf8))
        }
        try statement.forEachRow { row in
            switch format {
            case .csv:
                let fields = row.map { value -> String in
                    switch value {
                    case .null: return ""
                    case let .integer(number): return String(number)
                    case let .real(number): return NianbaoKit.format(number)
                    case let .text(text): return Self.csvField(text)
                    }
                }
                buffer.append(Data((fields.joined(separator: ",") + "\r\n").utf8))
            case .jsonl:
                let pairs = zip(header, row).map { name, value -> (String, JSONValue) in
                    switch value {
                    case .null: return (name, .null)
                    case let .integer(number): return (name, .number(Double(number)))
                    case let .real(number): return (name, .number(number))
                    case let .text(text): return (name, .string(text))
                    }
                }
                buffer.append(Data((JSONValue.object(pairs).serialized() + "\n").utf8))
            }
            try flush()
        }
        try flush(force: true)
    }

    /// RFC 4180: quoted when it holds a comma, quote or line break; quotes doubled.
    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
