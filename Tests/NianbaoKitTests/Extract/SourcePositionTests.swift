import XCTest
import NianbaoHTML
@testable import NianbaoKit

/// Issue 17, provenance: every figure says where in its document it was read, and that place holds its text.
final class SourcePositionTests: XCTestCase {
    let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("samples")

    /// A markdown report: 本年新收 45 is on the line that prints it, in the cell that prints it.
    func testAMarkdownFigureNamesItsLineAndColumn() throws {
        let text = try String(contentsOf: samples.appendingPathComponent("xiyang_county_2024.md"), encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let number = try XCTUnwrap(lines.firstIndex { $0.contains("| 41 | 2 | 0 | 0 | 1 | 1 | 45 |") }) + 1
        let cells = lines[number - 1].split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast()
            .map { $0.trimmingCharacters(in: .whitespaces) }
        let column = try XCTUnwrap(cells.lastIndex(of: "45")) + 1
        let read = try XCTUnwrap(report(processText(text, name: "xiyang.md")))
        let cell = try XCTUnwrap(read.cells.first { $0.table == .requests && $0.row == "new" && $0.col == "total" })
        XCTAssertEqual(cell.origin?.description, "line \(number), column \(column)")
        XCTAssertTrue(ReportJSON.encode(read).serialized().contains("\"position\":\"line \(number), column \(column)\""))
    }

    /// An HTML table with a merged header: the grid column counts the spans, as a browser lays them out.
    func testAnHTMLFigureNamesItsTableRowAndGridColumn() throws {
        let html = try String(contentsOf: samples.appendingPathComponent("qinghe_county_2019.html"), encoding: .utf8)
        let read = try XCTUnwrap(report(processText(html, name: "qinghe.html")))
        let extracted = try Extractor().extract(Decoder().decode(SourceDocument(source: "qinghe.html", bytes: Array(html.utf8))))
        try assertPositionsHoldTheirText(read, extracted)
    }

    /// A PDF's text: lines are counted per page (pdftotext ends a page with a form feed).
    func testPDFTextLinesAreCountedPerPage() throws {
        let text = try String(contentsOf: samples.appendingPathComponent("nanshan_health_2023.txt"), encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // The table 三 heading starts page 2.
        let heading = try XCTUnwrap(lines.firstIndex { $0.contains("三、收到和处理政府信息公开申请情况") })
        lines[heading] = "\u{0C}" + lines[heading]
        var decoded = try Decoder().decode(SourceDocument(source: "nanshan.txt", bytes: Array(lines.joined(separator: "\n").utf8)))
        decoded.kind = .pdf
        let extracted = try Extractor().extract(decoded)
        let read = try Normalizer().normalize(extracted)
        let new = try XCTUnwrap(read.cells.first { $0.table == .requests && $0.row == "new" && $0.col == "total" }?.origin)
        XCTAssertEqual(new.page, 2)
        let row = try XCTUnwrap(new.line)
        XCTAssertTrue(lines[heading + row - 1].contains(read.cells.first { $0.table == .requests && $0.row == "new" && $0.col == "total" }!.raw))
        let regulations = try XCTUnwrap(read.cells.first { $0.table == .active }?.origin)
        XCTAssertEqual(regulations.page, 1)
    }

    /// Every sample: each figure's position holds the figure's printed text (a cell of that grid row and column,
    /// or the line or lines named), and nearly every figure has one.
    func testEveryPositionInTheSamplesHoldsItsFigure() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: samples.path)
            .filter { name in [".html", ".txt", ".md"].contains { name.hasSuffix($0) } && !name.contains("oldformat") && name != "README.md" }.sorted()
        XCTAssertGreaterThanOrEqual(names.count, 7)
        for name in names {
            let bytes = Array(try Data(contentsOf: samples.appendingPathComponent(name)))
            let decoded = try Decoder().decode(SourceDocument(source: name, bytes: bytes))
            let extracted = try Extractor().extract(decoded)
            guard let read = try? Normalizer().normalize(extracted) else { XCTFail("\(name) was not read"); continue }
            try assertPositionsHoldTheirText(read, extracted, name: name)
        }
    }

    func assertPositionsHoldTheirText(_ read: Report, _ extracted: ExtractedDocument, name: String = "", file: StaticString = #filePath, line: UInt = #line) throws {
        let figures = read.cells.filter { $0.state == .number }
        XCTAssertGreaterThan(figures.count, 50, name, file: file, line: line)
        let placed = figures.filter { $0.origin != nil }
        XCTAssertGreaterThanOrEqual(placed.count * 10, figures.count * 9, "\(name): \(figures.count - placed.count) figures without a position", file: file, line: line)
        let lines = extracted.decoded.text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).map(String.init)
        for cell in placed {
            let position = cell.origin!
            let place = "\(name) \(cell.table.rawValue).\(cell.row).\(cell.col) at \(position)"
            if let table = position.table, let row = position.row {
                let rows = extracted.rows.filter { $0.origin?.table == table && $0.origin?.row == row }
                XCTAssertEqual(rows.count, 1, place, file: file, line: line)
                if let column = position.column {
                    XCTAssertEqual(rows.first?.cells.first { $0.column == column }?.text, cell.raw, place, file: file, line: line)
                } else {
                    XCTAssertTrue(rows.first?.joinedText.contains(cell.raw) == true, place, file: file, line: line)
                }
            } else if let first = position.line, extracted.decoded.kind != .pdf {
                let span = lines[(first - 1)...((position.lastLine ?? first) - 1)].joined().filter { !$0.isWhitespace }
                XCTAssertTrue(span.contains(cell.raw.filter { !$0.isWhitespace }), place, file: file, line: line)
                if let column = position.column, position.lastLine == nil {
                    let row = extracted.rows.first { $0.origin?.line == first }
                    XCTAssertEqual(row?.cells.first { $0.column == column }?.text, cell.raw, place, file: file, line: line)
                }
            } else if position.table == nil {
                XCTFail("\(place): neither a table row nor a line", file: file, line: line)
            }
        }
    }
}

extension SourcePositionTests {
    /// The grid column counts the columns a `colspan` covers, and a `rowspan` cell is in each row it covers.
    func testGridColumnsCountSpans() {
        let table = HTMLTable(rows: [
            [HTMLCell(fragments: ["申请人"], rowSpan: 2), HTMLCell(fragments: ["自然人"]), HTMLCell(fragments: ["法人"], colSpan: 2), HTMLCell(fragments: ["总计"])],
            [HTMLCell(fragments: ["3"]), HTMLCell(fragments: ["4"]), HTMLCell(fragments: ["5"]), HTMLCell(fragments: ["12"])],
        ])
        let rows = TableGrid.rows(of: table, tableIndex: 2)
        XCTAssertEqual(rows.map { $0.origin?.description }, ["table 3, row 1", "table 3, row 2"])
        XCTAssertEqual(rows[0].cells.map(\.column), [1, 2, 3, 5])
        XCTAssertEqual(rows[1].cells.map { "\($0.text)@\($0.column ?? 0)" }, ["申请人@1", "3@2", "4@3", "5@4", "12@5"])
    }

    /// The stored text of a position is the parts, in order, joined by ", " (as written before it was built in one
    /// String), for every combination of parts.
    func testDescriptionOfEveryCombination() {
        func reference(_ p: SourcePosition) -> String {
            var parts: [String] = []
            if let page = p.page { parts.append("page \(page)") }
            if let table = p.table { parts.append("table \(table)") }
            if let row = p.row { parts.append("row \(row)") }
            if let line = p.line {
                if let last = p.lastLine, last != line { parts.append("lines \(line)–\(last)") } else { parts.append("line \(line)") }
            }
            if let column = p.column { parts.append("column \(column)") }
            return parts.joined(separator: ", ")
        }
        for mask in 0..<64 {
            func value(_ bit: Int, _ number: Int) -> Int? { mask & (1 << bit) != 0 ? number : nil }
            for last in [nil, 4, 9] {
                let position = SourcePosition(table: value(0, 3), row: value(1, 12), column: value(2, 5), line: value(3, 4),
                                              lastLine: value(4, 1) == nil ? nil : last, page: value(5, 2))
                XCTAssertEqual(position.description, reference(position))
            }
        }
    }
}
