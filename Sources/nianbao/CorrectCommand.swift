import ArgumentParser
import Foundation
import NianbaoKit

struct CorrectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "correct",
        abstract: "Correct, confirm or withdraw a cell of a stored report; kept across reruns.",
        discussion: """
            The correction is stored by agency and year, applied on top of the extracted cells in every view and \
            export (flag corrected or confirmed), and flagged in `nianbao review` when the report's source changes. \
            After each correction the report is re-validated over its corrected cells (view findings_effective). \
            Exit codes: 0 recorded; 1 no such report or cell, or nothing to withdraw (a file: nothing applied); 2 usage error.
            """
    )

    @Option(help: "The database.")
    var db = "out/nianbao.sqlite"

    @Option(help: "A corrections file: tab-separated agency, year, cell, action (a figure, confirm or withdraw), reason[, author].")
    var file: String?

    @Option(help: "The agency: its name as stored, as printed, or its key.")
    var agency: String?

    @Option(help: "The report's year.")
    var year: Int?

    @Option(help: "The cell, as table.row.col (e.g. requests.granted.total).")
    var cell: String?

    @Option(help: "The right figure.")
    var value: Double?

    @Flag(help: "The extracted figure was checked and is right.")
    var confirm = false

    @Flag(help: "Withdraw the cell's active correction or confirmation.")
    var withdraw = false

    @Option(help: "Why (kept with the correction).")
    var reason: String?

    @Option(help: "Who (default: $USER).")
    var author = ProcessInfo.processInfo.environment["USER"] ?? "unknown"

    func validate() throws {
        if file != nil {
            guard agency == nil, year == nil, cell == nil, value == nil, reason == nil, !confirm, !withdraw else {
                throw ValidationError("--file takes its cells from the file: give no --agency, --year, --cell, --value, --confirm, --withdraw or --reason")
            }
            return
        }
        guard agency != nil, year != nil, cell != nil, reason != nil else {
            throw ValidationError("give --agency, --year, --cell and --reason (or --file)")
        }
        guard [value != nil, confirm, withdraw].filter({ $0 }).count == 1 else {
            throw ValidationError("give exactly one of --value, --confirm, --withdraw")
        }
    }

    func run() throws {
        do {
            if let file {
                guard let data = FileManager.default.contents(atPath: file) else { throw NianbaoError.refused("cannot read \(file)") }
                let corrections = try CorrectionsFile(text: String(decoding: data, as: UTF8.self))
                for message in try corrections.apply(to: Corrections(database: db), defaultAuthor: author) { print(message) }
                return
            }
            let action: Corrections.Action = withdraw ? .withdraw : confirm ? .confirm : .correct(value!)
            let message = try Corrections(database: db).record(agency: agency!, year: year!, cell: cell!, action: action, reason: reason!, author: author)
            print(message)
        } catch let error as NianbaoError {
            FileHandle.standardError.write(Data("nianbao: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
