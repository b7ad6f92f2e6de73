import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Counts of one run, printed at the end and stored in `runs`.
public struct RunSummary: Sendable {
    public var documents = 0
    public var loaded = 0
    public var unsupported = 0
    public var unchanged = 0
    public var failed = 0
    /// Findings by severity over the reports of this run.
    public var findings: [Severity: Int] = [:]
    /// Findings by rule and severity ("rule|severity") over the reports of this run.
    public var findingsByRule: [String: Int] = [:]
    /// Failed documents with their reasons, in source order.
    public var failures: [(source: String, failure: StageFailure)] = []
    public var seconds: Double = 0
    /// Time in each stage, summed over workers.
    public var stageSeconds: [StageName: Double] = [:]
    /// Peak resident memory of the process, in KiB.
    public var peakResidentKB = 0
    /// Findings of the cross-report rules over the whole database after this run.
    public var crossReportFindings = 0
    /// True when the run wrote to a database (the `load` stage was configured).
    public var wrote = false
    /// True when the run was stopped by a signal before every document was processed.
    public var interrupted = false

    public init() {}

    mutating func count(_ outcome: DocumentOutcome) {
        documents += 1
        switch outcome {
        case let .report(_, report):
            if report.unsupportedFormat { unsupported += 1 } else { loaded += 1 }
            for finding in report.findings {
                findings[finding.severity, default: 0] += 1
                findingsByRule["\(finding.rule.rawValue)|\(finding.severity.rawValue)", default: 0] += 1
            }
        case let .failed(info, failure):
            failed += 1
            failures.append((info.source, failure))
        case .unchanged:
            unchanged += 1
        }
    }

    static func peakResidentKB() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Int(usage.ru_maxrss)
    }

    /// 0 all documents loaded; 1 some failed, or findings of a `fail_on` severity were found.
    public func exitCode(failOn: Set<Severity>) -> Int32 {
        if failed > 0 { return 1 }
        if failOn.contains(where: { (findings[$0] ?? 0) > 0 }) { return 1 }
        return 0
    }

    /// The summary as JSON, for monitoring (`--summary-json`).
    public func json(database: String?) -> JSONValue {
        let rules = findingsByRule.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map { key, count -> JSONValue in
            let parts = key.split(separator: "|").map(String.init)
            return .object([("rule", .string(parts[0])), ("severity", .string(parts[1])), ("count", .number(Double(count)))])
        }
        return .object([
            ("documents", .number(Double(documents))), ("loaded", .number(Double(loaded))),
            ("unsupported_format", .number(Double(unsupported))), ("unchanged", .number(Double(unchanged))),
            ("failed", .number(Double(failed))), ("interrupted", .bool(interrupted)),
            ("findings", .object(Severity.allCases.reversed().map { ($0.rawValue, .number(Double(findings[$0] ?? 0))) })),
            ("findings_by_rule", .array(rules)),
            ("cross_report_findings", .number(Double(crossReportFindings))),
            ("failures", .array(failures.map { .object([("source", .string($0.source)), ("stage", .string($0.failure.stage.rawValue)),
                                                        ("reason", .string($0.failure.reason))]) })),
            ("seconds", .number((seconds * 1000).rounded() / 1000)),
            ("stage_seconds", .object(StageName.allCases.compactMap { stage in
                stageSeconds[stage].map { (stage.rawValue, JSONValue.number(($0 * 1000).rounded() / 1000)) } })),
            ("peak_rss_kb", .number(Double(peakResidentKB))),
            ("database", database.map(JSONValue.string) ?? .null),
        ])
    }

    public var text: String {
        var lines = ["documents: \(documents)  loaded: \(loaded)  unsupported format: \(unsupported)  unchanged: \(unchanged)  failed: \(failed)"]
        let findingCounts = Severity.allCases.reversed().map { "\($0.rawValue) \(findings[$0] ?? 0)" }.joined(separator: ", ")
        lines.append("findings: \(findingCounts); across reports (whole database): \(crossReportFindings)")
        let byRule = findingsByRule.filter { !$0.key.hasSuffix("|info") }.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        if !byRule.isEmpty {
            lines.append("findings by rule: " + byRule.map { "\($0.key.replacingOccurrences(of: "|", with: " ")) \($0.value)" }.joined(separator: ", "))
        }
        for (source, failure) in failures { lines.append("failed: \(source): \(failure)") }
        if interrupted { lines.append("interrupted: documents not reached are processed by the next run") }
        lines.append(String(format: "time: %.2f s", seconds))
        let stages = StageName.allCases.compactMap { stage in stageSeconds[stage].map { String(format: "%@ %.2f s", stage.rawValue, $0) } }
        if !stages.isEmpty { lines.append("time per stage (summed over workers): " + stages.joined(separator: ", ")) }
        return lines.joined(separator: "\n")
    }
}
