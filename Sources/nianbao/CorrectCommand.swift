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
            Exit codes: 0 recorded; 1 no such report or cell, or nothing to withdraw; 2 usage error.
            """
    )

    @Option(help: "The database.")
    var db = "out/nianbao.sqlite"

    @Option(help: "The agency: its name as stored, as printed, or its key.")
    var agency: String

    @Option(help: "The report's year.")
    var year: Int

    @Option(help: "The cell, as table.row.col (e.g. requests.granted.total).")
    var cell: String

    @Option(help: "The right figure.")
    var value: Double?

    @Flag(help: "The extracted figure was checked and is right.")
    var confirm = false

    @Flag(help: "Withdraw the cell's active correction or confirmation.")
    var withdraw = false

    @Option(help: "Why (kept with the correction).")
    var reason: String

    @Option(help: "Who (default: $USER).")
    var author = ProcessInfo.processInfo.environment["USER"] ?? "unknown"

    func validate() throws {
        guard [value != nil, confirm, withdraw].filter({ $0 }).count == 1 else {
            throw ValidationError("give exactly one of --value, --confirm, --withdraw")
        }
    }

    func run() throws {
        let action: Corrections.Action = withdraw ? .withdraw : confirm ? .confirm : .correct(value!)
        do {
            let message = try Corrections(database: db).record(agency: agency, year: year, cell: cell, action: action, reason: reason, author: author)
            print(message)
        } catch let error as NianbaoError {
            FileHandle.standardError.write(Data("nianbao: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
