import ArgumentParser
import Foundation
import NianbaoKit

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write one self-contained HTML file with charts and a section per agency."
    )

    @Option(help: "The database.")
    var db = "out/nianbao.sqlite"

    @Option(help: "The HTML file to write.")
    var out = "out/report.html"

    func run() throws {
        do {
            let html = try HTMLReportWriter(database: db).render()
            let url = URL(fileURLWithPath: out)
            try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(html.utf8).write(to: url)
            print("report: \(out)")
        } catch let error as NianbaoError {
            FileHandle.standardError.write(Data("nianbao: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
