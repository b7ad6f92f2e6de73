import Foundation

/// One report, one row: after every run (and merge), over the whole database.
///
/// 1. **Agency**: every report's printed agency is resolved with ``AgencyRegistry`` (again whenever the registry
///    changes): `agency_key`, `agency_name`, `division_code`, `level`, `parent_code`. A name that cannot be
///    resolved keeps its folded form as key and gets an `agency.unresolved` info finding.
/// 2. **Identity**: a report is identified by (agency, year). Without an agency key (none printed, or a name that
///    says no place, like 人民政府 alone), by its content: the same figures (at least five non-zero ones) are the
///    same report, and take the identity of a copy that names its agency; without a year it stands alone.
/// 3. **Canonical**: of the documents of one identity exactly one is canonical (`reports.canonical = 1`, with
///    `canonical_reason`), chosen by this rule, in order: fewest abstained cells plus error findings; not stale;
///    the richer source (HTML and Word over PDF over text and markdown); the latest publication date printed;
///    the source's name. Nothing in it depends on when or where a run happened, so sharded and single runs
///    choose alike.
/// 4. **Duplicates**: where a duplicate's figure differs from the canonical report's, an `identity.conflict`
///    warning names both documents and values; where the canonical report abstained and its duplicates read the
///    cell (all alike), the cell is completed from them: a cell of the canonical report flagged `completed`, its
///    note naming the document it came from. Completed cells are derived: rebuilt on every pass, never compared,
///    archived or counted as read.
///
/// Views, exports, the HTML report and the cross-year rules read canonical reports only (`reports_canonical`,
/// `canonical_cells`), so a report loaded from several sources is counted once.
public struct ReportIdentity {
    public var registry: AgencyRegistry
    /// `validate.disabled_rules` and `validate.severities` for `identity.conflict` and `agency.unresolved`.
    public var options: ValidateOptions

    /// The run's resolutions, where its writer resolved the reports it inserted (their names are not resolved again).
    /// (Used only while its registry is this step's: `registry` may be set after.)
    public let resolutions: AgencyResolutions?

    public init(registry: AgencyRegistry = .shipped, options: ValidateOptions = ValidateOptions(), resolutions: AgencyResolutions? = nil) {
        self.registry = registry
        self.options = options
        self.resolutions = resolutions
    }

    public struct Outcome: Sendable, Equatable {
        public var resolved = 0
        public var duplicates = 0
        public var conflicts = 0
        public var completions = 0
    }

    @discardableResult
    public func run(on connection: SQLiteConnection) throws -> Outcome {
        var outcome = Outcome()
        try connection.transaction {
            outcome.resolved = try resolveAgencies(connection)
            outcome.duplicates = try chooseCanonical(connection)
            try connection.execute("DELETE FROM cells WHERE flags = '\(Self.completed)'")
            try DerivedFindings.begin(connection)
            try connection.execute("""
                INSERT INTO temp.derived_findings(report_id, rule, severity, message)
                SELECT n.id, '\(Rule.agencyUnresolved.rawValue)', 'info', 'agency "' || r.agency || '" not resolved (kept as printed): ' || n.note
                FROM temp.resolution_notes n JOIN reports r ON r.id = n.id
                """)
            outcome.conflicts = try recordConflicts(connection)
            try DerivedFindings.commit(connection, rules: Rule.allCases.filter { $0.scope == .identity }, options: options)
            outcome.completions = try complete(connection)
        }
        return outcome
    }

    /// The flag of a cell taken from a duplicate.
    static let completed = "completed"

    /// A report's place among its agency's and year's documents, which the identity step decides: a new version of the
    /// same report (a revision, a re-read, a merged shard's) takes its predecessor's until the step decides again.
    static let placeColumns = ["canonical", "canonical_reason", "agency_key", "agency_name", "division_code", "level", "parent_code",
                               "resolved_with"]

    /// The key of a report's content: its cells, sorted, hashed.
    static func contentKey(_ lines: [String]) -> String {
        SHA256.hex(Array(lines.sorted().joined(separator: "\n").utf8))
    }

    static func contentKey(of report: Report) -> String {
        // The lines laid end to end in one buffer and sorted as byte ranges of it: for ASCII lines (codes, figures and
        // states are) byte order is the String order `contentKey(_:)` sorts by, so the key is the same (stored keys
        // must not change). Interpolated Strings sorted and joined were 3 % of a worker's instructions; a byte array
        // per line, 200 allocations a report.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(report.cells.count * 40)
        var lines: [Range<Int>] = []
        lines.reserveCapacity(report.cells.count)
        for cell in report.cells {
            let start = bytes.count
            bytes += cell.table.rawValue.utf8
            bytes.append(0x7C)
            bytes += cell.row.utf8
            bytes.append(0x7C)
            bytes += cell.col.utf8
            bytes.append(0x7C)
            if let value = cell.value { appendFormatted(value, to: &bytes) }
            bytes.append(0x7C)
            bytes += cell.state.rawValue.utf8
            guard !bytes[start...].contains(where: { $0 >= 0x80 }) else { return contentKey(report.cells.map(Self.contentLine)) }
            lines.append(start..<bytes.count)
        }
        var joined: [UInt8] = []
        joined.reserveCapacity(bytes.count + lines.count)
        bytes.withUnsafeBufferPointer { buffer in
            let base = buffer.baseAddress
            lines.sort { first, second in
                guard let base else { return first.count < second.count }
                let order = memcmp(base + first.lowerBound, base + second.lowerBound, min(first.count, second.count))
                return order != 0 ? order < 0 : first.count < second.count
            }
            for (index, line) in lines.enumerated() {
                if index > 0 { joined.append(0x0A) }
                joined += buffer[line]
            }
        }
        return SHA256.hex(joined)
    }

    /// `format(value)`'s bytes: a whole number's digits written straight into the line, anything else as `format` gives it.
    private static func appendFormatted(_ value: Double, to bytes: inout [UInt8]) {
        guard value == value.rounded() && abs(value) < 1e15 else { bytes += format(value).utf8; return }
        bytes.appendDecimal(Int(value))
    }

    /// A cell's line in the content key.
    static func contentLine(_ cell: Cell) -> String {
        "\(cell.table.rawValue)|\(cell.row)|\(cell.col)|\(cell.value.map(format) ?? "")|\(cell.state.rawValue)"
    }

    // MARK: Steps

    private func resolveAgencies(_ connection: SQLiteConnection) throws -> Int {
        let resolutions = self.resolutions.flatMap { $0.registry.fingerprint == registry.fingerprint ? $0 : nil }
            ?? AgencyResolutions(registry: registry)
        try connection.execute("CREATE TEMP TABLE IF NOT EXISTS resolution_notes (id INTEGER PRIMARY KEY, note TEXT NOT NULL)")
        try connection.execute("DELETE FROM temp.resolution_notes")
        let update = try connection.prepare("""
            UPDATE reports SET agency_key = ?, agency_name = ?, division_code = ?, level = ?, parent_code = ?, resolved_with = ? WHERE id = ?
            """)
        // A page of reports at a time, in id order: after a registry change every report is to resolve, and the rows
        // updated are those being read (a page is read whole before any of it is updated). Reports the run's writer
        // inserted are resolved already.
        let page = try connection.prepare("SELECT id, agency FROM reports WHERE resolved_with IS NOT ? AND id > ? ORDER BY id LIMIT 1000")
        var resolved = 0
        var after = Int64.min
        while true {
            let rows = try page.rows([.text(resolutions.version), .integer(after)])
            guard let last = rows.last?[0].integer else { break }
            for row in rows {
                guard let id = row[0].integer else { continue }
                try update.run(resolutions.columns(agency: row[1].text) + [.integer(id)])
                resolved += 1
            }
            after = last
        }
        // Notes for every unresolved report (not only those resolved now): the findings are rebuilt each time.
        let notes = try connection.prepare("INSERT INTO temp.resolution_notes(id, note) VALUES (?, ?)")
        try connection.prepare("SELECT id, agency FROM reports WHERE agency IS NOT NULL AND division_code IS NULL").forEachRow { row in
            if let note = resolutions.resolve(row[1].text ?? "").unresolved { try notes.run([row[0], .text(note)]) }
        }
        return resolved
    }

    /// Template cells of a report's tables, as SQL over its format columns.
    private static let expectedCells: String = TableCode.allCases.map { table in
        "CASE r.\(table.rawValue)_format " + TableFormat.allCases.map {
            "WHEN '\($0.rawValue)' THEN \(TemplateSchema.table(table, $0).cellCount)"
        }.joined(separator: " ") + " ELSE 0 END"
    }.joined(separator: " + ")

    /// Sets `canonical` and `canonical_reason` on every report; returns how many reports are duplicates.
    private func chooseCanonical(_ connection: SQLiteConnection) throws -> Int {
        let derived = Rule.derived.map { "'\($0.rawValue)'" }.joined(separator: ", ")
        try connection.execute("DROP TABLE IF EXISTS temp.identity_ranks")
        try connection.execute("""
            CREATE TEMP TABLE identity_ranks AS
            WITH scored AS (
                SELECT r.id, r.source, r.year,
                       CASE WHEN r.year IS NULL THEN 'report ' || r.id
                            WHEN r.agency_key IS NOT NULL THEN 'agency ' || r.agency_key
                            -- Without an agency: the identity of a report with the same figures, when there are
                            -- enough of them to tell reports apart (two empty tables prove nothing).
                            WHEN (SELECT count(*) FROM cells c WHERE c.report_id = r.id AND c.state = 'number' AND c.value <> 0) < 5
                                THEN 'report ' || r.id
                            -- An agency printed but not resolved ("花园区人民政府"): only its own copies (the same name,
                            -- the same figures) are one report; never another agency's report with the same figures.
                            WHEN r.agency IS NOT NULL AND r.agency <> '' THEN 'printed ' || r.agency || ' content ' || r.content_key
                            ELSE coalesce((SELECT 'agency ' || o.agency_key FROM reports o WHERE o.content_key = r.content_key
                                           AND o.year = r.year AND o.agency_key IS NOT NULL ORDER BY o.agency_key LIMIT 1),
                                          'content ' || r.content_key) END AS identity,
                       max(0, \(Self.expectedCells) - coalesce(r.read_cells, (SELECT count(*) FROM cells c WHERE c.report_id = r.id AND c.flags <> '\(Self.completed)')))
                         + (SELECT count(*) FROM findings f WHERE f.report_id = r.id AND f.severity = 'error' AND f.rule NOT IN (\(derived))) AS doubt,
                       r.stale,
                       CASE d.kind WHEN 'html' THEN 0 WHEN 'docx' THEN 0 WHEN 'pdf' THEN 1 ELSE 2 END AS richness,
                       coalesce(r.published_on, '') AS published
                FROM reports r JOIN documents d ON d.id = r.document_id
            )
            SELECT id, source, identity, year, doubt, stale, richness,
                   row_number() OVER (PARTITION BY identity, year ORDER BY doubt, stale, richness, published DESC, source) AS rank,
                   count(*) OVER (PARTITION BY identity, year) AS copies,
                   first_value(id) OVER (PARTITION BY identity, year ORDER BY doubt, stale, richness, published DESC, source) AS winner
            FROM scored
            """)
        try connection.execute("""
            UPDATE reports SET canonical = (i.rank = 1),
                canonical_reason = CASE
                    WHEN i.copies = 1 THEN 'the only document of its agency and year'
                    WHEN i.rank = 1 THEN 'canonical among ' || i.copies || ' documents of its agency and year: fewest abstained cells and errors ('
                                         || i.doubt || '), then not stale, then HTML/DOCX over PDF over text, then the latest publication date'
                    ELSE 'duplicate of report ' || i.winner || ' (' || (SELECT source FROM reports w WHERE w.id = i.winner) || ')' END
            FROM temp.identity_ranks i WHERE reports.id = i.id
            """)
        try pairDuplicates(connection)
        return Int(try connection.query("SELECT count(*) FROM temp.identity_ranks WHERE rank > 1").first?.first?.integer ?? 0)
    }

    /// Pairs of canonical and duplicate reports, for comparing cells: a table of their own (a few hundred rows where
    /// the run found duplicates), joined to the cells by their keys in that order. Joined from the ranks in one
    /// statement, SQLite could start from the cells, a million rows, before it knew which reports mattered.
    private static let pairs = """
        FROM temp.identity_pairs p CROSS JOIN reports kr ON kr.id = p.kept CROSS JOIN reports orr ON orr.id = p.other
        """

    private func pairDuplicates(_ connection: SQLiteConnection) throws {
        try connection.execute("DROP TABLE IF EXISTS temp.identity_pairs")
        try connection.execute("""
            CREATE TEMP TABLE identity_pairs AS
            SELECT k.id AS kept, k.source AS kept_source, o.id AS other, o.source AS other_source
            FROM temp.identity_ranks k JOIN temp.identity_ranks o ON o.identity = k.identity AND o.year IS k.year AND o.rank > 1
            WHERE k.rank = 1
            """)
    }

    private func recordConflicts(_ connection: SQLiteConnection) throws -> Int {
        let sameFormat = "CASE kc.table_code WHEN 'active' THEN kr.active_format IS orr.active_format WHEN 'requests' THEN kr.requests_format IS orr.requests_format ELSE kr.appeals_format IS orr.appeals_format END"
        try connection.execute("""
            INSERT INTO temp.derived_findings(\(DerivedFindings.columns))
            SELECT p.kept, '\(Rule.identityConflict.rawValue)', 'warning', kc.table_code, kc.row_code, kc.col_code, oc.value, kc.value,
                   kc.table_code || '.' || kc.row_code || '.' || kc.col_code || ' is ' || coalesce(kc.raw, '') || ' (' || kc.state || ') in '
                   || p.kept_source || ' but ' || coalesce(oc.raw, '') || ' (' || oc.state || ') in ' || p.other_source
                   || ', another document of the same report; the first is kept'
            \(Self.pairs)
            CROSS JOIN cells kc ON kc.report_id = p.kept AND kc.flags <> '\(Self.completed)'
            CROSS JOIN cells oc ON oc.report_id = p.other AND oc.table_code = kc.table_code AND oc.row_code = kc.row_code AND oc.col_code = kc.col_code
            WHERE \(sameFormat)
              AND ((kc.value IS NOT NULL AND oc.value IS NOT NULL AND abs(kc.value - oc.value) > 1e-9)
                   OR (kc.value IS NULL AND coalesce(oc.value, 0) <> 0 AND kc.state <> 'text' AND oc.state = 'number')
                   OR (oc.value IS NULL AND coalesce(kc.value, 0) <> 0 AND oc.state <> 'text' AND kc.state = 'number'))
            ORDER BY p.kept, kc.table_code, kc.row_code, kc.col_code, p.other_source
            """)
        return Int(try connection.query("SELECT changes()").first?.first?.integer ?? 0)
    }

    /// Fills the canonical report's abstained cells from its duplicates where they read them, all alike.
    private func complete(_ connection: SQLiteConnection) throws -> Int {
        try connection.execute("""
            INSERT INTO cells(report_id, table_code, row_code, col_code, value, state, raw, flags, note, source_position)
            SELECT p.kept, oc.table_code, oc.row_code, oc.col_code, min(oc.value), min(oc.state), min(oc.raw), '\(Self.completed)',
                   'from ' || min(p.other_source),
                   -- Where it was read is in the other document: named with it, as the canonical report's source is not it.
                   CASE WHEN count(DISTINCT p.other_source) = 1 THEN min(p.other_source) || ': ' || min(oc.source_position) END
            \(Self.pairs)
            CROSS JOIN cells oc ON oc.report_id = p.other AND oc.flags <> '\(Self.completed)'
            WHERE CASE oc.table_code WHEN 'active' THEN kr.active_format = orr.active_format
                                     WHEN 'requests' THEN kr.requests_format = orr.requests_format
                                     ELSE kr.appeals_format = orr.appeals_format END
              AND NOT EXISTS (SELECT 1 FROM cells kc WHERE kc.report_id = p.kept AND kc.table_code = oc.table_code
                              AND kc.row_code = oc.row_code AND kc.col_code = oc.col_code)
            GROUP BY p.kept, oc.table_code, oc.row_code, oc.col_code
            HAVING count(DISTINCT coalesce(oc.value, '') || '|' || oc.state) = 1
            """)
        return Int(try connection.query("SELECT changes()").first?.first?.integer ?? 0)
    }
}
