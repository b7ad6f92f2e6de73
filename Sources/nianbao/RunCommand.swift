import ArgumentParser
import Foundation
import Logging
import NianbaoKit

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the pipeline of a pipeline.json: read or fetch, decode, extract, normalize, validate, load.",
        discussion: """
            A bad night never removes a stored figure: a document that fails keeps its last good report, marked \
            stale. Exit codes: 0 ok; 1 documents failed, findings of a severity in validate.fail_on anywhere in \
            the database, or a database error; 2 usage or configuration error; 3 another run holds the database \
            (see --wait); 4 a source gave no document (allow it with "allow_empty": true); 130 / 143 / 129 \
            stopped by SIGINT / SIGTERM / SIGHUP after committing what was finished (a second signal exits at \
            once). --summary-json is written on every one of these paths.
            """
    )

    @Option(name: .long, help: "The pipeline configuration.")
    var config = "pipeline.json"

    @Option(name: .long, help: "Concurrent workers (overrides `workers`; 0 = one per core).")
    var workers: Int?

    @Option(name: .long, help: "SQLite database path (overrides `database`; a relative path is relative to the configuration's folder).")
    var database: String?

    @Option(name: .long, help: ArgumentHelp("Process only shard K of N (0-based), e.g. 2/8.",
                                            discussion: "Also from NIANBAO_SHARD, or JOB_COMPLETION_INDEX / SLURM_ARRAY_TASK_ID with NIANBAO_SHARD_COUNT / SLURM_ARRAY_TASK_COUNT."))
    var shard: String?

    @Flag(help: "If another run is writing the same database, wait for it instead of exiting with code 3.")
    var wait = false

    @Flag(help: "Process every document again, even those stored unchanged (the replacement rule still holds).")
    var force = false

    @Flag(name: .shortAndLong, help: "Log only warnings and errors, and show no progress.")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Log every document.")
    var verbose = false

    @Option(name: .long, help: "Also write the run summary as JSON to this file, on every exit path (for monitoring).")
    var summaryJson: String?

    func run() throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = quiet ? .warning : (verbose ? .debug : .info)
            return handler
        }
        let logger = Logger(label: "nianbao")
        var summary = RunSummary()
        summary.configPath = config
        var pipeline: Pipeline?
        var signals: SignalWatcher?
        var failOn: Set<Severity> = []
        var code: Int32
        do {
            if let summaryJson { try Self.checkWritable(summaryJson) }
            var configuration = try PipelineConfiguration.load(from: config)
            if let workers {
                guard workers >= 0 else { throw NianbaoError.configuration(key: "--workers", message: "must be ≥ 0") }
                configuration.workers = workers
            }
            // Like `database` in the file, relative to the configuration's folder (job arrays pass shard paths so).
            if let database { configuration.database = database }
            configuration.shard = try shard.map(Shard.init(parsing:)) ?? Shard.fromEnvironment()
            failOn = configuration.validate.failOn
            let running = Pipeline(configuration: configuration, logger: logger)
            running.waitForLock = wait
            running.force = force
            if !quiet { running.progress = ProgressReporter(logger: logger).report }
            pipeline = running
            let jsonPath = summaryJson, configPath = config
            signals = SignalWatcher(first: { signal in
                logger.warning("signal \(signal): stopping; finished documents are committed (a second signal exits at once)")
                running.interrupt(signal: signal)
            }, second: { signal in
                // Out now: what the summary says so far is written first, so monitoring is not left with last night's.
                var snapshot = running.summary
                snapshot.configPath = configPath
                snapshot.signal = signal
                snapshot.interrupted = true
                snapshot.error = "stopped by a second signal before the run finished"
                snapshot.exitCode = 128 + signal
                if let jsonPath { try? snapshot.writeJSON(to: jsonPath) }
                _exit(128 + signal)
            })
            summary = try running.run()
            summary.configPath = config
            if let signal = signals?.received { summary.signal = signal }
            code = summary.exitCode(failOn: failOn)
            ProgressReporter.finishLine(quiet: quiet)
            print(summary.text)
        } catch {
            if let pipeline { summary = pipeline.summary }
            summary.configPath = config
            summary.finishedAt = summary.finishedAt ?? Date()
            switch error {
            case let error as NianbaoError:
                summary.error = "\(error)"
                switch error {
                case .configuration: code = ExitStatus.usage
                case .locked: code = ExitStatus.locked
                case .database, .refused: code = ExitStatus.failed
                }
            case is CancelledError:
                let signal = signals?.received ?? SIGTERM
                summary.signal = signal
                summary.interrupted = true
                code = 128 + signal
            default:
                summary.error = "\(error)"
                code = ExitStatus.failed
            }
            ProgressReporter.finishLine(quiet: quiet)
            if let message = summary.error { FileHandle.standardError.write(Data("nianbao: \(message)\n".utf8)) }
        }
        summary.exitCode = code
        // Read again at the very end, just before the summary is written: nothing of the run comes after.
        summary.peakResidentKB = max(summary.peakResidentKB, RunSummary.peakResidentKB())
        if let summaryJson {
            do {
                try summary.writeJSON(to: summaryJson)
            } catch {
                FileHandle.standardError.write(Data("nianbao: \(error)\n".utf8))
                if code == ExitStatus.ok { code = ExitStatus.failed }
            }
        }
        if let runID = summary.runID, let path = summary.database {
            try? ReportStore.recordExit(database: path, runID: runID, runUUID: summary.runUUID, exitCode: code, summary: summary.json().serialized())
        }
        withExtendedLifetime(signals) {}
        throw ExitCode(code)
    }

    /// Fails before any work when the summary file could not be written at the end.
    static func checkWritable(_ path: String) throws {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue,
              FileManager.default.isWritableFile(atPath: folder) else {
            throw NianbaoError.configuration(key: "--summary-json", message: "cannot write \(path): its folder \(folder) does not exist or is not writable")
        }
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw NianbaoError.configuration(key: "--summary-json", message: "\(path) is a folder")
        }
    }

    /// `nianbao run … --summary-json PATH` with arguments the parser refused: the summary still says so.
    static func writeSummaryForUsageError(arguments: [String], message: String) {
        guard arguments.dropFirst().first == "run" else { return }
        var path: String?
        for (index, argument) in arguments.enumerated() {
            if argument == "--summary-json", index + 1 < arguments.count { path = arguments[index + 1] }
            if argument.hasPrefix("--summary-json=") { path = String(argument.dropFirst("--summary-json=".count)) }
        }
        guard let path else { return }
        var summary = RunSummary()
        summary.finishedAt = Date()
        summary.error = message
        summary.exitCode = ExitStatus.usage
        try? summary.writeJSON(to: path)
    }
}
