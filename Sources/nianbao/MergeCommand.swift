import ArgumentParser
import Foundation
import NianbaoKit

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge the databases of sharded runs into one, then run the cross-report rules over it.",
        discussion: """
            Idempotent: merging the same shards again changes nothing. Documents are keyed by source; the newer \
            version of a document wins whatever the order of the shards, and a replaced report with other figures is \
            kept in report_versions. Runs, failures and versions are kept. The target is written under its run lock. \
            Exit codes: 0 merged; 1 a shard could not be read or merged (the others are) or the target could not be written; 2 usage error; 3 a run or merge holds the target.
            """
    )

    @Option(name: .long, help: "The merged database (created if missing).")
    var into: String

    @Argument(help: "Shard databases written by `nianbao run --shard K/N`.")
    var shards: [String]

    @Flag(help: "If a run or another merge holds the target, wait for it instead of exiting with code 3.")
    var wait = false

    @Option(help: "An agency registry file (as pipeline.json's registry.file) to resolve agencies with.")
    var registry: String?

    func validate() throws {
        guard !shards.isEmpty else { throw ValidationError("give at least one shard database") }
    }

    func run() throws {
        do {
            var merger = DatabaseMerger()
            merger.waitForLock = wait
            merger.registry = try AgencyRegistry.load(file: registry)
            let summary = try merger.merge(into: into, shards: shards)
            print("shards: \(summary.shards)  runs added: \(summary.runsAdded)  documents added: \(summary.documentsAdded)  "
                  + "replaced by a newer version: \(summary.documentsReplaced)  older versions skipped: \(summary.olderSkipped)  "
                  + "unchanged: \(summary.documentsUnchanged)  corrections added: \(summary.correctionsAdded)")
            for source in summary.replacements { print("replaced: \(source)") }
            for source in summary.keptSuperseded { print("kept: \(source) now serves another report; the one it served stays a report of its own") }
            for line in summary.keptStaleSources { print("kept stale: \(line)") }
            print("findings across reports (whole database): \(summary.crossReportFindings)")
            print("database: \(into)")
            for failed in summary.failedShards { print("failed: \(failed.shard): \(failed.reason) (not merged)") }
            if !summary.failedShards.isEmpty {
                FileHandle.standardError.write(Data("nianbao: \(summary.failedShards.count) of \(shards.count) shards not merged: \(summary.failedShards.map(\.shard).joined(separator: ", "))\n".utf8))
                throw ExitCode(ExitStatus.failed)
            }
        } catch let error as NianbaoError {
            FileHandle.standardError.write(Data("nianbao: \(error)\n".utf8))
            if case .locked = error { throw ExitCode(ExitStatus.locked) }
            if case .configuration = error { throw ExitCode(ExitStatus.usage) }
            throw ExitCode(ExitStatus.failed)
        }
    }
}
