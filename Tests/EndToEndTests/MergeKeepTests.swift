import XCTest
@testable import NianbaoKit

/// What a merge keeps when shards disagree, as a run would (adv26: merges deleted reports a run keeps).
final class MergeKeepTests: XCTestCase {
    /// An address that served one agency's report and then another's: a run keeps both; a merge of the two nights'
    /// shards deleted the first, in either order.
    func testAnAddressThatServesAnotherReportKeepsTheFirstInAMerge() throws {
        _ = try Paths.requireBinary()
        let directory = Paths.temporary()
        let inputs = directory.appendingPathComponent("inputs")
        try FileManager.default.createDirectory(at: inputs, withIntermediateDirectories: true)
        let file = inputs.appendingPathComponent("latest.html")
        let config = directory.appendingPathComponent("pipeline.json")
        try Data(#"{"sources": [{"path": "inputs"}], "database": "older.sqlite"}"#.utf8).write(to: config)
        try FileManager.default.copyItem(at: Paths.samples.appendingPathComponent("qinghe_county_2019.html"), to: file)
        XCTAssertEqual(try Paths.run(["run", "--config", config.path, "--quiet"]).status, 0)
        sleep(1)   // timestamps have one-second resolution
        try FileManager.default.removeItem(at: file)
        try FileManager.default.copyItem(at: Paths.samples.appendingPathComponent("songxi_town_2022_gbk.html"), to: file)
        let newer = directory.appendingPathComponent("newer.sqlite").path, older = directory.appendingPathComponent("older.sqlite").path
        XCTAssertEqual(try Paths.run(["run", "--config", config.path, "--quiet", "--database", newer]).status, 0)
        for (name, order) in [("a.sqlite", [older, newer]), ("b.sqlite", [newer, older])] {
            let merged = directory.appendingPathComponent(name).path
            let result = try Paths.run(["merge", "--into", merged] + order)
            XCTAssertEqual(result.status, 0, result.err)
            let years = try SQLiteConnection(path: merged).query("SELECT year FROM reports_canonical ORDER BY year").map { $0[0].integer }
            XCTAssertEqual(years, [2019, 2022], "merge order \(order): \(result.out)")
        }
    }

    /// A shard that cannot be read is said, and the others are merged (the identity step runs over them): a merge of a
    /// good shard and a broken one wrote the good one, then failed naming only the broken one, its new report out of
    /// the views.
    func testABrokenShardIsSaidAndTheOthersAreMerged() throws {
        _ = try Paths.requireBinary()
        let directory = Paths.temporary()
        let inputs = directory.appendingPathComponent("inputs")
        try FileManager.default.copyItem(at: Paths.samples, to: inputs)
        let config = directory.appendingPathComponent("pipeline.json")
        try Data(#"{"sources": [{"path": "inputs"}], "database": "good.sqlite"}"#.utf8).write(to: config)
        XCTAssertEqual(try Paths.run(["run", "--config", config.path, "--quiet"]).status, 0)
        let broken = directory.appendingPathComponent("broken.sqlite")
        try Data(repeating: 0x5A, count: 8192).write(to: broken)
        let merged = directory.appendingPathComponent("merged.sqlite").path
        let result = try Paths.run(["merge", "--into", merged, directory.appendingPathComponent("good.sqlite").path, broken.path])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.out.contains("failed: \(broken.path)") && result.err.contains("1 of 2 shards not merged"), result.out + result.err)
        func visible(_ database: String) throws -> Int64? {
            try SQLiteConnection(path: database).query("SELECT count(*) FROM reports_canonical").first?.first?.integer
        }
        XCTAssertEqual(try visible(merged), try visible(directory.appendingPathComponent("good.sqlite").path))
        XCTAssertGreaterThanOrEqual(try visible(merged) ?? 0, Int64(Paths.loadableSamples))
    }
}
