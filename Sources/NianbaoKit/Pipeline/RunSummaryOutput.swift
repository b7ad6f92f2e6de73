import Foundation

/// The run summary as the operator sees it: text on standard output, JSON for monitoring.
extension RunSummary {
    /// The summary as JSON (`--summary-json`, `runs.summary`): every count, the database's health after the
    /// run, and how the run ended. The keys are documented in README ("Exit codes and the summary").
    public func json() -> JSONValue {
        func number(_ value: Int) -> JSONValue { .number(Double(value)) }
        func pairs(_ list: [(String, String)], _ key: String) -> JSONValue {
            .array(list.map { .object([("source", .string($0.0)), (key, .string($0.1))]) })
        }
        let rules = findingsByRule.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map { key, count -> JSONValue in
            let parts = key.split(separator: "|").map(String.init)
            return .object([("rule", .string(parts[0])), ("severity", .string(parts[1])), ("count", number(count))])
        }
        let timestamp = ISO8601DateFormatter()
        var health: JSONValue = .null
        if let state = self.health {
            health = .object([
                ("documents", number(state.documents)), ("reports", number(state.reports)),
                ("outstanding_failures", number(state.outstandingFailures)), ("failing_documents", number(state.failingDocuments)),
                ("stale_reports", number(state.staleReports)),
                ("findings", .object(Severity.allCases.reversed().map { ($0.rawValue, number(state.findings[$0] ?? 0)) })),
                ("abstention_rate", .number((state.abstentionRate * 10000).rounded() / 10000)),
            ])
        }
        var fields: [(String, JSONValue)] = [
            ("exit_code", exitCode.map { .number(Double($0)) } ?? .null),
            ("run_id", runID.map { .number(Double($0)) } ?? .null),
            ("run_uuid", .string(runUUID)),
            ("started_at", .string(timestamp.string(from: startedAt))),
            ("finished_at", finishedAt.map { .string(timestamp.string(from: $0)) } ?? .null),
            ("version", .string(NianbaoVersion.string)),
        ]
        fields += [
            ("config", configPath.map(JSONValue.string) ?? .null),
            ("database", database.map(JSONValue.string) ?? .null),
            ("dry_run", .bool(!wrote)),
            ("interrupted", .bool(interrupted)),
            ("signal", signal.map { .number(Double($0)) } ?? .null),
            ("error", error.map(JSONValue.string) ?? .null),
        ]
        let counts: [(String, Int)] = [
            ("documents", documents), ("loaded", loaded), ("replaced", count(.replaced)), ("reread", count(.reread)),
            ("unsupported_format", unsupported), ("unchanged", count(.unchanged)), ("restored", count(.restored)),
            ("kept_stale", keptStale), ("refused", count(.refused)), ("recovered", count(.recovered)), ("failed", failed),
            ("retried", retried), ("removed", removed), ("not_reached", notReached),
        ]
        fields += counts.map { ($0.0, number($0.1)) }
        fields += [
            ("failures", .array(failures.map(Self.failureJSON))),
            ("replacements", pairs(replacements, "detail")),
            ("refusals", pairs(refusals, "reason")),
            ("sources", .array(sources.map(\.json))),
            ("vanished", .array(vanished.map(JSONValue.string))),
            ("findings", .object(Severity.allCases.reversed().map { ($0.rawValue, number(findings[$0] ?? 0)) })),
            ("findings_by_rule", .array(rules)),
            ("cross_report_findings", crossReportFindings.map { number($0) } ?? .null),
            ("duplicate_documents", number(duplicates)),
            ("identity_conflicts", number(conflicts)),
            ("database_health", health),
        ]
        let stages: [(String, JSONValue)] = StageName.allCases.compactMap { stage in
            stageSeconds[stage].map { (stage.rawValue, JSONValue.number(($0 * 1000).rounded() / 1000)) }
        }
        fields += [
            ("seconds", .number((seconds * 1000).rounded() / 1000)),
            ("database_seconds", .number((databaseSeconds * 1000).rounded() / 1000)),
            ("stage_seconds", .object(stages)),
            ("peak_rss_kb", number(peakResidentKB)),
        ]
        return .object(fields)
    }

    /// A failure as `{"source", "stage", "reason"}`, split from its "stage: reason" text.
    private static func failureJSON(_ failure: (source: String, reason: String)) -> JSONValue {
        let parts = failure.reason.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        let stage = parts.count == 2 && StageName(rawValue: parts[0]) != nil ? parts[0] : ""
        let reason = stage.isEmpty ? failure.reason : parts[1]
        return .object([("source", .string(failure.source)), ("stage", .string(stage)), ("reason", .string(reason))])
    }

    /// The summary as text, for standard output.
    public var text: String {
        var lines: [String] = []
        if wrote {
            lines.append("documents: \(documents)  loaded: \(loaded)  replaced: \(count(.replaced))  unsupported format: \(unsupported)  "
                         + "unchanged: \(unchanged)  failed: \(failed) (kept stale: \(keptStale))  retried: \(retried)")
        } else {
            lines.append("dry run (no load stage): nothing was written. documents: \(documents)  read: \(loaded + unsupported)  "
                         + "unchanged: \(unchanged)  failed: \(failed)")
        }
        if count(.reread) > 0 { lines.append("read again (pipeline or validation settings changed): \(count(.reread))") }
        // Counted among "unchanged" above (the body is the stored one's); said apart, as the JSON says them.
        if count(.restored) > 0 { lines.append("restored (the stored report's body is back after failing; stale mark cleared): \(count(.restored))") }
        let findingCounts = Severity.allCases.reversed().map { "\($0.rawValue) \(findings[$0] ?? 0)" }.joined(separator: ", ")
        lines.append("findings in this run's reports: \(findingCounts)"
                     + (crossReportFindings.map { "; across reports (whole database): \($0)" } ?? ""))
        let byRule = findingsByRule.filter { !$0.key.hasSuffix("|info") }.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        if !byRule.isEmpty {
            lines.append("findings by rule: " + byRule.map { "\($0.key.replacingOccurrences(of: "|", with: " ")) \($0.value)" }.joined(separator: ", "))
        }
        for source in sources {
            var line = "source \(source.source): \(source.discovered) documents"
            if source.skipped > 0 { line += ", \(source.skipped) files skipped (recorded as failures)" }
            if source.failedPages > 0 { line += ", \(source.failedPages) index pages failed" }
            if source.paginationCut { line += ", pagination cut at fetch.max_index_pages" }
            if source.isEmpty { line += (source.allowEmpty ? " (allowed)" : " — NOTHING FOUND") + (source.problem.map { ": \($0)" } ?? "") }
            lines.append(line)
        }
        if !vanished.isEmpty {
            lines.append("gone: \(vanished.count) stored documents' files no longer exist and no source lists them; their reports are kept "
                         + "until `nianbao prune --apply`: " + vanished.prefix(10).joined(separator: ", ") + (vanished.count > 10 ? ", …" : ""))
        }
        for (source, detail) in replacements { lines.append("replaced: \(source): \(detail)") }
        for (source, reason) in failures { lines.append("failed: \(source): \(reason)") }
        if duplicates > 0 {
            lines.append("duplicates: \(duplicates) documents repeat a report of the same agency and year (counted once); "
                         + "\(conflicts) figures on which they disagree (identity.conflict)")
        }
        if let health {
            lines.append("database: \(health.reports) reports, \(health.staleReports) stale, \(health.failingDocuments) documents failing "
                         + "(\(health.outstandingFailures) with no report kept), \(health.findings[.error] ?? 0) error findings")
        }
        if interrupted {
            lines.append(notReached > 0 ? "interrupted: \(notReached) documents not reached are processed by the next run"
                                        : "interrupted after the last document: the cross-report rules are left to the next run")
        }
        if let error { lines.append("error: \(error)") }
        lines.append(String(format: "time: %.2f s (of which %.2f s over the whole database after the documents: identity, cross-report rules)",
                            seconds, databaseSeconds))
        let stages = StageName.allCases.compactMap { stage in stageSeconds[stage].map { String(format: "%@ %.2f s", stage.rawValue, $0) } }
        if !stages.isEmpty { lines.append("time per stage (summed over workers): " + stages.joined(separator: ", ")) }
        return lines.joined(separator: "\n")
    }

    /// Writes the JSON atomically (a temporary file renamed into place), so monitoring never reads half a file.
    public func writeJSON(to path: String) throws {
        let data = Data((json().serialized(indent: 1) + "\n").utf8)
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        try data.write(to: temporary)
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw NianbaoError.configuration(key: "--summary-json", message: "cannot write \(path): \(reason)")
        }
    }
}

extension SourceSummary {
    var json: JSONValue {
        func number(_ value: Int) -> JSONValue { .number(Double(value)) }
        return .object([("source", .string(source)), ("kind", .string(kind)), ("discovered", number(discovered)),
                        ("skipped", number(skipped)), ("pages_read", number(pagesRead)), ("failed_pages", number(failedPages)),
                        ("pagination_cut", .bool(paginationCut)), ("allow_empty", .bool(allowEmpty)),
                        ("empty", .bool(isEmpty)), ("problem", problem.map(JSONValue.string) ?? .null)])
    }
}

/// The version printed by `nianbao --version` and stored in every summary.
public enum NianbaoVersion {
    public static let string = "0.3.0 (pipeline \(PipelineVersion.current), schema \(DatabaseSchema.migrations.count))"
}
