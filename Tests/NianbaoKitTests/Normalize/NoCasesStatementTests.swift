import XCTest
@testable import NianbaoKit

/// Table 四 printed as a sentence saying there was no case.
final class NoCasesStatementTests: XCTestCase {
    func testSentencesThatDenyEveryCase() {
        XCTAssertNotNil(NoCasesStatement.quote(in: "本年度未发生因政府信息公开引起的行政复议和行政诉讼案件。"))
        XCTAssertNotNil(NoCasesStatement.quote(in: "2022年，本机关无因政府信息公开申请提起行政复议、行政诉讼的情况。"))
        XCTAssertNotNil(NoCasesStatement.quote(in: "本年度没有发生政府信息公开行政诉讼和行政复议案件"))
    }

    func testSentencesThatStateACaseOrDenyOnlyOne() {
        XCTAssertNil(NoCasesStatement.quote(in: "本年度未发生行政复议，行政诉讼1件。"))
        XCTAssertNil(NoCasesStatement.quote(in: "本年度未发生行政复议案件，发生行政诉讼案件一件。"))
        XCTAssertNil(NoCasesStatement.quote(in: "本年度未发生行政复议，但有行政诉讼两起。"))
        XCTAssertNil(NoCasesStatement.quote(in: "本年度发生行政复议2件，无行政诉讼。"))
        XCTAssertNil(NoCasesStatement.quote(in: "行政复议、行政诉讼情况见下表。"))
        // Denials of cases lost, of another year's, or with the table elsewhere (adversarial round 23).
        XCTAssertNil(NoCasesStatement.quote(in: "未发生行政复议和行政诉讼败诉情况。本年度发生行政复议3件，行政诉讼2件。"))
        XCTAssertNil(NoCasesStatement.quote(in: "本年度未发生政府信息公开行政复议和行政诉讼被纠错案件。行政复议和行政诉讼情况见附件。"))
        XCTAssertNil(NoCasesStatement.quote(in: "本年度未发生行政复议和行政诉讼案件被撤销、确认违法的情况。"))
        XCTAssertNil(NoCasesStatement.quote(in: "2021年度未发生行政复议和行政诉讼；2022年度发生行政诉讼1件。", reportYear: 2022))
        XCTAssertNil(NoCasesStatement.quote(in: "上年度未发生行政复议和行政诉讼。"))
        XCTAssertNil(NoCasesStatement.quote(in: "2022年，本机关未发生行政复议纠错和行政诉讼败诉的情况（详见附图）。", reportYear: 2022))
        XCTAssertNotNil(NoCasesStatement.quote(in: "2022年，本机关未发生因政府信息公开引起的行政复议和行政诉讼。", reportYear: 2022))
        // Round 24: plain denials in other words, and denials of losses only.
        for plain in ["因政府信息公开引起的行政复议、行政诉讼均为0件。", "本年度未收到政府信息公开行政复议申请，未发生政府信息公开行政诉讼。",
                      "本机关未因政府信息公开被申请行政复议或提起行政诉讼。", "未发生行政复议、行政诉讼（0件）。", "行政复议、行政诉讼数量均为零。",
                      "本年度行政复议0件，行政诉讼0件。", "未发生行政复议，未发生行政诉讼。", "未发生行政复议和行政诉讼案件，与上年度持平。"] {
            XCTAssertNotNil(NoCasesStatement.quote(in: plain, reportYear: 2022), plain)
        }
        XCTAssertNil(NoCasesStatement.quote(in: "本年度未发生行政复议、行政诉讼应诉失败的情况。"))
        XCTAssertNil(NoCasesStatement.quote(in: "本年度未发生行政复议、行政诉讼被改判的情况。"))
        XCTAssertNil(NoCasesStatement.quote(in: "本年度行政复议0件，行政诉讼1件。"))
    }
}
