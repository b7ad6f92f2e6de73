import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What one run did and what the database looks like after it: printed at the end, written as JSON
/// (`--summary-json`, and `runs.summary`), and the source of the exit code (``ExitStatus``).
public struct RunSummary: Sendable {
    // Identity of the run.
    public var runUUID = UUID().uuidString.lowercased()
    /// `runs.id` in the database; nil for a dry run or a run that never opened its database.
    public var runID: Int64?
    public var startedAt = Date()
    public var finishedAt: Date?
    public var configPath: String?
    public var database: String?
    /// True when the run wrote to a database (the `load` stage was configured).
    public var wrote = false

    // This run's documents.
    /// Documents taken through the stages (cancelled ones excluded).
    public var documents = 0
    /// What the load stage did, by kind (for a dry run: what it would have been given).
    public var events: [LoadEvent.Kind: Int] = [:]
    /// Pre-2019 reports among those written.
    public var unsupported = 0
    /// Documents that had failed before and were tried again.
    public var retried = 0
    /// Reports removed (only `nianbao prune --apply` removes; a run never does).
    public var removed = 0
    /// Documents not reached because the run was stopped.
    public var notReached = 0
    /// Stored documents read from files that no longer exist and that no source lists: their reports stay (a run
    /// never removes one; `nianbao prune` does), and the operator is told.
    public var vanished: [String] = []
    /// This run's failures (the stored report kept or not), replacements and refusals, in source order.
    public var failures: [(source: String, reason: String)] = []
    public var replacements: [(source: String, detail: String)] = []
    public var refusals: [(source: String, reason: String)] = []
    /// Findings of the reports written in this run.
    public var findings: [Severity: Int] = [:]
    public var findingsByRule: [String: Int] = [:]
    /// Per source: how many documents it gave.
    public var sources: [SourceSummary] = []

    // The whole database after the run.
    public var health: DatabaseHealth?
    /// Findings of the cross-report rules over the whole database after this run (nil when not recomputed).
    public var crossReportFindings: Int?
    /// Reports that are not canonical (another document of the same agency and year is), and the figures on
    /// which duplicates disagree, over the whole database.
    public var duplicates = 0
    public var conflicts = 0

    // How the run went.
    /// The whole run's wall time, from the start to the summary (the database steps after the documents included).
    public var seconds: Double = 0
    /// Of ``seconds``, the steps over the whole database after the last document: identity (canonical reports,
    /// conflicts), the cross-report rules and the health figures. A run that changed nothing spends its time here.
    public var databaseSeconds: Double = 0
    public var stageSeconds: [StageName: Double] = [:]
    public var peakResidentKB = 0
    /// True when the run was stopped by a signal before it finished (before every document was processed, or after, before the cross-report rules).
    public var interrupted = false
    /// The signal that stopped it.
    public var signal: Int32?
    /// The error that ended the run early (configuration, lock, database), as printed.
    public var error: String?
    /// Set when the command exits.
    public var exitCode: Int32?

    public init() {}

    public func count(_ kind: LoadEvent.Kind) -> Int { events[kind] ?? 0 }

    /// Reports written from this run's bodies (new, replaced or re-read), pre-2019 ones excluded.
    public var loaded: Int { count(.loaded) + count(.replaced) + count(.reread) - unsupported }
    public var unchanged: Int { count(.unchanged) + count(.restored) }
    /// Documents that failed in this run, whether or not a stored report was kept.
    public var failed: Int { LoadEvent.Kind.allCases.filter(\.isFailure).reduce(0) { $0 + count($1) } }
    /// Failures whose last good report stays (kept, refused or recovered from the cache).
    public var keptStale: Int { count(.keptStale) + count(.refused) + count(.recovered) }

    /// Counts what the load stage did with one document.
    mutating func record(_ event: LoadEvent, report: Report?) {
        documents += 1
        events[event.kind, default: 0] += 1
        if event.retried { retried += 1 }
        switch event.kind {
        case .keptStale, .recovered, .failed: failures.append((event.source, event.detail ?? ""))
        case .refused:
            failures.append((event.source, event.detail ?? ""))
            refusals.append((event.source, event.detail ?? ""))
        case .replaced: replacements.append((event.source, event.detail ?? ""))
        default: break
        }
        guard let report, [.loaded, .replaced, .reread].contains(event.kind) else { return }
        if report.unsupportedFormat { unsupported += 1 }
        for finding in report.findings {
            findings[finding.severity, default: 0] += 1
            findingsByRule["\(finding.rule.rawValue)|\(finding.severity.rawValue)", default: 0] += 1
        }
    }

    /// Sources that gave no document although they were expected to.
    public var emptySources: [SourceSummary] { sources.filter { $0.isEmpty && !$0.allowEmpty } }

    /// Peak resident memory of this process, in KiB: Linux's VmHWM, which starts afresh at exec — getrusage's
    /// ru_maxrss does not, and reports a forking parent's size for a child started by a large process.
    public static func peakResidentKB() -> Int {
        if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
           let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
           let kilobytes = Int(line.dropFirst(6).trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? "") {
            return kilobytes
        }
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Int(usage.ru_maxrss)
    }

    /// The exit code of the table in README: 1 failures or `fail_on` findings, 4 a source gave nothing,
    /// 128 + signal when stopped; 0 otherwise. (2 and 3 come from errors before the run.)
    public func exitCode(failOn: Set<Severity>) -> Int32 {
        if let signal { return 128 + signal }
        if error != nil || failed > 0 { return ExitStatus.failed }
        // fail_on looks at the whole database (and its cross-report findings), not only at this run's reports.
        let findingCounts = health?.findings ?? findings
        if failOn.contains(where: { (findingCounts[$0] ?? 0) > 0 }) { return ExitStatus.failed }
        if !emptySources.isEmpty { return ExitStatus.nothingToDo }
        return ExitStatus.ok
    }
}

/// The exit codes of `nianbao run` (README's table).
public enum ExitStatus {
    public static let ok: Int32 = 0
    /// Documents failed, findings of a `validate.fail_on` severity, or a database error.
    public static let failed: Int32 = 1
    /// Usage or configuration error.
    public static let usage: Int32 = 2
    /// Another run holds the database.
    public static let locked: Int32 = 3
    /// A source gave no document where one was expected.
    public static let nothingToDo: Int32 = 4
}

/// How many documents one configured source gave.
public struct SourceSummary: Sendable {
    public var source: String
    public var kind: String
    public var discovered = 0
    /// Files found but not readable as documents (recorded as failures).
    public var skipped = 0
    public var pagesRead = 0
    public var failedPages = 0
    public var paginationCut = false
    public var allowEmpty = false
    /// Why the source gave nothing, when it is known (the path does not exist).
    public var problem: String?

    /// Listed completely and nothing found (a failed index page is a failure, not an empty source).
    public var isEmpty: Bool { discovered == 0 && skipped == 0 && failedPages == 0 }

    public init(source: String, kind: String, allowEmpty: Bool = false) {
        self.source = source
        self.kind = kind
        self.allowEmpty = allowEmpty
    }
}

/// The state of the whole database after a run, for alerts (`nianbao status` prints the same).
public struct DatabaseHealth: Sendable, Equatable {
    public var documents = 0
    public var reports = 0
    /// Documents whose last attempt failed with no report to keep.
    public var outstandingFailures = 0
    /// Documents whose last attempt failed, whether or not a report is kept (the `failures` table).
    public var failingDocuments = 0
    /// Reports kept while their source fails (or was refused).
    public var staleReports = 0
    /// Findings over all reports, by severity (cross-report findings included).
    public var findings: [Severity: Int] = [:]
    /// Template cells not read (abstained) over all loaded reports, as a share of their template cells.
    public var abstentionRate = 0.0
    /// Reports stored by a run that ended before its identity step (a write error, the disk full, a kill): not yet
    /// placed as canonical or duplicate, so out of the analyst views until a run completes.
    public var undecidedReports = 0
    /// The last run's status (`running`, `finished`, `interrupted`, `failed`) and exit code, where one is recorded.
    public var lastRunStatus: String?
    public var lastRunExitCode: Int?

    public init() {}

    /// Whether the last run ended without doing all it had to (failed or stopped).
    public var lastRunIncomplete: Bool { lastRunStatus == "failed" || lastRunStatus == "interrupted" }

    /// 0 healthy; 1 documents failing (with or without a report kept), reports stale or undecided, or the last run
    /// failed or was stopped.
    public var exitCode: Int32 {
        failingDocuments > 0 || outstandingFailures > 0 || staleReports > 0 || undecidedReports > 0 || lastRunIncomplete ? 1 : 0
    }

    public static func read(_ connection: SQLiteConnection) throws -> DatabaseHealth {
        var health = DatabaseHealth()
        func scalar(_ sql: String) throws -> Int { Int(try connection.query(sql).first?.first?.integer ?? 0) }
        health.documents = try scalar("SELECT count(*) FROM documents")
        health.reports = try scalar("SELECT count(*) FROM reports")
        health.outstandingFailures = try scalar("SELECT count(*) FROM documents WHERE status = 'failed'")
        health.failingDocuments = try scalar("SELECT count(*) FROM failures")
        health.staleReports = try scalar("SELECT count(*) FROM reports WHERE stale = 1")
        health.undecidedReports = try scalar("SELECT count(*) FROM reports WHERE canonical = 0 AND canonical_reason IS NULL")
        if let last = try connection.query("SELECT status, exit_code FROM runs ORDER BY id DESC LIMIT 1").first {
            health.lastRunStatus = last[0].text
            health.lastRunExitCode = last[1].integer.map(Int.init)
        }
        for row in try connection.query("SELECT severity, count(*) FROM findings GROUP BY severity") {
            if let severity = row[0].text.flatMap(Severity.init), let count = row[1].integer { health.findings[severity] = Int(count) }
        }
        var expected = 0, read = 0
        // Stepped through, not loaded: a row per report.
        try connection.prepare("""
            SELECT active_format, requests_format, appeals_format, (SELECT count(*) FROM cells c WHERE c.report_id = r.id AND c.flags <> 'completed')
            FROM reports r WHERE unsupported_format = 0
            """).forEachRow { row in
            for (table, format) in zip(TableCode.allCases, row.prefix(3)) {
                if let format = format.text.flatMap(TableFormat.init) { expected += TemplateSchema.table(table, format).cellCount }
            }
            read += Int(row[3].integer ?? 0)
        }
        health.abstentionRate = expected > 0 ? max(0, Double(expected - read) / Double(expected)) : 0
        return health
    }
}
