/// The JSON object `nianbao extract FILE --json` prints (shape fixed by SCHEMA.md).
///
/// ```json
/// {"agency": "驻马店市人民政府", "year": 2019, "tables": {"active": "2019", ...},
///  "cells": [{"table": "active", "row": "regulations", "col": "made", "value": 0, "state": "number", "raw": "0"}],
///  "findings": []}
/// ```
public enum ReportJSON {
    public static func encode(_ report: Report, source: String? = nil, encoding: String? = nil) -> JSONValue {
        let metadata = report.metadata
        var pairs: [(String, JSONValue)] = [
            ("agency", metadata.agency.map(JSONValue.string) ?? .null),
            ("year", metadata.year.map { .number(Double($0)) } ?? .null),
            ("title", metadata.title.map(JSONValue.string) ?? .null),
            ("published_on", metadata.publishedOn.map(JSONValue.string) ?? .null),
        ]
        if let source { pairs.append(("source", .string(source))) }
        if let encoding { pairs.append(("encoding", .string(encoding))) }
        pairs.append(("unsupported_format", .bool(report.unsupportedFormat)))
        pairs.append(("tables", .object(TableCode.allCases.map { ($0.rawValue, report.formats[$0].map { .string($0.rawValue) } ?? .null) })))
        pairs.append(("cells", .array(report.cells.map(encode))))
        pairs.append(("findings", .array(report.findings.map(encode))))
        pairs.append(("sections", .object(metadata.sections.sorted { $0.key < $1.key }.map { (String($0.key), .string($0.value)) })))
        return .object(pairs)
    }

    static func encode(_ cell: Cell) -> JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("table", .string(cell.table.rawValue)), ("row", .string(cell.row)), ("col", .string(cell.col)),
            ("value", cell.value.map(JSONValue.number) ?? .null), ("state", .string(cell.state.rawValue)),
            ("raw", .string(cell.raw)),
        ]
        if cell.inferred { pairs.append(("inferred", .bool(true))) }
        if let confidence = cell.ocrConfidence { pairs.append(("ocr_confidence", .number(confidence.rounded()))) }
        if let note = cell.note { pairs.append(("note", .string(note))) }
        if let origin = cell.origin { pairs.append(("position", .string(origin.description))) }
        return .object(pairs)
    }

    static func encode(_ finding: Finding) -> JSONValue {
        .object([
            ("rule", .string(finding.rule.rawValue)), ("severity", .string(finding.severity.rawValue)),
            ("table", finding.table.map { .string($0.rawValue) } ?? .null), ("row", finding.row.map(JSONValue.string) ?? .null),
            ("col", finding.col.map(JSONValue.string) ?? .null), ("expected", finding.expected.map(JSONValue.number) ?? .null),
            ("actual", finding.actual.map(JSONValue.number) ?? .null), ("message", .string(finding.message)),
        ])
    }
}
