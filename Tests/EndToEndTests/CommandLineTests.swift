import XCTest
@testable import NianbaoKit

/// The `nianbao` binary as a user runs it (skipped when it is not built).
final class CommandLineTests: XCTestCase {
    func testExtractJSONOfTheSeed() throws {
        let corpus = try Paths.requireCorpus()
        let name = "henan_zhumadian_city_2019.txt"
        let result = try Paths.run(["extract", corpus.appendingPathComponent(name).path, "--json"])
        XCTAssertEqual(result.status, 0, result.err)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any])
        XCTAssertEqual(object["agency"] as? String, "驻马店市人民政府")
        XCTAssertEqual(object["year"] as? Int, 2019)
        XCTAssertEqual(object["tables"] as? [String: String], ["active": "2019", "requests": "2019", "appeals": "2019"])
        let expected = try ExpectedReport.load(path: corpus.appendingPathComponent(name + ".expected.json").path)
        let cells = try XCTUnwrap(object["cells"] as? [[String: Any]])
        var printed: [String: Double?] = [:]
        for cell in cells {
            let key = "\(cell["table"]!)|\(cell["row"]!)|\(cell["col"]!)"
            printed.updateValue((cell["value"] as? NSNumber)?.doubleValue, forKey: key)
            XCTAssertNotNil(cell["state"] as? String)
            XCTAssertNotNil(cell["raw"] as? String)
        }
        XCTAssertEqual(printed.count, expected.cells.count)
        for cell in expected.cells {
            XCTAssertEqual(printed["\(cell.table.rawValue)|\(cell.row)|\(cell.col)"], .some(cell.value), "\(cell.table).\(cell.row).\(cell.col)")
        }
        let findings = try XCTUnwrap(object["findings"] as? [[String: Any]])
        XCTAssertFalse(findings.contains { $0["severity"] as? String == "error" })
    }

    func testExitCodes() throws {
        let directory = Paths.temporary()
        let empty = directory.appendingPathComponent("empty.txt")
        try Data().write(to: empty)
        let extract = try Paths.run(["extract", empty.path, "--json"])
        XCTAssertEqual(extract.status, 1)
        XCTAssertTrue(extract.err.contains("empty"), extract.err)

        let badConfig = directory.appendingPathComponent("bad.json")
        try Data(#"{"sources": [{"path": "."}], "workerz": 1}"#.utf8).write(to: badConfig)
        let run = try Paths.run(["run", "--config", badConfig.path])
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.err.contains("workerz"), run.err)

        let goodConfig = directory.appendingPathComponent("good.json")
        try Data(#"{"sources": [{"path": "\#(Paths.samples.path)"}], "database": "out/n.sqlite"}"#.utf8).write(to: goodConfig)
        let good = try Paths.run(["run", "--config", goodConfig.path, "--quiet"])
        XCTAssertEqual(good.status, 0, good.out + good.err)
        XCTAssertTrue(FileManager.default.fileExists(atPath: directory.appendingPathComponent("out/n.sqlite").path))
        XCTAssertEqual(try Paths.run(["--help"]).status, 0)
    }
}
