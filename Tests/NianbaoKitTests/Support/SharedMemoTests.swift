import Foundation
import XCTest
@testable import NianbaoKit

final class SharedMemoTests: XCTestCase {
    /// A value is worked out once per key, nil results included, and the memo starts over when full.
    func testRemembersUntilFull() {
        let memo = SharedMemo<String, Int?>(capacity: 3)
        var computed: [String] = []
        func value(_ key: String) -> Int? {
            memo.value(for: key) { key in
                computed.append(key)
                return key == "none" ? nil : key.count
            }
        }
        XCTAssertEqual(value("报告"), 2)
        XCTAssertEqual(value("报告"), 2)
        XCTAssertNil(value("none"))
        XCTAssertNil(value("none"))
        XCTAssertEqual(computed, ["报告", "none"])
        XCTAssertEqual(value("abc"), 3)
        // Full (3 entries): the fourth key empties it, and the first is worked out again.
        XCTAssertEqual(value("abcd"), 4)
        XCTAssertEqual(value("报告"), 2)
        XCTAssertEqual(computed, ["报告", "none", "abc", "abcd", "报告"])
    }

    /// Workers share it: every thread gets the function's value.
    func testConcurrentUse() {
        final class Count: @unchecked Sendable {
            let lock = NSLock()
            var value = 0
            func add() { lock.lock(); value += 1; lock.unlock() }
        }
        let memo = SharedMemo<Int, Int>(capacity: 64)
        let mismatches = Count(), lookups = Count()
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            for index in 0..<5_000 {
                let key = (index * 7 + worker) % 200
                if memo.value(for: key, compute: { $0 * $0 }) != key * key { mismatches.add() }
                if index % 1_000 == 0 { lookups.add() }
            }
        }
        XCTAssertEqual(lookups.value, 40)
        XCTAssertEqual(mismatches.value, 0)
    }
}
