import XCTest
@testable import NianbaoKit

/// How a cut HTML page is told: its last `<table>` never closed, or no closing `</body>`/`</html>` — found on the
/// bytes, in any case.
final class CutPageTests: XCTestCase {
    /// The rule as it was, on a lowercased String through Foundation.
    func stringRule(_ bytes: [UInt8]) -> Bool {
        let tail = String(decoding: bytes.suffix(65_536), as: UTF8.self).lowercased()
        guard let open = tail.range(of: "<table", options: .backwards) else { return false }
        return tail.range(of: "</table", options: .backwards).map { $0.lowerBound > open.lowerBound } != true
    }

    func bytesRule(_ bytes: [UInt8]) -> Bool {
        let tail = bytes[...].suffix(65_536)
        guard let open = Normalizer.lastTag("<table", in: tail) else { return false }
        return (Normalizer.lastTag("</table", in: tail) ?? -1) <= open
    }

    func testSameAnswersAsTheStringRule() {
        let pieces = ["<table", "<TABLE", "<Table>", "</table>", "</TABLE", "</tAbLe", "<tabl", "table", "<", "/", "x", "表", " ",
                      "<td>1</td>", "\u{130}", "\u{212A}", "</html>", "<tables"]
        var state: UInt64 = 7
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33) % bound
        }
        var cut = 0
        for _ in 0..<5000 {
            let bytes = Array((0..<next(10)).map { _ in pieces[next(pieces.count)] }.joined().utf8)
            let expected = stringRule(bytes)
            if expected { cut += 1 }
            XCTAssertEqual(bytesRule(bytes), expected, String(decoding: bytes, as: UTF8.self))
            XCTAssertEqual(Normalizer.endsInsideTable(bytes[...].suffix(65_536)), expected, String(decoding: bytes, as: UTF8.self))
        }
        XCTAssertGreaterThan(cut, 100)
        // Only the last 64 KB are looked at.
        let long = Array(("<table>" + String(repeating: "x", count: 70_000) + "</table>").utf8)
        XCTAssertEqual(bytesRule(long), stringRule(long))
    }

    /// A crawler's export runs each table into one line of text (prose to the splitter): a copy cut inside a figure
    /// ("…行政许可1069" of 10690) loaded, the cut figure stored (adv26).
    func testRunTogetherTextCutInsideAFigureIsAFailure() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Support/regression/dongtai_county_2022_narr_countywide_oneline.txt")
        let whole = try String(contentsOf: url, encoding: .utf8)
        guard case .report = processText(whole, name: "whole.txt") else { return XCTFail("the whole export reads") }
        // Cut after each figure digit in the tables' part of the text, with no line end.
        var cuts = 0
        for (offset, character) in whole.enumerated() where character.isASCII && character.isNumber && offset > whole.count / 3 {
            let cut = String(whole.prefix(offset + 1))
            guard !cut.hasSuffix("\n") else { continue }
            if case let .report(_, report) = processText(cut, name: "cut.txt") {
                let full = Dictionary(uniqueKeysWithValues: (try XCTUnwrap(wholeReport(whole))).cells.map { ("\($0.table).\($0.row).\($0.col)", $0.value) })
                for cell in report.cells where cell.state == .number {
                    XCTAssertEqual(cell.value, full["\(cell.table).\(cell.row).\(cell.col)"] ?? nil, "cut at \(offset): \(cell.table).\(cell.row).\(cell.col)")
                }
            }
            cuts += 1
            if cuts >= 120 { break }
        }
        XCTAssertGreaterThan(cuts, 50)
    }

    private func wholeReport(_ text: String) -> Report? {
        if case let .report(_, report) = processText(text, name: "whole.txt") { return report }
        return nil
    }

    func testAnUpperCasePageCutInsideATableIsAFailure() {
        let cut = "<HTML><BODY><P>二、主动公开政府信息情况</P><TABLE><TR><TD>规章</TD><TD>1"
        guard case let .failed(_, failure, _) = processText(cut, name: "cut.html") else { return XCTFail("a cut page is a failure") }
        XCTAssertTrue(failure.reason.contains("ends inside a table"), failure.reason)
        let whole = "<HTML><BODY><P>二、主动公开政府信息情况</P><TABLE><TR><TD>规章</TD><TD>1</TD></TR></TABLE></BODY></HTML>"
        if case let .failed(_, failure, _) = processText(whole, name: "whole.html") {
            XCTAssertFalse(failure.reason.contains("ends inside a table") || failure.reason.contains("no closing"), failure.reason)
        }
    }
}
