/// The database's tables, created and migrated on open (`PRAGMA user_version` holds the version).
///
/// Each migration is a list of statements applied in one transaction; add a new entry to migrate, never
/// edit a released one.
enum DatabaseSchema {
    static let migrations: [[String]] = [
        [
            """
            CREATE TABLE runs (
                id INTEGER PRIMARY KEY,
                started_at TEXT NOT NULL,
                finished_at TEXT,
                status TEXT NOT NULL,          -- running | finished | interrupted
                config TEXT,
                documents INTEGER NOT NULL DEFAULT 0,
                loaded INTEGER NOT NULL DEFAULT 0,
                unchanged INTEGER NOT NULL DEFAULT 0,
                failed INTEGER NOT NULL DEFAULT 0
            )
            """,
            """
            CREATE TABLE documents (
                id INTEGER PRIMARY KEY,
                source TEXT NOT NULL UNIQUE,
                sha256 TEXT NOT NULL,
                size INTEGER NOT NULL,
                encoding TEXT,
                kind TEXT,
                status TEXT NOT NULL,          -- loaded | unsupported | failed
                pipeline_version INTEGER NOT NULL,
                run_id INTEGER REFERENCES runs(id)
            )
            """,
            """
            CREATE TABLE reports (
                id INTEGER PRIMARY KEY,
                document_id INTEGER NOT NULL UNIQUE REFERENCES documents(id) ON DELETE CASCADE,
                agency TEXT,
                year INTEGER,
                title TEXT,
                published_on TEXT,
                source TEXT NOT NULL,
                sha256 TEXT NOT NULL,
                encoding TEXT,
                active_format TEXT,
                requests_format TEXT,
                appeals_format TEXT,
                unsupported_format INTEGER NOT NULL DEFAULT 0,
                run_id INTEGER REFERENCES runs(id)
            )
            """,
            "CREATE INDEX reports_agency_year ON reports(agency, year)",
            """
            CREATE TABLE report_sections (
                report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
                number INTEGER NOT NULL,
                text TEXT NOT NULL,
                PRIMARY KEY (report_id, number)
            ) WITHOUT ROWID
            """,
            """
            CREATE TABLE cells (
                report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
                table_code TEXT NOT NULL,
                row_code TEXT NOT NULL,
                col_code TEXT NOT NULL,
                value REAL,
                state TEXT NOT NULL,           -- number | blank | na | text
                raw TEXT NOT NULL,
                flags TEXT NOT NULL DEFAULT '', -- inferred, note
                note TEXT,
                PRIMARY KEY (report_id, table_code, row_code, col_code)
            ) WITHOUT ROWID
            """,
            """
            CREATE TABLE findings (
                id INTEGER PRIMARY KEY,
                report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
                rule TEXT NOT NULL,
                severity TEXT NOT NULL,
                table_code TEXT,
                row_code TEXT,
                col_code TEXT,
                expected REAL,
                actual REAL,
                message TEXT NOT NULL
            )
            """,
            "CREATE INDEX findings_report ON findings(report_id)",
            "CREATE INDEX findings_rule ON findings(rule, severity)",
            """
            CREATE TABLE failures (
                id INTEGER PRIMARY KEY,
                document_id INTEGER NOT NULL UNIQUE REFERENCES documents(id) ON DELETE CASCADE,
                source TEXT NOT NULL,
                sha256 TEXT NOT NULL,
                stage TEXT NOT NULL,
                reason TEXT NOT NULL,
                run_id INTEGER REFERENCES runs(id)
            )
            """,
        ],
        [
            // Where a run came from when it was merged from a shard's database (nil for runs made here).
            "ALTER TABLE runs ADD COLUMN origin TEXT",
            "CREATE UNIQUE INDEX runs_origin ON runs(origin)",
        ],
        [
            // The agency's folded name, so that one agency's reports line up across years in SQL.
            "ALTER TABLE reports ADD COLUMN agency_key TEXT",
            "CREATE INDEX reports_agency_key_year ON reports(agency_key, year)",
        ],
        [
            // Last good report wins (a failure keeps the stored report, marked stale), report history, what each
            // report was validated with, and one row per thing the load stage did.
            "ALTER TABLE documents ADD COLUMN first_seen_at TEXT",
            "ALTER TABLE documents ADD COLUMN last_seen_at TEXT",
            "ALTER TABLE reports ADD COLUMN stale INTEGER NOT NULL DEFAULT 0",
            "ALTER TABLE reports ADD COLUMN stale_since TEXT",
            "ALTER TABLE reports ADD COLUMN stale_reason TEXT",
            "ALTER TABLE reports ADD COLUMN validated_with TEXT",
            "ALTER TABLE reports ADD COLUMN first_seen_at TEXT",
            "ALTER TABLE failures ADD COLUMN first_failed_at TEXT",
            "ALTER TABLE failures ADD COLUMN attempts INTEGER NOT NULL DEFAULT 1",
            "ALTER TABLE runs ADD COLUMN uuid TEXT",
            "ALTER TABLE runs ADD COLUMN exit_code INTEGER",
            "ALTER TABLE runs ADD COLUMN summary TEXT",
            """
            CREATE TABLE report_versions (
                id INTEGER PRIMARY KEY,
                document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
                source TEXT NOT NULL,
                sha256 TEXT NOT NULL,
                agency TEXT,
                agency_key TEXT,
                year INTEGER,
                title TEXT,
                published_on TEXT,
                active_format TEXT,
                requests_format TEXT,
                appeals_format TEXT,
                unsupported_format INTEGER NOT NULL DEFAULT 0,
                first_seen_at TEXT,
                replaced_at TEXT NOT NULL,
                replaced_by_sha256 TEXT NOT NULL,
                reason TEXT NOT NULL,          -- revised (the body changed) | reread (same body, new pipeline)
                run_id INTEGER REFERENCES runs(id)
            )
            """,
            "CREATE INDEX report_versions_document ON report_versions(document_id)",
            """
            CREATE TABLE report_version_cells (
                version_id INTEGER NOT NULL REFERENCES report_versions(id) ON DELETE CASCADE,
                table_code TEXT NOT NULL,
                row_code TEXT NOT NULL,
                col_code TEXT NOT NULL,
                value REAL,
                state TEXT NOT NULL,
                raw TEXT NOT NULL,
                flags TEXT NOT NULL DEFAULT '',
                note TEXT,
                PRIMARY KEY (version_id, table_code, row_code, col_code)
            ) WITHOUT ROWID
            """,
            """
            CREATE TABLE load_events (
                id INTEGER PRIMARY KEY,
                run_id INTEGER REFERENCES runs(id),
                source TEXT NOT NULL,
                event TEXT NOT NULL,           -- see LoadEvent.Kind
                detail TEXT,
                at TEXT NOT NULL
            )
            """,
            "CREATE INDEX load_events_run ON load_events(run_id)",
            // Rows deleted by hand with foreign keys off (the sqlite3 shell's default) take their children along:
            // triggers fire whatever the foreign-key setting.
            """
            CREATE TRIGGER reports_delete_children AFTER DELETE ON reports BEGIN
                DELETE FROM cells WHERE report_id = OLD.id;
                DELETE FROM findings WHERE report_id = OLD.id;
                DELETE FROM report_sections WHERE report_id = OLD.id;
            END
            """,
            """
            CREATE TRIGGER documents_delete_children AFTER DELETE ON documents BEGIN
                DELETE FROM reports WHERE document_id = OLD.id;
                DELETE FROM failures WHERE document_id = OLD.id;
                DELETE FROM report_versions WHERE document_id = OLD.id;
            END
            """,
            """
            CREATE TRIGGER report_versions_delete_children AFTER DELETE ON report_versions BEGIN
                DELETE FROM report_version_cells WHERE version_id = OLD.id;
            END
            """,
        ],
        [
            // Report identity: the agency resolved against the registry, and one canonical report per (agency, year).
            // Cells a canonical report takes from its duplicates where it abstained are cells flagged `completed`.
            "ALTER TABLE reports ADD COLUMN agency_name TEXT",
            "ALTER TABLE reports ADD COLUMN division_code TEXT",
            "ALTER TABLE reports ADD COLUMN level TEXT",
            "ALTER TABLE reports ADD COLUMN parent_code TEXT",
            "ALTER TABLE reports ADD COLUMN resolved_with TEXT",
            "ALTER TABLE reports ADD COLUMN content_key TEXT",
            "ALTER TABLE reports ADD COLUMN canonical INTEGER NOT NULL DEFAULT 1",
            "ALTER TABLE reports ADD COLUMN canonical_reason TEXT",
            "CREATE INDEX reports_identity ON reports(canonical, agency_key, year)",
            // A page that links its report as an attachment: the attachment's address, and where the tables came from.
            "ALTER TABLE reports ADD COLUMN attachment TEXT",
            "ALTER TABLE reports ADD COLUMN tables_from TEXT",
        ],
        [
            // Analysts' corrections and confirmations of cells, by agency and year so that they outlive the report
            // rows a rerun replaces (see Corrections). At most one is active per cell: a new one withdraws the last.
            """
            CREATE TABLE corrections (
                id INTEGER PRIMARY KEY,
                agency_key TEXT NOT NULL,
                year INTEGER NOT NULL,
                table_code TEXT NOT NULL,
                row_code TEXT NOT NULL,
                col_code TEXT NOT NULL,
                kind TEXT NOT NULL,            -- correct | confirm
                value REAL,                    -- the figure set (correct) or confirmed (confirm)
                reason TEXT NOT NULL,
                author TEXT NOT NULL,
                created_at TEXT NOT NULL,
                source_sha256 TEXT,            -- the report's body when it was made: another one makes it stale
                extracted_value REAL,          -- what extraction gave then (NULL: abstained, or not a figure)
                extracted_state TEXT,
                withdrawn_at TEXT
            )
            """,
            "CREATE INDEX corrections_cell ON corrections(agency_key, year, table_code, row_code, col_code)",
            // How much of each narrative section repeats the same agency's previous year (NarrativeRepetition),
            // recomputed with the cross-report rules after every run.
            """
            CREATE TABLE section_similarity (
                report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
                number INTEGER NOT NULL,
                previous_report_id INTEGER NOT NULL,
                ratio REAL NOT NULL,
                PRIMARY KEY (report_id, number)
            ) WITHOUT ROWID
            """,
        ],
        // 5: where each cell was read; reports re-validated with analysts' corrections (issue 17).
        [
            "ALTER TABLE cells ADD COLUMN source_position TEXT",
            """
            CREATE TABLE correction_checks (
                report_id INTEGER PRIMARY KEY REFERENCES reports(id) ON DELETE CASCADE,
                checked_at TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE correction_findings (
                report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
                rule TEXT NOT NULL, severity TEXT NOT NULL, table_code TEXT, row_code TEXT, col_code TEXT,
                expected REAL, actual REAL, message TEXT NOT NULL
            )
            """,
            "CREATE INDEX correction_findings_report ON correction_findings(report_id)",
            """
            CREATE TRIGGER reports_delete_correction_checks AFTER DELETE ON reports BEGIN
                DELETE FROM correction_checks WHERE report_id = OLD.id;
                DELETE FROM correction_findings WHERE report_id = OLD.id;
            END
            """,
        ],
        // 6: the run's settings that commands without a configuration need (``StoredSettings``).
        ["CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)"],
        // 7: what the identity step after each run reads without a pass over every cell: how many cells each report's
        // document gave (NULL for reports stored before: counted then), and the cells it completed on its last pass.
        [
            "ALTER TABLE reports ADD COLUMN read_cells INTEGER",
            "CREATE INDEX cells_completed ON cells(report_id) WHERE flags = 'completed'",
        ],
        // 8: the one child table of reports without a trigger; the writer deletes reports with foreign keys off.
        [
            """
            CREATE TRIGGER reports_delete_similarity AFTER DELETE ON reports BEGIN
                DELETE FROM section_similarity WHERE report_id = OLD.id;
            END
            """,
        ],
    ]

    /// Applies the migrations the database has not seen yet.
    static func migrate(_ connection: SQLiteConnection) throws {
        let version = try connection.query("PRAGMA user_version").first?.first?.integer ?? 0
        if version < Int64(migrations.count) {
            try connection.transaction {
                for (index, statements) in migrations.enumerated() where index >= Int(version) {
                    for statement in statements { try connection.execute(statement) }
                }
                try connection.execute("PRAGMA user_version = \(migrations.count)")
            }
        }
        // Reports stored before content_key existed get theirs (agency keys come from ReportIdentity).
        let missing = try connection.query("SELECT id FROM reports WHERE content_key IS NULL")
        guard !missing.isEmpty else { return }
        try connection.transaction {
            let update = try connection.prepare("UPDATE reports SET content_key = ? WHERE id = ?")
            let cells = try connection.prepare("SELECT table_code, row_code, col_code, value, state FROM cells WHERE report_id = ?")
            for row in missing {
                let lines = try cells.rows([row[0]]).map { cell in
                    "\(cell[0].text ?? "")|\(cell[1].text ?? "")|\(cell[2].text ?? "")|\(cell[3].real.map(format) ?? "")|\(cell[4].text ?? "")"
                }
                try update.run([.text(ReportIdentity.contentKey(lines)), row[0]])
            }
        }
    }
}
