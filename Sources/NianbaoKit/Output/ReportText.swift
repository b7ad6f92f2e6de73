/// A plain-text rendering of a report for people (`nianbao extract FILE` without `--json`).
public enum ReportText {
    public static func render(_ report: Report) -> String {
        let metadata = report.metadata
        var lines = ["\(metadata.agency ?? "(agency unknown)") \(metadata.year.map(String.init) ?? "(year unknown)")"]
        if report.unsupportedFormat {
            lines.append("pre-2019 free-form report: unsupported format, no cells")
            return lines.joined(separator: "\n")
        }
        for table in TableCode.allCases {
            guard let tableFormat = report.formats[table] else {
                lines.append("\n[\(table.rawValue)] not found")
                continue
            }
            lines.append("\n[\(table.rawValue)] format \(tableFormat.rawValue)")
            var currentRow = ""
            var line = ""
            for cell in report.cells where cell.table == table {
                if cell.row != currentRow {
                    if !line.isEmpty { lines.append(line) }
                    currentRow = cell.row
                    line = "  \(cell.row):"
                }
                let shown = cell.value.map(format) ?? (cell.state == .blank ? "·" : cell.state == .na ? "/" : "\"\(cell.raw)\"")
                line += " \(cell.col)=\(shown)\(cell.inferred ? "*" : "")"
            }
            if !line.isEmpty { lines.append(line) }
        }
        let shown = report.findings.filter { $0.severity != .info }
        lines.append("\nfindings: \(shown.count) (+\(report.findings.count - shown.count) info)")
        for finding in shown { lines.append("  \(finding.severity.rawValue) \(finding.rule.rawValue): \(finding.message)") }
        return lines.joined(separator: "\n")
    }
}
