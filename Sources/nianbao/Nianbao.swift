import ArgumentParser

/// The `nianbao` command: a thin front over NianbaoKit.
@main
struct Nianbao: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nianbao",
        abstract: "Turn 政府信息公开工作年度报告 into validated numbers in SQLite.",
        discussion: """
            Exit codes: 0 all documents loaded; 1 some documents failed (or findings of a severity listed in \
            validate.fail_on); 2 usage or configuration error.
            """,
        subcommands: [RunCommand.self, ExtractCommand.self, ScoreCommand.self, MergeCommand.self, SynthCommand.self, ParseFloorCommand.self, ExportCommand.self, ReportCommand.self]
    )
}
