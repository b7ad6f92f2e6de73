import ArgumentParser
import Foundation
import Logging
import NianbaoKit

struct PruneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Remove stored documents whose sources are gone (a dry run unless --apply).",
        discussion: """
            Lists the configured sources as a run would and prints every stored document none of them gives any \
            more and that is not there (a file that does not exist, a URL answering 404 or 410). With --apply they \
            are removed with their reports, versions, cells and findings; nothing is removed when a source could not \
            be listed completely or listed nothing, nor when more than half would go (unless --allow-many). \
            Exit codes: 0 done; 1 refused, or a database or listing error; 2 usage or configuration error; 3 another \
            run holds the database.
            """
    )

    @Option(name: .long, help: "The pipeline configuration.")
    var config = "pipeline.json"

    @Option(name: .long, help: "SQLite database path (overrides `database`).")
    var database: String?

    @Flag(help: "Remove them (without it, only print what would be removed).")
    var apply = false

    @Flag(help: "Remove even when more than half of the stored documents would go.")
    var allowMany = false

    @Flag(help: "If a run is writing the database, wait for it instead of exiting with code 3.")
    var wait = false

    func run() throws {
        do {
            var configuration = try PipelineConfiguration.load(from: config)
            if let database { configuration.database = database }
            let pipeline = Pipeline(configuration: configuration, logger: Logger(label: "nianbao"))
            pipeline.waitForLock = wait
            let result = try pipeline.prune(apply: apply, allowMany: allowMany)
            for document in result.gone {
                print("\(result.applied ? "removed" : "would remove"): \(document.source)\(document.hasReport ? "" : " (no report)")")
            }
            for source in result.unlistedButPresent {
                print("kept: \(source): no source lists it any more, but it is still there (remove it from the database by hand if it should go)")
            }
            print("\(result.gone.count) documents whose sources are gone; \(result.applied ? "removed" : "nothing removed (dry run; add --apply)")")
        } catch let error as NianbaoError {
            FileHandle.standardError.write(Data("nianbao: \(error)\n".utf8))
            switch error {
            case .configuration: throw ExitCode(ExitStatus.usage)
            case .locked: throw ExitCode(ExitStatus.locked)
            case .database, .refused: throw ExitCode(ExitStatus.failed)
            }
        }
    }
}
