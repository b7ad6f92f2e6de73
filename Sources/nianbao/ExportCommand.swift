import ArgumentParser
import Foundation
import NianbaoKit

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export one table wide (a row per report, a column per row.col code), every cell long, or an analyst view, as CSV or JSON lines.",
        discussion: """
            --view writes one of the analyst views whole: measures, yoy, rates, rankings, rollups, area_totals, publication, \
            missing_reports, repetition, findings_effective. \
            --long writes a row per cell of every canonical report: agency, year, form, table, row and column codes, \
            value, state (number, blank, na, text), the raw text, flags (inferred, note, ocr, completed). \
            --codebook PATH writes what every code, state, flag, measure and rate means, as JSON.
            """
    )

    @Option(help: "The database.")
    var db = "out/nianbao.sqlite"

    @Option(help: "active, requests or appeals (wide export).")
    var table: String?

    @Flag(help: "Every cell of every table, a row each (long form).")
    var long = false

    @Option(help: "An analyst view (yoy, rates, rankings, rollups, area_totals, measures, publication, …).")
    var view: String?

    @Option(help: "Also write the codebook (JSON) to this file.")
    var codebook: String?

    @Option(help: "csv or jsonl.")
    var format = "csv"

    @Option(help: "Output file (standard output if omitted).")
    var out: String?

    @Flag(help: "Start the CSV with a UTF-8 byte order mark, for spreadsheets.")
    var bom = false

    func run() throws {
        guard let exportFormat = Exporter.Format(rawValue: format) else { throw ValidationError("--format must be csv or jsonl") }
        guard [table != nil, long, view != nil].filter({ $0 }).count <= 1 else {
            throw ValidationError("give one of --table, --long, --view")
        }
        let tableCode: TableCode?
        switch (table, long) {
        case (nil, false) where view == nil: throw ValidationError("give --table active, requests or appeals, --long, or --view NAME")
        case (nil, false): tableCode = nil
        case (_?, true): throw ValidationError("--long exports every table: leave out --table")
        case let (name?, false):
            guard let code = TableCode(rawValue: name) else { throw ValidationError("--table must be active, requests or appeals") }
            tableCode = code
        case (nil, true): tableCode = nil
        }
        do {
            let handle: FileHandle
            if let out {
                guard FileManager.default.createFile(atPath: out, contents: nil), let file = FileHandle(forWritingAtPath: out) else {
                    throw ValidationError("cannot write \(out)")
                }
                handle = file
            } else {
                handle = FileHandle.standardOutput
            }
            let exporter = try Exporter(database: db)
            if let view {
                try exporter.export(view: view, format: exportFormat, byteOrderMark: bom, to: handle)
            } else if let tableCode {
                try exporter.export(tableCode, format: exportFormat, byteOrderMark: bom, to: handle)
            } else {
                try exporter.exportLong(format: exportFormat, byteOrderMark: bom, to: handle)
            }
            if let codebook {
                guard FileManager.default.createFile(atPath: codebook, contents: Data((Codebook.json(rankingMinimumCases: try exporter.rankingMinimumCases()).serialized(indent: 2) + "\n").utf8)) else {
                    throw ValidationError("cannot write \(codebook)")
                }
            }
        } catch let error as NianbaoError {
            FileHandle.standardError.write(Data("nianbao: \(error)\n".utf8))
            throw ExitCode(1)
        } catch let error as NSError where error.domain == NSPOSIXErrorDomain && error.code == Int(EPIPE)
                    || (error.userInfo[NSUnderlyingErrorKey] as? NSError)?.code == Int(EPIPE) {
            // The reader went away (`export … | head`): nothing more to write, not a failure.
            return
        }
    }
}
