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
    }
}
