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
            severity in validate.fail_on were found, or the database could not be written; 2 usage or \
            configuration error (nothing was processed); 3 another run is writing the same database (see \
            --wait); 130 / 143 stopped by SIGINT / SIGTERM after committing the documents in progress.
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

    @Flag(help: "If another run is writing the same database, wait for it instead of exiting with code 3.")
    var wait = false

    @Flag(name: .shortAndLong, help: "Log only warnings and errors, and show no progress.")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Log every document.")
    var verbose = false

    @Option(name: .long, help: "Also write the run summary as JSON to this file (for monitoring).")
    var summaryJson: String?

    func run() throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = quiet ? .warning : (verbose ? .debug : .info)
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
            let pipeline = Pipeline(configuration: configuration, logger: logger)
            pipeline.waitForLock = wait
            if !quiet { pipeline.progress = ProgressReporter(logger: logger).report }
            let signals = SignalWatcher { signal in
                logger.warning("signal \(signal): finishing the documents in progress, then stopping")
                pipeline.interrupt()
            }
            let summary = try pipeline.run()
            ProgressReporter.finishLine(quiet: quiet)
            print(summary.text)
            if summary.wrote { print("database: \(configuration.databasePath)") }
            if let summaryJson {
                let json = summary.json(database: summary.wrote ? configuration.databasePath : nil).serialized(indent: 1) + "\n"
                guard FileManager.default.createFile(atPath: summaryJson, contents: Data(json.utf8)) else {
                    throw NianbaoError.configuration(key: "--summary-json", message: "cannot write \(summaryJson)")
                }
            }
            if let signal = signals.received { throw ExitCode(128 + signal) }
            throw ExitCode(summary.exitCode(failOn: configuration.validate.failOn))
        } catch let error as NianbaoError {
            FileHandle.standardError.write(Data("nianbao: \(error)\n".utf8))
            switch error {
            case .configuration: throw ExitCode(2)
            case .locked: throw ExitCode(3)
            case .database: throw ExitCode(1)
            }
        }
    }
}
