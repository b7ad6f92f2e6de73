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
            + "\(try StoredSettings.rankingMinimumCases(connection)) cases; formulas in <code>nianbao export --codebook</code>.</p>"
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
        html += try rollupSections()
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

    /// Roll-up mismatches (from their findings, so nothing is recomputed) and the latest year's province and city
    /// totals of three headline measures, a level at a time.
    private func rollupSections() throws -> String {
        let mismatches = try connection.query("""
            SELECT r.agency, r.year, f.table_code || '.' || f.row_code || '.' || f.col_code, f.actual, f.expected, f.message
            FROM findings f JOIN reports_canonical r ON r.id = f.report_id WHERE f.rule = 'rollup.mismatch'
            ORDER BY r.agency, r.year, f.id LIMIT 100
            """)
        var html = "<h2>Roll-ups</h2><p class=\"lead\">A government's own report against the sum of the reports under it "
            + "(governments, departments, townships) of the same year, where every part is known (view <code>rollups</code>).</p>"
        html += table(["agency", "year", "measure", "own report", "sum of children", "difference", "note"], mismatches.map { row in
            [text(row[0]), number(row[1]), text(row[2]), number(row[3]), number(row[4]),
             (row[3].real ?? 0) - (row[4].real ?? 0) > 0 ? "+" + format((row[3].real ?? 0) - (row[4].real ?? 0)) : format((row[3].real ?? 0) - (row[4].real ?? 0)),
             text(row[5])]
        })
        // As the view `area_totals` adds them, for three single-cell measures read from the wide views, each
        // computed once (the view computes every measure of every report: minutes on a national database).
        let latest = "(SELECT max(year) FROM reports_canonical WHERE unsupported_format = 0)"
        let sums = [("requests.new.total", "new.total"), ("requests.total.total", "total.total"), ("appeals.review.total", "review.total")]
            .flatMap { measure, column in
                [("province", "province_code", ""), ("city", "city_code", " AND level <> 'province'")].map { scope, area, filter in
                    """
                    SELECT '\(scope)' AS scope, \(area) AS area, level, '\(measure)' AS measure,
                           CASE WHEN count("\(column)") = count(*) THEN sum("\(column)") END, sum("\(column)"), count(*), count("\(column)")
                    FROM latest WHERE \(area) IS NOT NULL AND level IS NOT NULL\(filter) GROUP BY \(area), level
                    """
                }
            }.joined(separator: " UNION ALL ")
        let totals = try connection.query("""
            WITH latest AS MATERIALIZED (
                SELECT r.province_code, r.city_code, r.level, q."new.total", q."total.total", a."review.total"
                FROM reports_canonical r LEFT JOIN requests_wide q ON q.report_id = r.id LEFT JOIN appeals_wide a ON a.report_id = r.id
                WHERE r.year = \(latest) AND r.unsupported_format = 0)
            SELECT t.*, (SELECT agency FROM reports_canonical a WHERE a.agency_key = t.area LIMIT 1) FROM (\(sums)) t
            ORDER BY t.scope DESC, t.area, t.level, t.measure LIMIT 300
            """)
        html += "<h2>Province and city totals</h2><p class=\"lead\">The latest year's reports of one level added up over a "
            + "province or a city (view <code>area_totals</code>); a total with an unknown part shows the known sum and how many parts it has.</p>"
        html += table(["scope", "area", "level", "measure", "total", "reports"], totals.map { row in
            let total = row[4].real.map(format) ?? "≥ \(number(row[5])) (\(number(row[7])) of \(number(row[6])) known)"
            return [text(row[0]), text(row[1]) + (row[8].text.map { " " + SVGChart.escape($0) } ?? ""), text(row[2]), text(row[3]), total, number(row[6])]
        })
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
