/// The analyst sections of `nianbao report`: rankings with their case counts, late and missing reports, text
/// copied from the year before, corrected cells — each read from its view (``MeasureViews``, ``AnalystViews``).
extension HTMLReportWriter {
    func analysisSections() throws -> String {
        var html = ""
        let rankings = try connection.query("""
            SELECT rate, level, year, rank, agency, value, denominator FROM rankings
            WHERE year = (SELECT max(year) FROM rankings) AND rank <= 10 ORDER BY rate, level, rank, agency
            """)
        html += "<h2>Rankings</h2><p class=\"lead\">Agencies of one level in the latest year, by rate, only with at least "
            + "\(Measures.rankingMinimumCases) cases; formulas in <code>nianbao export --codebook</code>.</p>"
        html += table(["rate", "level", "year", "rank", "agency", "rate %", "cases"], rankings.map { row in
            [text(row[0]), text(row[1]), number(row[2]), number(row[3]), text(row[4]), row[5].real.map { format(($0 * 1000).rounded() / 10) } ?? "", number(row[6])]
        })
        let late = try connection.query("""
            SELECT agency, year, published_on, days_late FROM publication WHERE status = 'late' ORDER BY days_late DESC, agency LIMIT 50
            """)
        let missing = try connection.query("SELECT agency, year FROM missing_reports ORDER BY agency, year LIMIT 50")
        html += "<h2>Publication</h2><p class=\"lead\">Reports published after 31 January of the following year, and years "
            + "missing between an agency's first and last report.</p>"
        html += table(["agency", "year", "published", "days late"], late.map { [text($0[0]), number($0[1]), text($0[2]), number($0[3])] })
        html += table(["agency", "missing year"], missing.map { [text($0[0]), number($0[1])] })
        let repeated = try connection.query("""
            SELECT agency, year, section, previous_year, ratio FROM repetition WHERE ratio > 0.5 ORDER BY ratio DESC, agency LIMIT 50
            """)
        html += "<h2>Text repeated from the year before</h2>"
        html += table(["agency", "year", "section", "compared with", "share %"], repeated.map { row in
            [text(row[0]), number(row[1]), number(row[2]), number(row[3]), row[4].real.map { format(($0 * 1000).rounded() / 10) } ?? ""]
        })
        let corrected = try connection.query("""
            SELECT r.agency, r.year, e.table_code || '.' || e.row_code || '.' || e.col_code, e.value, e.correction_stale
            FROM cells_effective e JOIN reports_canonical r ON r.id = e.report_id WHERE e.corrected = 1 ORDER BY r.agency, r.year LIMIT 100
            """)
        if !corrected.isEmpty {
            html += "<h2>Corrected cells</h2>"
            html += table(["agency", "year", "cell", "value", "source changed since"], corrected.map { row in
                [text(row[0]), number(row[1]), text(row[2]), number(row[3]), row[4].integer == 1 ? "yes" : "no"]
            })
        }
        return html
    }

    private func text(_ value: SQLiteConnection.Value) -> String { SVGChart.escape(value.text ?? "") }

    private func number(_ value: SQLiteConnection.Value) -> String {
        value.integer.map(String.init) ?? value.real.map(format) ?? ""
    }

    private func table(_ header: [String], _ rows: [[String]]) -> String {
        guard !rows.isEmpty else { return "<p>None.</p>" }
        return "<table><thead><tr>" + header.map { "<th>\($0)</th>" }.joined() + "</tr></thead><tbody>"
            + rows.map { "<tr>" + $0.map { "<td>\($0)</td>" }.joined() + "</tr>" }.joined() + "</tbody></table>"
    }
}
