import ArgumentParser
import Foundation
import NianbaoKit

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge the databases of sharded runs into one, then run the cross-report rules over it.",
        discussion: """
            Idempotent: merging the same shards again changes nothing. Documents are keyed by source; runs and \
            failures are kept. Exit codes: 0 merged; 1 a database could not be read or written; 2 usage error.
            """
    )

    @Option(name: .long, help: "The merged database (created if missing).")
    var into: String

    @Argument(help: "Shard databases written by `nianbao run --shard K/N`.")
    var shards: [String]

    func validate() throws {
        guard !shards.isEmpty else { throw ValidationError("give at least one shard database") }
    }

    func run() throws {
        do {
            let summary = try DatabaseMerger().merge(into: into, shards: shards)
            print("shards: \(summary.shards)  runs added: \(summary.runsAdded)  documents added: \(summary.documentsAdded)  unchanged: \(summary.documentsUnchanged)")
            print("findings across reports (whole database): \(summary.crossReportFindings)")
            print("database: \(into)")
        } catch let error as NianbaoError {
            FileHandle.standardError.write(Data("nianbao: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
