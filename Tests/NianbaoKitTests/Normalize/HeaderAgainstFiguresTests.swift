import XCTest
@testable import NianbaoKit

/// A header that moves table 三's 总计 is judged by the figures under it.
final class HeaderAgainstFiguresTests: XCTestCase {
    private let rows = [
        RowLayout(labels: ["一、本年新收政府信息公开申请数量"], slots: ["96", "18", "4", "10", "12", "6", "146"]),
        RowLayout(labels: ["二、上年结转政府信息公开申请数量"], slots: ["2", "1", "3", "0", "1", "2", "9"]),
    ]

    /// 总计 named over the sixth figure, 其他 over the last: the last is the sum in every row, so the header is refuted.
    func testTotalMovedAgainstTheFigures() {
        let slid = [0, 1, 2, 3, 4, 6, 5]
        XCTAssertEqual(TableReader.totalsVerdict(rows) { _ in slid }, .byPosition)
        let slidAndSwapped = [0, 2, 1, 3, 4, 6, 5]
        XCTAssertEqual(TableReader.totalsVerdict(rows) { _ in slidAndSwapped }, .neither)
    }

    /// A header that keeps 总计 where the sum is, or moves only the parts, stands.
    func testHeaderThatTheFiguresAllow() {
        XCTAssertEqual(TableReader.totalsVerdict(rows) { _ in [0, 2, 1, 3, 4, 5, 6] }, .headerStands)
        let totalFirst = [RowLayout(labels: ["a"], slots: ["146", "96", "18", "4", "10", "12", "6"]),
                          RowLayout(labels: ["b"], slots: ["9", "2", "1", "3", "0", "1", "2"])]
        XCTAssertEqual(TableReader.totalsVerdict(totalFirst) { _ in [1, 2, 3, 4, 5, 6, 0] }, .headerStands)
        // One row is no proof.
        XCTAssertEqual(TableReader.totalsVerdict(Array(rows.prefix(1))) { _ in [0, 1, 2, 3, 4, 6, 5] }, .headerStands)
    }
}
