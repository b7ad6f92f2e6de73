import ArgumentParser
import Foundation
import NianbaoKit

/// The `nianbao` command: a thin front over NianbaoKit.
struct Nianbao: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nianbao",
        abstract: "Turn 政府信息公开工作年度报告 into validated numbers in SQLite.",
        discussion: """
            Exit codes of `run`: 0 ok; 1 documents failed (a stored report is kept, marked stale) or findings of a \
            severity in validate.fail_on; 2 usage or configuration error; 3 another run holds the database; \
            4 a source gave no document; 130/143/129 stopped by SIGINT/SIGTERM/SIGHUP. See `nianbao run --help`.
            """,
        version: NianbaoVersion.string,
        subcommands: [RunCommand.self, StatusCommand.self, PruneCommand.self, ExtractCommand.self, ScoreCommand.self, MergeCommand.self,
                      SynthCommand.self, ParseFloorCommand.self, ExportCommand.self, ReportCommand.self, CorrectCommand.self,
                      ReviewCommand.self]
    )
}

/// Entry point: ArgumentParser's usage errors exit 2 (README's table), not its default 64, and a `run` that
/// never started still leaves its summary JSON behind.
@main
enum Main {
    static func main() {
        // A closed pipe (`nianbao run | head -1`) is an EPIPE on write, not a reason to die mid-run.
        signal(SIGPIPE, SIG_IGN)
        do {
            var command = try Nianbao.parseAsRoot()
            try command.run()
        } catch {
            let code = Nianbao.exitCode(for: error)
            guard code == .validationFailure else { Nianbao.exit(withError: error) }
            let message = Nianbao.fullMessage(for: error)
            FileHandle.standardError.write(Data("\(message)\n".utf8))
            RunCommand.writeSummaryForUsageError(arguments: CommandLine.arguments, message: message)
            exit(ExitStatus.usage)
        }
    }
}
