/// The analyst views built on ``Measures``: one figure per canonical report and measure whatever its form, the
/// year-over-year change, rates with their case counts, and rankings.
///
/// - `measures(report_id, agency_key, agency, year, level, measure, value, cells)`: the measure's cells added up;
///   NULL unless every one of them is a figure (a blank or "/" cell is not a known 0);
/// - `yoy(agency_key, agency, year, measure, value, prev_year, prev_value, change, change_pct)`;
/// - `rates(agency_key, agency, year, level, rate, numerator, denominator, value, report_id, table_code)`: NULL where
///   the denominator is 0 or unknown; the formulas are in ``Measures/rates`` and the README;
/// - `rankings(level, year, rate, agency_key, agency, value, denominator, rank)`: agencies of one level and year
///   with at least `analysis.ranking_min_cases` cases (table `settings`; default ``Measures/rankingMinimumCases``)
///   and no error finding in the rate's table, highest rate first, ties sharing a rank;
/// - `rollups(report_id, agency_key, agency, year, level, measure, own_value, children, children_known, children_sum,
///   known_sum, difference, children_levels)`: a government's report beside its children's sum (``RollupCheck``);
/// - `area_totals(scope, area_code, year, level, measure, value, known_sum, reports, reports_known)`: province and
///   city totals, one level at a time.
///
/// ```sql
/// SELECT agency, year, value, prev_value, change_pct FROM yoy WHERE measure = 'requests.new.total';
/// SELECT agency, value, denominator FROM rates WHERE rate = 'review_correction_rate' AND year = 2023;
/// ```
enum MeasureViews {
    static func sqlString(_ text: String) -> String {
        // Without Foundation's replacingOccurrences: the measure map quotes some 2,000 strings, and through it that
        // took 64 M instructions at every run's start (and again in the roll-up check at its end).
        guard text.utf8.contains(0x27) else { return "'" + text + "'" }
        // By scalars: a quote followed by a combining mark is one Character, and must still be doubled.
        var quoted = String.UnicodeScalarView()
        quoted.append("'")
        for scalar in text.unicodeScalars {
            quoted.append(scalar)
            if scalar == "'" { quoted.append("'") }
        }
        quoted.append("'")
        return String(quoted)
    }

    /// The measure map as rows of a VALUES list: measure, form, table, row, column, how many cells the measure adds.
    static let mapRows: String = {
        Measures.all.flatMap { measure in
            measure.cells.sorted { $0.key.rawValue < $1.key.rawValue }.flatMap { format, cells in
                cells.map { cell -> String in
                    let parts = cell.split(separator: ".", maxSplits: 1).map(String.init)
                    let table = parts[0], rowAndColumn = parts[1]
                    let column = String(rowAndColumn.split(separator: ".").last!)
                    let row = String(rowAndColumn.dropLast(column.count + 1))
                    return "(\(sqlString(measure.code)), \(sqlString(format.rawValue)), \(sqlString(table)), \(sqlString(row)), \(sqlString(column)), \(cells.count))"
                }
            }
        }.joined(separator: ",\n")
    }()

    /// One row per report and measure: the measure's cells added up, NULL unless every one is a figure. `reports`
    /// restricts the reports read (an SQL condition on `r`), for checks that need a few reports' measures only.
    static func measuresSelect(reports: String = "1") -> String {
        """
        WITH map(measure, format, table_code, row_code, col_code, parts) AS (VALUES
        \(mapRows))
        SELECT r.id AS report_id, r.agency_key, r.agency, r.year, r.level, m.measure,
               CASE WHEN count(\(effectiveValue)) = max(m.parts) THEN sum(\(effectiveValue)) END AS value,
               count(\(effectiveValue)) AS cells
        FROM reports_canonical r
        JOIN map m ON m.format = CASE m.table_code WHEN 'active' THEN r.active_format WHEN 'requests' THEN r.requests_format
                                                   ELSE r.appeals_format END
        LEFT JOIN cells c ON c.report_id = r.id AND c.table_code = m.table_code AND c.row_code = m.row_code AND c.col_code = m.col_code
        LEFT JOIN corrections k ON k.withdrawn_at IS NULL AND k.agency_key = r.agency_key AND k.year = r.year
                                   AND k.table_code = m.table_code AND k.row_code = m.row_code AND k.col_code = m.col_code
        WHERE r.unsupported_format = 0 AND (\(reports))
        GROUP BY r.id, m.measure
        """
    }

    /// A cell's figure as `cells_effective` gives it (a correction's value, else the figure read), NULL where it is no
    /// figure. The cells and corrections are joined here rather than through `cells_effective`: that view is a
    /// UNION ALL, which SQLite cannot join to on the right of a LEFT JOIN without working it out whole (a million
    /// rows at 5,000 reports: seconds for a few reports' measures).
    private static var effectiveValue: String {
        "CASE WHEN k.kind = 'correct' THEN k.value WHEN c.state = 'number' THEN c.value END"
    }

    static var measuresView: String { "CREATE VIEW measures AS\n" + measuresSelect() }

    /// A government's own report beside the sum of its children's (the reports whose registry parent it is: the
    /// governments below it, its departments, its townships) of the same year, per measure. The sum is NULL unless
    /// every child's figure is known (`known_sum` adds those that are; `children_known` counts them).
    static func rollupsSelect(measures: String) -> String {
        """
        SELECT p.id AS report_id, p.agency_key, p.agency, p.year, p.level, m.measure, m.value AS own_value,
               count(c.id) AS children, count(cm.value) AS children_known,
               CASE WHEN count(cm.value) = count(c.id) THEN sum(cm.value) END AS children_sum,
               sum(cm.value) AS known_sum,
               CASE WHEN count(cm.value) = count(c.id) THEN m.value - sum(cm.value) END AS difference,
               group_concat(DISTINCT c.level) AS children_levels
        FROM reports_canonical p
        JOIN reports_canonical c ON c.parent_code = p.division_code AND c.year = p.year AND c.agency_key <> p.agency_key
                                    AND c.unsupported_format = 0
        JOIN \(measures) m ON m.report_id = p.id
        LEFT JOIN \(measures) cm ON cm.report_id = c.id AND cm.measure = m.measure
        WHERE p.level IN ('province', 'city', 'county') AND p.agency_key = p.division_code AND p.unsupported_format = 0
        GROUP BY p.id, m.measure
        """
    }

    static var rollupsView: String { "CREATE VIEW rollups AS\n" + rollupsSelect(measures: "measures") }

    /// Sums of one level's reports over a province or a city, per year and measure: a level at a time, since a
    /// city's aggregated report and its counties' reports counted together would count the same requests twice.
    static let areaTotalsView = """
        CREATE VIEW area_totals AS
        WITH scoped(scope, area_code, year, level, report_id) AS (
            SELECT 'province', province_code, year, level, id FROM reports_canonical
            WHERE province_code IS NOT NULL AND level IS NOT NULL AND unsupported_format = 0
            UNION ALL
            SELECT 'city', city_code, year, level, id FROM reports_canonical
            WHERE city_code IS NOT NULL AND level IS NOT NULL AND level <> 'province' AND unsupported_format = 0),
        counted AS (SELECT scope, area_code, year, level, count(*) AS reports FROM scoped GROUP BY scope, area_code, year, level)
        -- Every report of the level counts, those whose table was not read too: a total is complete only when all
        -- of them gave the figure.
        SELECT s.scope, s.area_code, s.year, s.level, m.measure,
               CASE WHEN count(m.value) = n.reports THEN sum(m.value) END AS value, sum(m.value) AS known_sum,
               n.reports, count(m.value) AS reports_known
        FROM scoped s JOIN measures m ON m.report_id = s.report_id
        JOIN counted n ON n.scope = s.scope AND n.area_code = s.area_code AND n.year IS s.year AND n.level = s.level
        GROUP BY s.scope, s.area_code, s.year, s.level, m.measure
        """

    static let yoyView = """
        CREATE VIEW yoy AS
        SELECT m.agency_key, m.agency, m.year, m.measure, m.value, p.year AS prev_year, p.value AS prev_value,
               m.value - p.value AS change,
               CASE WHEN p.value <> 0 THEN round((m.value - p.value) * 100.0 / p.value, 2) END AS change_pct
        FROM measures m LEFT JOIN measures p ON p.agency_key = m.agency_key AND p.year = m.year - 1 AND p.measure = m.measure
        WHERE m.agency_key IS NOT NULL
        """

    /// One SELECT per rate over `measures`, pivoted by report: NULL unless every measure of it is known.
    static var ratesView: String {
        func sum(_ terms: [(measure: String, sign: Double)]) -> String {
            let cases = terms.map { "\($0.sign) * max(CASE WHEN measure = \(sqlString($0.measure)) THEN value END)" }.joined(separator: " + ")
            let known = terms.map { "count(CASE WHEN measure = \(sqlString($0.measure)) THEN value END)" }.joined(separator: " + ")
            return "CASE WHEN \(known) = \(terms.count) THEN \(cases) END"
        }
        let selects = Measures.rates.map { rate in
            let names = Set((rate.numerator + rate.denominator).map(\.measure)).sorted().map(sqlString).joined(separator: ", ")
            let table = rate.denominator.first?.measure.split(separator: ".").first.map(String.init) ?? "requests"
            return """
                SELECT report_id, \(sqlString(table)) AS table_code, agency_key, agency, year, level, \(sqlString(rate.code)) AS rate,
                       \(sum(rate.numerator)) AS numerator, \(sum(rate.denominator)) AS denominator
                FROM measures WHERE measure IN (\(names)) GROUP BY report_id
                """
        }.joined(separator: "\nUNION ALL\n")
        return """
            CREATE VIEW rates AS
            SELECT agency_key, agency, year, level, rate, numerator, denominator, report_id, table_code,
                   CASE WHEN denominator > 0 THEN round(numerator * 1.0 / denominator, 6) END AS value
            FROM (\(selects))
            """
    }

    /// A report whose table carries an error (an identity broken, as printed or as corrected) is not ranked on
    /// that table's rates: a misprinted 总计 would make its rate, and may make its case count, wrong.
    static let rankingsView = """
        CREATE VIEW rankings AS
        SELECT level, year, rate, agency_key, agency, value, denominator,
               RANK() OVER (PARTITION BY level, year, rate ORDER BY value DESC) AS rank
        FROM rates WHERE value IS NOT NULL AND level IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM findings_effective f WHERE f.report_id = rates.report_id AND f.table_code = rates.table_code
                          AND f.severity = 'error')
          AND denominator >= coalesce((SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'analysis.ranking_min_cases'), \(Measures.rankingMinimumCases))
        """

    static var statements: [String] {
        ["DROP VIEW IF EXISTS area_totals", "DROP VIEW IF EXISTS rollups", "DROP VIEW IF EXISTS rankings", "DROP VIEW IF EXISTS rates",
         "DROP VIEW IF EXISTS yoy", "DROP VIEW IF EXISTS measures",
         measuresView, yoyView, ratesView, rankingsView, rollupsView, areaTotalsView]
    }
}
