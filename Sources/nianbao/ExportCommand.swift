import ArgumentParser
import Foundation
import NianbaoKit

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export one table as wide CSV or JSON lines: a row per report, a column per row.col code."
    )

    @Option(help: "The database.")
    var db = "out/nianbao.sqlite"

    @Option(help: "active, requests or appeals.")
    var table: String

    @Option(help: "csv or jsonl.")
    var format = "csv"

    @Option(help: "Output file (standard output if omitted).")
    var out: String?

    @Flag(help: "Start the CSV with a UTF-8 byte order mark, for spreadsheets.")
    var bom = false

    func run() throws {
        guard let tableCode = TableCode(rawValue: table) else { throw ValidationError("--table must be active, requests or appeals") }
        guard let exportFormat = Exporter.Format(rawValue: format) else { throw ValidationError("--format must be csv or jsonl") }
        do {
            let handle: FileHandle
            if let out {
                FileManager.default.createFile(atPath: out, contents: nil)
                guard let file = FileHandle(forWritingAtPath: out) else { throw ValidationError("cannot write \(out)") }
                handle = file
            } else {
                handle = FileHandle.standardOutput
            }
            try Exporter(database: db).export(tableCode, format: exportFormat, byteOrderMark: bom, to: handle)
        } catch let error as NianbaoError {
            FileHandle.standardError.write(Data("nianbao: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
