import Foundation

/// Writes one table of the database as wide CSV or JSON lines (`nianbao export`): one row per report,
/// one column per `row.col` code, from the `*_wide` views.
public struct Exporter {
    public enum Format: String, CaseIterable, Sendable { case csv, jsonl }

    public let connection: SQLiteConnection

    public init(database: String) throws {
        connection = try AnalystViews.open(database)
    }

    /// - Parameter byteOrderMark: start the CSV with a UTF-8 BOM, so spreadsheets read the Chinese text right.
    public func export(_ table: TableCode, format: Format, byteOrderMark: Bool, to output: FileHandle) throws {
        let codes = AnalystViews.columns(of: table).map { "\($0.row).\($0.col)" }
        let header = ["report_id", "agency", "agency_key", "year", "division_code", "level", "parent_code", "format", "source"] + codes
        let quoted = header.map { "\"\($0)\"" }.joined(separator: ", ")
        let statement = try connection.prepare("SELECT \(quoted) FROM \(table.rawValue)_wide ORDER BY agency, year, report_id")
        var buffer = Data()
        func flush(force: Bool = false) {
            if force || buffer.count > 1 << 16 {
                output.write(buffer)
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
            flush()
        }
        flush(force: true)
    }

    /// RFC 4180: quoted when it holds a comma, quote or line break; quotes doubled.
    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
