import Foundation

/// Writes `nianbao report`: one self-contained HTML file (inline CSS and SVG, no script, no external asset)
/// with charts of the whole database, rankings, late and missing reports, repeated text, roll-ups and area totals,
/// corrected cells (``analysisSections()``), and a section per agency: a sparkline of its applications, its years
/// with the change from the year before, each year linked to its document and each figure's position in it as the
/// cell's tooltip, and its findings.
public struct HTMLReportWriter {
    public let connection: SQLiteConnection

    public init(database: String) throws {
        connection = try AnalystViews.open(database)
    }

    /// Outcome groups of table 三 and the colors they are drawn in.
    static let outcomeGroups: [(name: String, color: String, prefixes: [String])] = [
        ("予以公开", "#2e7d32", ["granted."]), ("部分公开", "#9ccc65", ["partially_granted."]),
        ("不予公开", "#c62828", ["withheld."]), ("无法提供", "#ef6c00", ["unavailable."]),
        ("不予处理", "#6a1b9a", ["not_processed."]), ("其他处理", "#607d8b", ["other."]),
    ]

    public func render() throws -> String {
        let years = try connection.query("SELECT DISTINCT year FROM reports_canonical WHERE year IS NOT NULL AND unsupported_format = 0 ORDER BY year")
            .compactMap { $0[0].integer }.map(Int.init)
        let categories = years.map(String.init)
        // Figures are added up one level at a time: a city's aggregated report and its counties' reports together
        // would count the same applications twice.
        let levels = try connection.query("""
            SELECT coalesce(level, 'unknown'), count(*) FROM reports_canonical WHERE unsupported_format = 0 GROUP BY 1 ORDER BY count(*) DESC, 1
            """).map { (level: $0[0].text ?? "unknown", reports: $0[1].integer ?? 0) }
        // Each view's sums by level and year in one pass (a query per column, level and year would compute the view
        // every time).
        func sums(_ view: String, _ columns: [String]) throws -> [String: [String: [Int: Double]]] {
            let selected = columns.map { "coalesce(sum(\"\($0)\"), 0)" }.joined(separator: ", ")
            var result: [String: [String: [Int: Double]]] = [:]
            for row in try connection.query("""
                SELECT coalesce(level, 'unknown'), year, \(selected) FROM \(view) WHERE year IS NOT NULL GROUP BY 1, year
                """) {
                guard let level = row[0].text, let year = row[1].integer.map(Int.init) else { continue }
                for (column, value) in zip(columns, row.dropFirst(2)) { result[level, default: [:]][column, default: [:]][year] = value.real ?? 0 }
            }
            return result
        }
        let requestSums = try sums("requests_wide", Array(Set(Self.outcomeColumns + ["new.total"])).sorted())
        let appealSums = try sums("appeals_wide", ["review.total", "suit_direct.total", "suit_after_review.total"])
        var charts = ""
        for level in levels {
            let suffix = levels.count > 1 ? " — \(level.level) reports (\(level.reports))" : ""
            charts += levelCharts(years: years, categories: categories, requests: requestSums[level.level] ?? [:],
                                  appeals: appealSums[level.level] ?? [:], suffix: suffix)
        }
        let rules = try connection.query("""
            SELECT f.rule, count(*) FROM findings_effective f JOIN reports_canonical r ON r.id = f.report_id
            WHERE f.severity IN ('error', 'warning') GROUP BY f.rule ORDER BY count(*) DESC, f.rule LIMIT 12
            """).map { (label: $0[0].text ?? "", value: $0[1].real ?? 0) }
        let agencies = try connection.query("""
            SELECT r.agency, count(*) FROM findings_effective f JOIN reports_canonical r ON r.id = f.report_id
            WHERE f.severity = 'error' GROUP BY r.agency ORDER BY count(*) DESC, r.agency LIMIT 15
            """).map { (label: $0[0].text ?? "?", value: $0[1].real ?? 0) }
        let counts = try connection.query("""
            SELECT (SELECT count(*) FROM reports_canonical WHERE unsupported_format = 0), (SELECT count(DISTINCT agency_key) FROM reports_canonical),
                   (SELECT count(*) FROM documents WHERE status = 'failed'),
                   (SELECT count(*) FROM findings_effective f WHERE f.severity = 'error')
            """).first ?? []
        var html = Self.header
        html += "<h1>政府信息公开工作年度报告 · nianbao</h1>"
        html += "<p class=\"lead\">\(format(counts.first?.real ?? 0)) reports of \(format(counts.dropFirst().first?.real ?? 0)) agencies; "
            + "\(format(counts.dropFirst(2).first?.real ?? 0)) documents failed; \(format(counts.dropFirst(3).first?.real ?? 0)) error findings.</p>"
        html += "<section class=\"charts\">"
        html += charts
        html += SVGChart.horizontalBars(rules, title: "Rules most often broken (errors and warnings)", color: "#c62828")
        html += SVGChart.horizontalBars(agencies, title: "Agencies with error findings", color: "#ef6c00")
        html += "</section>"
        html += try analysisSections()
        html += try agencySections()
        return html + "</body></html>\n"
    }

    static let outcomeColumns = AnalystViews.columns(of: .requests).filter { $0.col == "total" }.map { "\($0.row).\($0.col)" }

    /// Applications, outcome mix and appeals per year, of one level's reports (their sums by column and year).
    private func levelCharts(years: [Int], categories: [String], requests: [String: [Int: Double]], appeals appealSums: [String: [Int: Double]],
                             suffix: String) -> String {
        let outcomeColumns = Self.outcomeColumns
        func sum(_ column: String, year: Int, view: String = "requests_wide") -> Double {
            (view == "requests_wide" ? requests : appealSums)[column]?[year] ?? 0
        }
        let applications = years.map { sum("new.total", year: $0) }
        var outcomeSeries: [SVGChart.Series] = []
        for group in Self.outcomeGroups {
            let columns = outcomeColumns.filter { column in group.prefixes.contains { column.hasPrefix($0) || (column == "other.total" && $0 == "other.") } }
            let values = years.map { year in columns.reduce(0.0) { $0 + sum($1, year: year) } }
            outcomeSeries.append(SVGChart.Series(name: group.name, color: group.color, values: values))
        }
        let appeals = [
            SVGChart.Series(name: "行政复议", color: "#1565c0", values: years.map { sum("review.total", year: $0, view: "appeals_wide") }),
            SVGChart.Series(name: "行政诉讼", color: "#90caf9", values: years.map {
                sum("suit_direct.total", year: $0, view: "appeals_wide") + sum("suit_after_review.total", year: $0, view: "appeals_wide") }),
        ]
        return SVGChart.stackedBars(categories: categories, series: [SVGChart.Series(name: "新收申请", color: "#1565c0", values: applications)],
                                    title: "Applications received per year (本年新收)\(suffix)")
            + SVGChart.stackedBars(categories: categories, series: outcomeSeries, title: "Outcome mix per year (办理结果)\(suffix)")
            + SVGChart.stackedBars(categories: categories, series: appeals, title: "Appeals per year (行政复议 / 行政诉讼)\(suffix)")
    }

    /// One table per agency. Each view is read once, whole (a join of the wide views per report took seconds a
    /// row on a large database).
    private func agencySections() throws -> String {
        var html = "<h2>Agencies</h2>"
        let reports = try connection.query("""
            SELECT r.id, r.agency, r.year, r.source FROM reports_canonical r WHERE r.unsupported_format = 0 ORDER BY r.agency, r.year, r.id
            """)
        func byReport(_ sql: String) throws -> [Int64: [SQLiteConnection.Value]] {
            var rows: [Int64: [SQLiteConnection.Value]] = [:]
            for row in try connection.query(sql) { if let id = row[0].integer { rows[id] = Array(row.dropFirst()) } }
            return rows
        }
        let requests = try byReport("""
            SELECT report_id, "new.total", "carried_over.total", "granted.total", "partially_granted.total", "total.total", "carried_forward.total"
            FROM requests_wide
            """)
        let appeals = try byReport(#"SELECT report_id, "review.total", "suit_direct.total", "suit_after_review.total" FROM appeals_wide"#)
        var findings: [Int64: [[SQLiteConnection.Value]]] = [:]
        for row in try connection.query("""
            SELECT f.report_id, f.severity, f.rule, f.message FROM findings_effective f
            WHERE f.severity IN ('error', 'warning') ORDER BY f.report_id, f.severity, f.revalidated, f.id
            """) {
            if let id = row[0].integer { findings[id, default: []].append(Array(row.dropFirst())) }
        }
        // Where each shown figure was read, as the cell's tooltip; a figure an analyst corrected is marked.
        let shown = [("requests", ["new", "carried_over", "granted", "partially_granted", "total", "carried_forward"]),
                     ("appeals", ["review", "suit_direct", "suit_after_review"])]
        var positions: [Int64: [String: String]] = [:], corrected: [Int64: Set<String>] = [:]
        for row in try connection.query("""
            SELECT c.report_id, c.table_code || '.' || c.row_code, c.source_position, c.corrected, c.raw FROM cells_effective c
            WHERE c.col_code = 'total' AND (c.source_position IS NOT NULL OR c.corrected = 1) AND c.table_code IN ('requests', 'appeals')
            """) {
            guard let id = row[0].integer, let cell = row[1].text else { continue }
            if row[3].integer == 1 {
                corrected[id, default: []].insert(cell)
                positions[id, default: [:]][cell] = "corrected by an analyst (nianbao correct); the document prints \"\(row[4].text ?? "")\""
                    + (row[2].text.map { " at \($0)" } ?? "")
            } else if let position = row[2].text {
                positions[id, default: [:]][cell] = position
            }
        }
        let shownCells = shown.flatMap { table, rows in rows.map { "\(table).\($0)" } }
        // One section per agency: its years with a sparkline of 新收 and the change from the year before.
        var sections: [(agency: String, rows: [[SQLiteConnection.Value]])] = []
        for row in reports {
            let agency = row[1].text ?? "(agency unknown)"
            if sections.last?.agency == agency { sections[sections.count - 1].rows.append(row) } else { sections.append((agency, [row])) }
        }
        for section in sections {
            let years = section.rows.compactMap { $0[2].integer.map(Int.init) }
            var newByYear: [Int: Double] = [:]
            for row in section.rows {
                if let id = row[0].integer, let year = row[2].integer.map(Int.init), let value = requests[id]?.first?.real { newByYear[year] = value }
            }
            let spark = years.count > 1 && years.max()! - years.min()! <= 40 ? SVGChart.sparkline(Array((years.min()!)...(years.max()!)).map { newByYear[$0] },
                                                             title: "新收 \(years.min()!)–\(years.max()!)") : ""
            html += "<section class=\"agency\"><h3>\(SVGChart.escape(section.agency)) \(spark)</h3><table><thead><tr><th>year</th><th>新收</th><th>vs. year before</th><th>上年结转</th>"
                + "<th>予以公开</th><th>部分公开</th><th>办理总计</th><th>结转下年</th><th>行政复议</th><th>直接起诉</th><th>复议后起诉</th><th>findings</th></tr></thead><tbody>"
            for row in section.rows {
                guard let id = row[0].integer else { continue }
                let values = (requests[id] ?? Array(repeating: .null, count: 6)) + (appeals[id] ?? Array(repeating: .null, count: 3))
                var cells = zip(values, shownCells).map { value, cell in
                    let title = positions[id]?[cell].map { " title=\"\(SVGChart.escape($0))\"" } ?? ""
                    let mark = corrected[id]?.contains(cell) == true ? "<sup>c</sup>" : ""
                    return "<td class=\"n\"\(title)>\(value.real.map(format) ?? "·")\(mark)</td>"
                }
                let year = row[2].integer.map(Int.init)
                var change = "·"
                if let year, let now = newByYear[year], let before = newByYear[year - 1] {
                    change = (now >= before ? "+" : "") + format(now - before) + (before != 0 ? " (\(format(((now - before) * 1000 / before).rounded() / 10)) %)" : "")
                }
                cells.insert("<td class=\"n\">\(change)</td>", at: 1)
                let notes = (findings[id] ?? []).map { "<li class=\"\($0[0].text ?? "")\">\(SVGChart.escape($0[1].text ?? "")): \(SVGChart.escape($0[2].text ?? ""))</li>" }.joined()
                let yearText = year.map(String.init) ?? "?"
                let link = row[3].text.map { "<a href=\"\(SVGChart.escape(Self.link(to: $0)))\">\(yearText)</a>" } ?? yearText
                html += "<tr><td>\(link)</td>\(cells.joined())<td>\(notes.isEmpty ? "—" : "<ul>\(notes)</ul>")</td></tr>"
            }
            html += "</tbody></table></section>"
        }
        return html
    }

    /// A source as a link: a web address as it is, a file path as a `file:` URL.
    static func link(to source: String) -> String {
        if source.hasPrefix("http://") || source.hasPrefix("https://") { return source }
        return URL(fileURLWithPath: source).absoluteString
    }

    static let header = """
        <!DOCTYPE html>
        <html lang="zh-CN"><head><meta charset="utf-8"><title>nianbao report</title>
        <style>
        body { font-family: "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif; margin: 24px; color: #222; }
        h1 { font-size: 22px; } h2 { margin-top: 32px; } h3 { margin-bottom: 6px; }
        .lead { color: #555; }
        .charts { display: flex; flex-wrap: wrap; gap: 16px; }
        svg.chart { border: 1px solid #ddd; background: #fff; }
        svg .title { font-size: 13px; font-weight: bold; } svg .tick { font-size: 11px; fill: #444; }
        svg .grid { stroke: #eee; }
        table { border-collapse: collapse; font-size: 13px; } th, td { border: 1px solid #ddd; padding: 3px 6px; vertical-align: top; }
        td.n { text-align: right; } li.error { color: #c62828; } li.warning { color: #ef6c00; } ul { margin: 0; padding-left: 16px; }
        </style></head><body>
        """
}
