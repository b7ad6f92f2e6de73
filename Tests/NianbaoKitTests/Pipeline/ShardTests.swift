import XCTest
@testable import NianbaoKit

final class ShardTests: XCTestCase {
    func testParsingAndEnvironment() throws {
        XCTAssertEqual(try Shard(parsing: "2/8"), try Shard(index: 2, count: 8))
        XCTAssertThrowsError(try Shard(parsing: "8/8"))
        XCTAssertThrowsError(try Shard(parsing: "a/b"))
        XCTAssertEqual(try Shard.fromEnvironment(["JOB_COMPLETION_INDEX": "3", "NIANBAO_SHARD_COUNT": "4"]), try Shard(index: 3, count: 4))
        XCTAssertEqual(try Shard.fromEnvironment(["SLURM_ARRAY_TASK_ID": "5", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_COUNT": "8"]),
                       try Shard(index: 4, count: 8))
        XCTAssertEqual(try Shard.fromEnvironment(["NIANBAO_SHARD": "0/2"]), try Shard(index: 0, count: 2))
        XCTAssertNil(try Shard.fromEnvironment([:]))
    }

    func testEverySourceIsInExactlyOneShard() throws {
        let shards = try (0..<5).map { try Shard(index: $0, count: 5) }
        var sizes = [Int](repeating: 0, count: 5)
        for number in 0..<2000 {
            let source = "https://www.example.gov.cn/zfxxgk/\(number).html"
            let owners = shards.filter { $0.contains(source) }
            XCTAssertEqual(owners.count, 1)
            sizes[owners[0].index] += 1
        }
        XCTAssertTrue(sizes.allSatisfy { $0 > 300 }, "\(sizes)")
    }
}
