import XCTest
@testable import NianbaoKit

final class LabelMatcherTests: XCTestCase {
    func testFolding() {
        XCTAssertEqual(LabelFolding.fold("3.危及“三安全一稳定”"), "3危及三安全一稳定")
        XCTAssertEqual(LabelFolding.fold("不予公開"), "不予公开")
        XCTAssertEqual(LabelFolding.fold("⼀、本年新收"), "一本年新收")  // Kangxi radical ⼀ → 一
        XCTAssertEqual(LabelFolding.stripMarkers("（三）不予公开").markers, [.chinese(3)])
        XCTAssertEqual(LabelFolding.stripMarkers("1、属于国家秘密").markers, [.arabic(1)])
        XCTAssertEqual(LabelFolding.stripMarkers("1.5万元").markers, [])
    }

    /// 三、本年度办理结果 cut where the table breaks across pages (its 果 on the next page), as a scan reads it.
    func testOutcomeGroupLabelCutAtPageBreak() {
        var matcher = LabelMatcher(table: .requests)
        XCTAssertEqual(matcher.match(["三、本年度办理结 (一)予以公开"]), "granted")
        XCTAssertEqual(matcher.match(["三、本年度办理结困 (七)总计"]), "total")
    }

    func testRequestsRowsWithRememberedGroup() {
        var matcher = LabelMatcher(table: .requests)
        XCTAssertEqual(matcher.match(["一、本年新收政府信息公开申请数量"]), "new")
        XCTAssertEqual(matcher.match(["三、本年度办理结果", "(一) 予以公开"]), "granted")
        XCTAssertEqual(matcher.match(["(二) 部分公开（区分处理的，只计这一情形，不计其他情形）"]), "partially_granted")
        XCTAssertEqual(matcher.match(["(三) 不予公开", "1.属于国家秘密"]), "withheld.state_secret")
        XCTAssertEqual(matcher.match(["2.其他法律行政止公开"]), "withheld.prohibited_by_law")  // typo, group remembered
        XCTAssertEqual(matcher.match(["(四) 无法提供", "3、补正后申请内容仍不明确"]), "unavailable.unclear")
        XCTAssertEqual(matcher.match(["（六）其他处理"]), "other")
        XCTAssertEqual(matcher.match(["（六）其他处理", "3.其他"]), "other.other")
        XCTAssertEqual(matcher.match(["（七）总计"]), "total")
        XCTAssertEqual(matcher.match(["四、结转下年度继续办理"]), "carried_forward")
        XCTAssertNil(matcher.match(["与本表无关的一行"]))
    }

    func testNotesAndMarksInLabels() {
        XCTAssertEqual(LabelMatcher.withoutNotes("（七）总计（注1）"), "（七）总计")
        XCTAssertEqual(LabelMatcher.withoutNotes("（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
                       "（二）部分公开（区分处理的，只计这一情形，不计其他情形）")
        var matcher = LabelMatcher(table: .requests)
        XCTAssertEqual(matcher.match(["（七）总计①"]), "total")
        XCTAssertEqual(matcher.match(["（七）总　　计"]), "total")
    }

    func testActiveAndAppealsRows() {
        var active = LabelMatcher(table: .active)
        XCTAssertEqual(active.match(["行政规范性文件"]), "normative_documents")
        XCTAssertEqual(active.match(["规范性文件"]), "normative_documents")
        XCTAssertEqual(active.match(["其他对外管理服务事项"]), "other_services")
        XCTAssertEqual(active.match(["規章"]), "regulations")
        var appeals = LabelMatcher(table: .appeals)
        XCTAssertEqual(appeals.match(["行政诉讼", "未经复议直接起诉"]), "suit_direct")
        XCTAssertEqual(appeals.match(["复议后起诉"]), "suit_after_review")
        XCTAssertEqual(appeals.match(["行政复议"]), "review")
    }
}
