/// Settings a run records in its database (table `settings`), so that the commands that take no configuration —
/// `correct` re-validating a corrected report, `merge`, `report`, `export` — check and rank as the run did.
///
/// ```sql
/// SELECT key, value FROM settings;   -- analysis.ranking_min_cases 30, validate.disabled_rules …
/// ```
enum StoredSettings {
    /// Records the run's `analysis` and `validate` settings.
    static func store(analysis: AnalysisOptions, validate: ValidateOptions, in connection: SQLiteConnection) throws {
        let severities = validate.severities.sorted { $0.key < $1.key }.map { "\($0.key.rawValue)=\($0.value.rawValue)" }.joined(separator: ",")
        let values = [
            ("analysis.ranking_min_cases", String(analysis.rankingMinimumCases)),
            ("validate.severities", severities),
            ("validate.disabled_rules", validate.disabledRules.sorted().map(\.rawValue).joined(separator: ",")),
            ("validate.report_not_checkable", validate.reportNotCheckable ? "true" : "false"),
        ]
        let insert = try connection.prepare("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)")
        for (key, value) in values { try insert.run([.text(key), .text(value)]) }
    }

    static func value(_ key: String, in connection: SQLiteConnection) throws -> String? {
        try connection.query("SELECT value FROM settings WHERE key = ?", [.text(key)]).first?.first?.text
    }

    /// The minimum case count the `rankings` view uses.
    static func rankingMinimumCases(_ connection: SQLiteConnection) throws -> Int {
        try value("analysis.ranking_min_cases", in: connection).flatMap { Int($0) } ?? Measures.rankingMinimumCases
    }

    /// The `validate` settings of the last run, or nil when no run recorded them (a database made before).
    static func validateOptions(_ connection: SQLiteConnection) throws -> ValidateOptions? {
        guard let severities = try value("validate.severities", in: connection) else { return nil }
        var options = ValidateOptions()
        for pair in severities.split(separator: ",") {
            let parts = pair.split(separator: "=").map(String.init)
            if parts.count == 2, let rule = Rule(rawValue: parts[0]), let severity = Severity(rawValue: parts[1]) { options.severities[rule] = severity }
        }
        options.disabledRules = Set((try value("validate.disabled_rules", in: connection) ?? "").split(separator: ",").compactMap { Rule(rawValue: String($0)) })
        options.reportNotCheckable = try value("validate.report_not_checkable", in: connection) != "false"
        return options
    }
}
