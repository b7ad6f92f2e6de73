import XCTest
@testable import NianbaoKit

/// What follows a label in a table printed run together: figures, a blank row, or something not read.
final class RunTogetherRegionTests: XCTestCase {
    func figures(_ region: String, columns: Int = 3) -> String? {
        if case let .figures(run, _) = RunTogetherRegion.read(region, columns: columns) { return run }
        return nil
    }

    func isUnreadable(_ region: String, columns: Int = 3) -> Bool {
        if case .unreadable = RunTogetherRegion.read(region, columns: columns) { return true }
        return false
    }

    func testMarksAndMeasureWordsAreCellBoundaries() {
        let dashed = figures(" 231 — 3310")
        XCTAssertEqual(dashed?.split(separator: " ").map(String.init), ["231", "—", "3310"])
        XCTAssertEqual(DigitRunSplitter.splits(dashed ?? "", into: 3), [["231", "—", "3310"]])
        XCTAssertEqual(figures(" 119起 -2起 1126起").map { $0.split(separator: " ").map(String.init) }, ["119", "-2", "1126"])
        XCTAssertEqual(figures(" 12批 376.8", columns: 2).map { $0.split(separator: " ").map(String.init) }, ["12", "376.8"])
        XCTAssertEqual(figures("4,512", columns: 1), "4512")
        // Not a thousands separator: the one cell cannot be read.
        XCTAssertEqual(DigitRunSplitter.splits(figures("4,512,3", columns: 1) ?? "", into: 1)?.count ?? 0, 0)
    }

    func testWhatMayStandBeforeAndAfterTheFigures() {
        // The rest of a long label in brackets, and headings, may stand before the figures.
        XCTAssertEqual(figures("（区分处理的，只计这一情形，不计其他情形）1000001", columns: 1), "1000001")
        XCTAssertEqual(figures("第二十条第（八）项信息内容本年收费金额（单位：万元）12.5", columns: 1), "12.5")
        // Prose may not: its figures are not the row's.
        XCTAssertTrue(isUnreadable("职能，行政强制事项由县综合行政执法局实施，全年向其移交案件线索5件", columns: 1))
        // A note's figures are never the row's: the row is blank.
        XCTAssertEqual(RunTogetherRegion.read("（注：根据有关规定，本局自2019年起不再收取）", columns: 1), .blank)
        // A sentence after the figures ends the row; anything else followed by figures cuts it.
        XCTAssertEqual(figures(" 0 表中数据统计口径为2021年1月1日至12月31日", columns: 1), "0")
        XCTAssertTrue(isUnreadable(" 12 ※ 34", columns: 2))
    }

    func testAnUnknownRowGluedToTheFiguresIsCutOff() {
        guard case let .figures(run, unknown) = RunTogetherRegion.read("00000006.其他情形1000001", columns: 7) else {
            return XCTFail("not read")
        }
        XCTAssertEqual(run, "0000000")
        XCTAssertEqual(unknown, RunTogetherRegion.UnknownRow(label: "其他情形", figures: "1000001"))
    }

    func testNarrativeFactsOfAnotherScopeSettleNothing() {
        XCTAssertEqual(NarrativeFacts.facts(in: "本级制发文件数量较上年明显减少（上年全年制发行政规范性文件15件）").count, 0)
        XCTAssertEqual(NarrativeFacts.facts(in: "本年度全县各级行政机关制发行政规范性文件27件").count, 0)
        XCTAssertEqual(NarrativeFacts.facts(in: "截至年底，县政府现行有效的行政规范性文件38件").map(\.value), [38])
    }

    func testFactsTogetherOrNotAtAll() {
        let row = TemplateSchema.table(.active, .v2021).row("normative_documents")!
        var choice = RunTogetherChoice(row: row, run: "1538", readings: [["1", "5", "38"], ["15", "3", "8"], ["1", "53", "8"]], broken: false)
        // Two facts no reading satisfies together: nothing is settled.
        choice.settle(with: [NarrativeFacts.Fact(table: .active, row: row.code, col: "issued", value: 15, quote: "a"),
                             NarrativeFacts.Fact(table: .active, row: row.code, col: "in_force", value: 38, quote: "b")])
        XCTAssertEqual(choice.readings.count, 3)
        choice.settle(with: [NarrativeFacts.Fact(table: .active, row: row.code, col: "in_force", value: 38, quote: "b")])
        XCTAssertEqual(choice.readings, [["1", "5", "38"]])
    }

    func testANumberAloneNamesNoItemOfAnotherGroup() {
        var matcher = LabelMatcher(table: .requests)
        XCTAssertEqual(matcher.match(["(四) 无法提供", "2.没有现成信息需要另行制作"]), "unavailable.needs_creation")
        XCTAssertNil(matcher.match(["3.其他"]))
        XCTAssertEqual(matcher.match(["（六）其他处理", "3.其他"]), "other.other")
    }
}
