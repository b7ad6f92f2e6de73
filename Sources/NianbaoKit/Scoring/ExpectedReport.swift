import Foundation

/// A `D.expected.json` file beside a document: the cells as the report publishes them (format of
/// `../shared/corpus/README.md`, also used by `samples/`).
public struct ExpectedReport: Sendable {
    public struct ExpectedCell: Sendable {
        public var table: TableCode
        public var row: String
        public var col: String
        /// nil for a blank or "/" cell.
        public var value: Double?
    }

    public struct ExpectedFinding: Sendable, Equatable {
        public var rule: String
        public var table: String?
        public var row: String?
        public var col: String?
    }

    public var file: String
    public var agency: String?
    public var year: Int?
    public var unsupportedFormat: Bool
    public var formats: [TableCode: TableFormat]
    public var cells: [ExpectedCell]
    public var findings: [ExpectedFinding]

    public static func load(path: String) throws -> ExpectedReport {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw NianbaoError.configuration(key: path, message: "not a readable expected-cells JSON file")
        }
        return try parse(data, name: path)
    }

    public static func parse(_ data: Data, name path: String) throws -> ExpectedReport {
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw NianbaoError.configuration(key: path, message: "not a readable expected-cells JSON file")
        }
        var formats: [TableCode: TableFormat] = [:]
        for (key, value) in object["tables"] as? [String: Any] ?? [:] {
            if let table = TableCode(rawValue: key), let name = value as? String, let format = TableFormat(rawValue: name) {
                formats[table] = format
            }
        }
        var cells: [ExpectedCell] = []
        for (tableName, rows) in object["cells"] as? [String: Any] ?? [:] {
            guard let table = TableCode(rawValue: tableName), let rows = rows as? [String: Any] else { continue }
            for (row, columns) in rows {
                for (col, value) in columns as? [String: Any] ?? [:] {
                    cells.append(ExpectedCell(table: table, row: row, col: col, value: (value as? NSNumber)?.doubleValue))
                }
            }
        }
        cells.sort { ($0.table, $0.row, $0.col) < ($1.table, $1.row, $1.col) }
        let findings = (object["expected_findings"] as? [[String: Any]] ?? []).map {
            ExpectedFinding(rule: $0["rule"] as? String ?? "", table: $0["table"] as? String, row: $0["row"] as? String,
                            col: $0["col"] as? String)
        }
        return ExpectedReport(file: object["file"] as? String ?? (path as NSString).lastPathComponent,
                              agency: object["agency"] as? String, year: (object["year"] as? NSNumber)?.intValue,
                              unsupportedFormat: object["unsupported_format"] as? Bool ?? false, formats: formats,
                              cells: cells, findings: findings)
    }
}
