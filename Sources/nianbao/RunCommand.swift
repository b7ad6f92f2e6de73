import ArgumentParser
import Foundation
import Logging
import NianbaoKit

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the pipeline of a pipeline.json: read, decode, extract, normalize, validate, load.",
        discussion: """
            Exit codes: 0 every document loaded (or unchanged); 1 some documents failed, or findings of a \
            severity in validate.fail_on were found; 2 usage or configuration error (nothing was processed).
            """
    )

    @Option(name: .long, help: "The pipeline configuration.")
    var config = "pipeline.json"

    @Option(name: .long, help: "Concurrent workers (overrides `workers`; 0 = one per core).")
    var workers: Int?

    @Option(name: .long, help: "SQLite database path (overrides `database`).")
    var database: String?

    @Option(name: .long, help: ArgumentHelp("Process only shard K of N (0-based), e.g. 2/8.",
                                            discussion: "Also from NIANBAO_SHARD, or JOB_COMPLETION_INDEX / SLURM_ARRAY_TASK_ID with NIANBAO_SHARD_COUNT / SLURM_ARRAY_TASK_COUNT."))
    var shard: String?

    @Flag(name: .shortAndLong, help: "Log only warnings and errors.")
    var quiet = false

    func run() throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = quiet ? .warning : .info
            return handler
        }
        let logger = Logger(label: "nianbao")
        do {
            var configuration = try PipelineConfiguration.load(from: config)
            if let workers {
                guard workers >= 0 else { throw NianbaoError.configuration(key: "--workers", message: "must be ≥ 0") }
                configuration.workers = workers
            }
            if let database { configuration.database = database }
            configuration.shard = try shard.map(Shard.init(parsing:)) ?? Shard.fromEnvironment()
            let summary = try Pipeline(configuration: configuration, logger: logger).run()
            print(summary.text)
            if summary.wrote { print("database: \(configuration.databasePath)") }
            throw ExitCode(summary.exitCode(failOn: configuration.validate.failOn))
        } catch let error as NianbaoError {
            FileHandle.standardError.write(Data("nianbao: \(error)\n".utf8))
            if case .configuration = error { throw ExitCode(2) }
            throw ExitCode(1)
        }
    }
}
