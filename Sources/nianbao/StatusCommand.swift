import ArgumentParser
import Foundation
import NianbaoKit

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Print the database's health: outstanding failures, stale reports, error findings, abstention rate.",
        discussion: "Exit codes: 0 healthy; 1 failures outstanding, reports stale or not yet placed, or the last run failed or was stopped (or the database cannot be read); 2 usage error."
    )

    @Option(help: "The database.")
    var db = "out/nianbao.sqlite"

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run() throws {
        let health: DatabaseHealth
        let stale: [[SQLiteConnection.Value]], failing: [[SQLiteConnection.Value]]
        do {
            guard FileManager.default.fileExists(atPath: db) else { throw NianbaoError.database(path: db, message: "no such database") }
            let connection = try SQLiteConnection(path: db, readOnly: true)
            health = try DatabaseHealth.read(connection)
            stale = try connection.query("SELECT source, stale_since, stale_reason FROM reports WHERE stale = 1 ORDER BY stale_since, source LIMIT 20")
            failing = try connection.query("""
                SELECT f.source, f.first_failed_at, f.attempts, f.stage || ': ' || f.reason FROM failures f
                JOIN documents d ON d.id = f.document_id WHERE d.status = 'failed' ORDER BY f.first_failed_at, f.source LIMIT 20
                """)
        } catch let error as NianbaoError {
            FileHandle.standardError.write(Data("nianbao: \(error)\n".utf8))
            throw ExitCode(1)
        }
        if json {
            let object = JSONValue.object([
                ("database", .string(db)), ("documents", .number(Double(health.documents))), ("reports", .number(Double(health.reports))),
                ("outstanding_failures", .number(Double(health.outstandingFailures))), ("failing_documents", .number(Double(health.failingDocuments))),
                ("stale_reports", .number(Double(health.staleReports))),
                ("undecided_reports", .number(Double(health.undecidedReports))),
                ("last_run_status", health.lastRunStatus.map(JSONValue.string) ?? .null),
                ("last_run_exit_code", health.lastRunExitCode.map { .number(Double($0)) } ?? .null),
                ("findings", .object(Severity.allCases.reversed().map { ($0.rawValue, .number(Double(health.findings[$0] ?? 0))) })),
                ("abstention_rate", .number((health.abstentionRate * 10000).rounded() / 10000)),
                ("healthy", .bool(health.exitCode == 0)),
            ])
            print(object.serialized(indent: 1))
        } else {
            print("database: \(db)")
            print("documents: \(health.documents)  reports: \(health.reports)  stale reports: \(health.staleReports)  "
                  + "failing documents: \(health.failingDocuments) (\(health.outstandingFailures) with no report kept)")
            print("findings: " + Severity.allCases.reversed().map { "\($0.rawValue) \(health.findings[$0] ?? 0)" }.joined(separator: ", "))
            print(String(format: "abstention rate: %.2f %% of template cells not read", health.abstentionRate * 100))
            if let status = health.lastRunStatus {
                print("last run: \(status)" + (health.lastRunExitCode.map { " (exit \($0))" } ?? ""))
            }
            if health.undecidedReports > 0 {
                print("\(health.undecidedReports) reports stored by a run that ended before its identity step: out of the analyst views until a run completes")
            }
            for row in stale { print("stale since \(row[1].text ?? "?"): \(row[0].text ?? "") — \(row[2].text ?? "")") }
            for row in failing { print("failing since \(row[1].text ?? "?") (\(row[2].integer ?? 1) attempts): \(row[0].text ?? "") — \(row[3].text ?? "")") }
            print(health.exitCode == 0 ? "healthy" : "NOT healthy")
        }
        throw ExitCode(health.exitCode)
    }
}
