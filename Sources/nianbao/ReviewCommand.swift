import ArgumentParser
import Foundation
import NianbaoKit

struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "List what needs a human, most urgent first: stale corrections, conflicts, errors, abstained cells.",
        discussion: "One tab-separated line per item: kind, agency, year, cell or table, detail. Exit 0; 1 when the database cannot be read."
    )

    @Option(help: "The database.")
    var db = "out/nianbao.sqlite"

    @Option(help: "Most items printed.")
    var limit = 200

    func validate() throws {
        guard limit >= 0 else { throw ValidationError("--limit must be 0 or more") }
    }

    func run() throws {
        do {
            for item in try ReviewList(database: db).items(limit: limit) { print(item.line) }
        } catch let error as NianbaoError {
            FileHandle.standardError.write(Data("nianbao: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
