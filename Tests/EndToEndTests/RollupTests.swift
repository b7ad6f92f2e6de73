import XCTest
@testable import NianbaoKit

/// Issue 17, roll-ups: a government's own report beside the sum of its children's, and province and city totals.
final class RollupTests: XCTestCase {
    /// 宿迁市 (321300) publishes a report that adds up its two counties and one of its departments, except two
    /// reviews more; 沭阳县's report of the year before is not one of its children of 2022.
    func testRollupFindsTheDifferenceOnlyWhereTheSumDiffers() throws {
        let directory = Paths.temporary()
        let inbox = directory.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        let children = [
            IdentityTests.report(seed: 61, agency: "沭阳县人民政府", year: 2022),
            IdentityTests.report(seed: 62, agency: "泗阳县人民政府", year: 2022),
            IdentityTests.report(seed: 63, agency: "宿迁市教育局", year: 2022),
        ]
        var city = IdentityTests.report(seed: 64, agency: "宿迁市人民政府", year: 2022)
        for table in [TableCode.requests, .appeals] {
            var sums: [String: [String: String]] = [:]
            for child in children {
                for (row, columns) in child.cells[table] ?? [:] {
                    for (column, text) in columns {
                        let value = (Int(sums[row]?[column] ?? "0") ?? 0) + (Int(text) ?? 0)
                        sums[row, default: [:]][column] = String(value)
                    }
                }
            }
            city.cells[table] = sums
        }
        func add(_ row: String, _ column: String, _ amount: Int) {
            city.cells[.appeals]![row]![column] = String(Int(city.cells[.appeals]![row]![column]!)! + amount)
        }
        add("review", "upheld", 2)
        add("review", "total", 2)
        for (index, child) in children.enumerated() {
            try IdentityTests.write(child, layout: .html, to: inbox.appendingPathComponent("child\(index).html"))
        }
        try IdentityTests.write(city, layout: .html, to: inbox.appendingPathComponent("city.html"))
        try IdentityTests.write(IdentityTests.report(seed: 65, agency: "沭阳县人民政府", year: 2021), layout: .html,
                                to: inbox.appendingPathComponent("shuyang2021.html"))
        // A county of another city the same year whose table 三 was not read: in the province's county total it is a
        // report whose figure is unknown, not a report that does not exist.
        let xiyang = try String(contentsOf: Paths.samples.appendingPathComponent("xiyang_county_2024.md"), encoding: .utf8)
            .replacingOccurrences(of: "西阳县", with: "淮安市清江浦区").replacingOccurrences(of: "2024年", with: "2022年")
            .replacingOccurrences(of: "2025年", with: "2023年")
        let lines = xiyang.components(separatedBy: "\n")
        let three = try XCTUnwrap(lines.firstIndex { $0.contains("三、收到和处理") }), four = try XCTUnwrap(lines.firstIndex { $0.contains("四、") && $0.contains("复议") })
        try (lines[..<three] + lines[four...]).joined(separator: "\n").write(to: inbox.appendingPathComponent("qingjiangpu.md"), atomically: true, encoding: .utf8)
        var config = PipelineConfiguration(baseDirectory: directory)
        config.sources = [.path(inbox.path)]
        config.database = "db.sqlite"
        _ = try Pipeline(configuration: config).run()
        let database = directory.appendingPathComponent("db.sqlite").path
        let connection = try AnalystViews.open(database)

        func figure(_ table: TableCode, _ row: String, _ column: String, _ reports: [SyntheticReport]) -> Double {
            reports.reduce(0) { $0 + (Double($1.cells[table]?[row]?[column] ?? "") ?? .nan) }
        }
        let newTotal = try connection.query("""
            SELECT own_value, children, children_known, children_sum, difference, children_levels FROM rollups
            WHERE agency_key = '321300' AND year = 2022 AND measure = 'requests.new.total'
            """)
        XCTAssertEqual(newTotal.count, 1)
        XCTAssertEqual(newTotal.first?[0].real, figure(.requests, "new", "total", children))
        XCTAssertEqual(newTotal.first?[1].integer, 3)
        XCTAssertEqual(newTotal.first?[2].integer, 3)
        XCTAssertEqual(newTotal.first?[3].real, figure(.requests, "new", "total", children))
        XCTAssertEqual(newTotal.first?[4].real, 0)
        XCTAssertEqual(Set((newTotal.first?[5].text ?? "").split(separator: ",").map(String.init)), ["county", "department"])

        // One finding, on the measure that differs, with the children's sum as expected.
        let findings = try connection.query("""
            SELECT f.table_code, f.row_code, f.col_code, f.expected, f.actual, f.severity FROM findings f
            JOIN reports_canonical r ON r.id = f.report_id WHERE f.rule = 'rollup.mismatch'
            """)
        let reviews = figure(.appeals, "review", "total", children)
        XCTAssertEqual(findings.map { $0.map { $0.text ?? $0.real.map { String($0) } ?? "" } },
                       [["appeals", "review", "total", String(reviews), String(reviews + 2), "info"]])
        XCTAssertEqual(try connection.query("SELECT agency FROM reports_canonical r JOIN findings f ON f.report_id = r.id WHERE f.rule = 'rollup.mismatch'")
            .first?.first?.text, "宿迁市")

        // Province totals, one level at a time: the two counties, not the city that counts them again.
        let totals = try connection.query("""
            SELECT value, reports, reports_known FROM area_totals
            WHERE scope = 'province' AND area_code = '320000' AND year = 2022 AND level = 'county' AND measure = 'requests.new.total'
            """)
        XCTAssertEqual(totals.first.map { $0.map(\.real) }, [nil, 3, 2])
        XCTAssertEqual(try connection.query("""
            SELECT known_sum FROM area_totals WHERE scope = 'province' AND area_code = '320000' AND year = 2022 AND level = 'county'
            AND measure = 'requests.new.total'
            """).first?.first?.real, figure(.requests, "new", "total", Array(children.prefix(2))))
        let city2022 = try connection.query("""
            SELECT reports FROM area_totals WHERE scope = 'city' AND area_code = '321300' AND year = 2022 AND level = 'city'
            AND measure = 'requests.new.total'
            """)
        XCTAssertEqual(city2022.first?.first?.integer, 1)

        // A rerun recomputes the same finding, not a second one.
        _ = try Pipeline(configuration: config).run()
        XCTAssertEqual(try connection.query("SELECT count(*) FROM findings WHERE rule = 'rollup.mismatch'").first?.first?.integer, 1)

        // The HTML report lists the mismatch and the totals, and charts one level at a time: the city's report is not
        // added to its counties'.
        let html = try HTMLReportWriter(database: database).render()
        let section = try XCTUnwrap(html.range(of: "<h2>Roll-ups</h2>"))
        XCTAssertTrue(html[section.upperBound...].contains("appeals.review.total"))
        XCTAssertTrue(html.contains("<h2>Province and city totals</h2>"))
        XCTAssertTrue(html.contains("Applications received per year (本年新收) — county reports (4)"), "charts by level")
        XCTAssertTrue(html.contains("Applications received per year (本年新收) — city reports (1)"))
        XCTAssertFalse(html.contains("Applications received per year (本年新收)</text>"), "a chart of every level added up")

        // An analyst corrects the city's figure to its children's sum: the mismatch goes at once, before any run.
        let corrected = try Paths.run(["correct", "--db", database, "--agency", "宿迁市人民政府", "--year", "2022", "--cell", "appeals.review.total",
                                       "--value", String(Int(reviews)), "--reason", "aggregation error"])
        XCTAssertEqual(corrected.status, 0, corrected.err)
        XCTAssertEqual(try connection.query("SELECT count(*) FROM findings WHERE rule = 'rollup.mismatch'").first?.first?.integer, 0)
    }
}
