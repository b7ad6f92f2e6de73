/// `rollup.mismatch` (info): a government's own report against the sum of its children's reports of the same year
/// — the governments below it, its departments and townships, as the registry places them (``AgencyRegistry``).
///
/// Offices that aggregate their subordinates' reports publish a total that should equal the sum of the parts; a
/// difference is worth a look, not an error: an aggregated report may count its own office as well, or children
/// whose reports were not collected. A finding is made only where every child's figure is known (a blank is not a
/// known 0) and only on ``Measures/rollupMeasures``; the view `rollups` has every measure with its coverage.
///
/// The sums are computed for the families found (a government with at least one child report that year) only, so
/// a database without hierarchies pays one join.
///
/// ```sql
/// SELECT agency, year, measure, own_value, children_sum, difference FROM rollups WHERE difference <> 0;
/// ```
enum RollupCheck {
    /// Hands each finding to `findings` as the query yields it (a list would grow with the database).
    static func run(on connection: SQLiteConnection, into findings: DerivedFindings.Sink) throws {
        try connection.execute("CREATE TEMP TABLE IF NOT EXISTS rollup_family (id INTEGER PRIMARY KEY)")
        try connection.execute("DELETE FROM temp.rollup_family")
        try connection.execute("""
            INSERT OR IGNORE INTO temp.rollup_family(id)
            WITH pairs(parent, child) AS (
                SELECT p.id, c.id FROM reports_canonical p
                JOIN reports_canonical c ON c.parent_code = p.division_code AND c.year = p.year AND c.agency_key <> p.agency_key
                WHERE p.level IN ('province', 'city', 'county') AND p.agency_key = p.division_code)
            SELECT parent FROM pairs UNION SELECT child FROM pairs
            """)
        guard try connection.query("SELECT count(*) FROM temp.rollup_family").first?.first?.integer ?? 0 > 0 else { return }
        let headline = Measures.rollupMeasures.map(MeasureViews.sqlString).joined(separator: ", ")
        let measures = MeasureViews.measuresSelect(reports: "r.id IN (SELECT id FROM temp.rollup_family) AND m.measure IN (\(headline))")
        // The families' measures in a table with a key: as a WITH clause, joined twice (a parent's and each child's),
        // SQLite worked them out without an index and looked children up by scanning (1.15 s of a 5,000-page run,
        // the end of the run on one thread).
        try connection.execute("""
            CREATE TEMP TABLE IF NOT EXISTS rollup_measures (report_id INTEGER NOT NULL, agency_key TEXT, agency TEXT, year INTEGER,
                level TEXT, measure TEXT NOT NULL, value REAL, cells INTEGER, PRIMARY KEY (report_id, measure)) WITHOUT ROWID
            """)
        try connection.execute("DELETE FROM temp.rollup_measures")
        try connection.execute("INSERT INTO temp.rollup_measures SELECT * FROM (\(measures))")
        try connection.prepare("""
            SELECT report_id, measure, own_value, children_sum, children, children_levels
            FROM (\(MeasureViews.rollupsSelect(measures: "temp.rollup_measures")))
            WHERE own_value IS NOT NULL AND children_sum IS NOT NULL AND abs(own_value - children_sum) > 1e-9
            ORDER BY report_id, measure
            """).forEachRow { row in
            guard let id = row[0].integer, let measure = row[1].text, let own = row[2].real, let sum = row[3].real else { return }
            let parts = measure.split(separator: ".", maxSplits: 1).map(String.init)
            let column = parts.count == 2 ? String(parts[1].split(separator: ".").last ?? "") : nil
            let rowCode = column.map { parts[1].dropLast($0.count + 1) }.map(String.init)
            let children = row[4].integer ?? 0
            try findings.add(id, Finding(rule: .rollupMismatch, severity: .info, table: TableCode(rawValue: parts[0]), row: rowCode,
                                         col: column, expected: sum, actual: own,
                                         message: "\(measure) is \(format(own)) here, but the \(children) report(s) under it in the database (\(row[5].text ?? "")) add up to \(format(sum)); children without a report there are not counted"))
        }
    }
}
