import XCTest
@testable import NianbaoKit

/// Issue 12: one report, one row — whatever the number of documents it was loaded from.
final class IdentityTests: XCTestCase {
    /// A generated report, consistent with every identity.
    static func report(seed: UInt64, agency: String? = nil, year: Int? = nil) -> SyntheticReport {
        var random = SeededGenerator(seed: seed)
        var report = SyntheticReport.generate(&random, onlyTotals: false)
        while report.formats[.requests] != TableFormat.byYear(report.year) { report = SyntheticReport.generate(&random, onlyTotals: false) }
        if let agency { report.agency = agency }
        if let year {
            let format = TableFormat.byYear(year)!
            if format != report.formats[.active] {
                var again = SyntheticReport.generate(&random, onlyTotals: false)
                while again.formats[.active] != format || again.formats[.requests] != format {
                    again = SyntheticReport.generate(&random, onlyTotals: false)
                }
                report = again
                if let agency { report.agency = agency }
            }
            report.year = year
        }
        return report
    }

    static func write(_ report: SyntheticReport, layout: SyntheticRenderer.Layout, to url: URL) throws {
        var random = SeededGenerator(seed: 5)
        try SyntheticRenderer.render(report, layout: layout, chromeBytes: 2000, random: &random).write(to: url, atomically: true, encoding: .utf8)
    }

    func run(_ directory: URL, sources: [PipelineConfiguration.Source], database: String = "db.sqlite") throws -> (RunSummary, SQLiteConnection) {
        var config = PipelineConfiguration(baseDirectory: directory)
        config.sources = sources
        config.database = database
        config.fetch.cacheDirectory = "cache"
        config.fetch.perHostDelaySeconds = 0
        let summary = try Pipeline(configuration: config).run()
        return (summary, try SQLiteConnection(path: directory.appendingPathComponent(database).path))
    }

    func scalar(_ connection: SQLiteConnection, _ sql: String) throws -> SQLiteConnection.Value? {
        try connection.query(sql).first?.first
    }

    /// Totals an analyst computes from the wide views: every figure column summed.
    func totals(_ connection: SQLiteConnection) throws -> [String: Double] {
        var result: [String: Double] = [:]
        for table in TableCode.allCases {
            for (row, col) in AnalystViews.columns(of: table) {
                result["\(table.rawValue).\(row).\(col)"] = try scalar(connection, "SELECT coalesce(sum(\"\(row).\(col)\"), 0) FROM \(table.rawValue)_wide")?.real
            }
        }
        result["reports"] = try scalar(connection, "SELECT count(*) FROM reports_canonical")?.real
        return result
    }

    /// The "Done when": the same report as HTML, text export and markdown, and one URL in two spellings,
    /// give the totals of one copy each — in the views, the export and the HTML report.
    func testOneReportFromManySourcesCountsOnce() throws {
        let directory = Paths.temporary()
        let many = directory.appendingPathComponent("many"), one = directory.appendingPathComponent("one")
        for folder in [many, one] { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
        let first = Self.report(seed: 11, agency: "青禾县人民政府", year: 2022)
        let second = Self.report(seed: 12, agency: "松溪县人民政府", year: 2021)
        try Self.write(first, layout: .html, to: many.appendingPathComponent("qinghe.html"))
        try Self.write(first, layout: .tabs, to: many.appendingPathComponent("qinghe-export.txt"))
        try Self.write(first, layout: .markdown, to: many.appendingPathComponent("qinghe.md"))
        try Self.write(second, layout: .html, to: many.appendingPathComponent("songxi.html"))
        try Self.write(first, layout: .html, to: one.appendingPathComponent("qinghe.html"))
        try Self.write(second, layout: .html, to: one.appendingPathComponent("songxi.html"))
        // A third report, served over HTTP and listed twice: raw and percent-encoded, with a fragment.
        let server = try FaultServer()
        defer { server.stop() }
        let urls = [server.url("/reports/linchuan_transport_2021.html"), server.url("/reports/linchuan%5Ftransport_2021.html#top")]
        try urls.joined(separator: "\n").write(to: directory.appendingPathComponent("many.txt"), atomically: true, encoding: .utf8)
        try urls[0].write(to: directory.appendingPathComponent("one.txt"), atomically: true, encoding: .utf8)

        let (manySummary, manyDB) = try run(directory, sources: [.path(many.path), .urls("many.txt")], database: "many.sqlite")
        let (_, oneDB) = try run(directory, sources: [.path(one.path), .urls("one.txt")], database: "one.sqlite")
        XCTAssertEqual(manySummary.loaded, 5, "\(manySummary.failures)")
        XCTAssertEqual(try scalar(manyDB, "SELECT count(*) FROM reports")?.integer, 5)
        XCTAssertEqual(try scalar(manyDB, "SELECT count(*) FROM reports_canonical")?.integer, 3)
        XCTAssertEqual(manySummary.duplicates, 2)
        XCTAssertEqual(try totals(manyDB), try totals(oneDB))
        // The HTML copy is canonical (all three read every cell), and `reports` says why.
        let canonical = try manyDB.query("SELECT source, canonical_reason FROM reports WHERE canonical = 1 AND agency = '青禾县人民政府'")
        XCTAssertEqual(canonical.count, 1)
        XCTAssertTrue(canonical.first?[0].text?.hasSuffix("qinghe.html") == true, "\(canonical)")
        XCTAssertTrue(canonical.first?[1].text?.contains("canonical among 3 documents") == true, "\(canonical)")
        XCTAssertEqual(try scalar(manyDB, "SELECT count(*) FROM reports WHERE canonical = 0 AND canonical_reason LIKE 'duplicate of report%'")?.integer, 2)
        XCTAssertEqual(try scalar(manyDB, "SELECT count(*) FROM findings WHERE rule = 'identity.conflict'")?.integer, 0)

        // Exports and the HTML report count what the one-copy database counts.
        for table in TableCode.allCases {
            let exported = try [manyDB, oneDB].map { connection -> [String] in
                let file = directory.appendingPathComponent("\(table.rawValue)-\(UUID().uuidString).csv")
                XCTAssertTrue(FileManager.default.createFile(atPath: file.path, contents: nil))
                let handle = try FileHandle(forWritingTo: file)
                try Exporter(database: connection.path).export(table, format: .csv, byteOrderMark: false, to: handle)
                try handle.close()
                // Without report ids and sources, which differ between the two databases.
                return try String(contentsOf: file, encoding: .utf8).split(separator: "\r\n").map { line in
                    line.split(separator: ",", omittingEmptySubsequences: false).enumerated().filter { ![0, 8].contains($0.offset) }
                        .map(\.element).joined(separator: ",")
                }.sorted()
            }
            XCTAssertEqual(exported[0], exported[1], table.rawValue)
        }
        let pages = try [manyDB, oneDB].map { try HTMLReportWriter(database: $0.path).render() }
        // The report's first lead paragraph: its counts.
        let lead = pages.map { $0.components(separatedBy: "<p class=\"lead\">").dropFirst().first?.components(separatedBy: "</p>").first }
        XCTAssertEqual(lead[0], lead[1])
        XCTAssertTrue(lead[0]?.hasPrefix("3 reports of 3 agencies") == true, lead[0] ?? "")
    }

    /// Two agencies whose tables happen to hold the same figures, one of them not resolved by the registry: two
    /// reports, never one taken for a copy of the other.
    func testAnUnresolvedAgencyIsNeverTakenForAnotherWithTheSameFigures() throws {
        let directory = Paths.temporary()
        let inbox = directory.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        let xiyang = try String(contentsOf: Paths.samples.appendingPathComponent("xiyang_county_2024.md"), encoding: .utf8)
        try xiyang.replacingOccurrences(of: "西阳县", with: "泗阳县").write(to: inbox.appendingPathComponent("a.md"), atomically: true, encoding: .utf8)
        try xiyang.replacingOccurrences(of: "西阳县", with: "花园区").write(to: inbox.appendingPathComponent("b.md"), atomically: true, encoding: .utf8)
        var config = PipelineConfiguration(baseDirectory: directory)
        config.sources = [.path(inbox.path)]
        config.database = "db.sqlite"
        _ = try Pipeline(configuration: config).run()
        let connection = try AnalystViews.open(directory.appendingPathComponent("db.sqlite").path)
        XCTAssertEqual(try connection.query("SELECT count(*) FROM reports_canonical").first?.first?.integer, 2)
        XCTAssertEqual(try connection.query("SELECT count(*) FROM requests_wide").first?.first?.integer, 2)
    }

    func testConflictingDuplicateIsAFindingAndAbstentionsAreCompleted() throws {
        let directory = Paths.temporary()
        var first = Self.report(seed: 21, agency: "青禾县人民政府", year: 2022)
        try Self.write(first, layout: .html, to: directory.appendingPathComponent("a.html"))
        // A second copy whose 新收 total was printed differently: the figures disagree.
        let printed = first.text(.requests, "new", "total")
        first.cells[.requests]?["new"]?["total"] = String((Int(printed) ?? 0) + 100)
        try Self.write(first, layout: .tabs, to: directory.appendingPathComponent("b.txt"))
        let (_, connection) = try run(directory, sources: [.path(directory.path)])
        let conflicts = try connection.query("SELECT message, expected, actual FROM findings WHERE rule = 'identity.conflict'")
        XCTAssertEqual(conflicts.count, 1, "\(conflicts)")
        XCTAssertTrue(conflicts.first?[0].text?.contains("requests.new.total") == true)
        XCTAssertTrue(conflicts.first?[0].text?.contains("b.txt") == true)
        XCTAssertEqual(try scalar(connection, "SELECT count(*) FROM reports_canonical")?.integer, 1)

        // A canonical report that abstained on a cell takes it from a duplicate that read it (marked completed).
        try connection.execute("DELETE FROM cells WHERE report_id = (SELECT id FROM reports WHERE canonical = 1) AND table_code = 'appeals' AND row_code = 'review' AND col_code = 'upheld'")
        try ReportIdentity().run(on: connection)
        let completed = try connection.query("""
            SELECT c.value, c.flags, c.note, c.source_position FROM canonical_cells c JOIN reports r ON r.id = c.report_id
            WHERE r.canonical = 1 AND c.table_code = 'appeals' AND c.row_code = 'review' AND c.col_code = 'upheld'
            """)
        XCTAssertEqual(completed.count, 1)
        XCTAssertEqual(completed.first?[1].text, "completed")
        XCTAssertTrue(completed.first?[2].text?.hasPrefix("from ") == true)
        // Its position names the document it was read in, not the canonical one.
        let source = String(completed.first?[2].text?.dropFirst("from ".count) ?? "")
        XCTAssertTrue(completed.first?[3].text?.hasPrefix(source + ": ") == true, completed.first?[3].text ?? "nil")
    }

    /// 平潭综合实验区 printed three ways is one agency, and the cross-year rules run across the spellings.
    func testSpellingsOfOneAgencyLineUpAcrossYears() throws {
        let directory = Paths.temporary()
        let earlier = Self.report(seed: 31, agency: "平潭综合实验区", year: 2021)
        var later = Self.report(seed: 32, agency: "平潭综合实验区管委会", year: 2022)
        let third = Self.report(seed: 33, agency: "平潭综合实验区党工委管委会", year: 2023)
        // 2022 carries over one more than 2021 carried forward (and stays balanced itself): a chain break.
        let applicants = ["natural_person", "commercial", "research", "public_interest", "legal_services", "other_org"]
        func value(_ report: SyntheticReport, _ row: String, _ col: String) -> Int { Int(report.text(.requests, row, col)) ?? 0 }
        func set(_ row: String, _ col: String, _ number: Int) { later.cells[.requests]?[row]?[col] = String(number) }
        set("carried_over", "natural_person", value(earlier, "carried_forward", "natural_person") + 1)
        var new = value(later, "total", "natural_person") + value(later, "carried_forward", "natural_person") - value(later, "carried_over", "natural_person")
        if new < 0 {
            set("carried_forward", "natural_person", value(later, "carried_forward", "natural_person") - new)
            new = 0
        }
        set("new", "natural_person", new)
        for row in ["new", "carried_over", "carried_forward"] { set(row, "total", applicants.map { value(later, row, $0) }.reduce(0, +)) }
        try Self.write(earlier, layout: .html, to: directory.appendingPathComponent("2021.html"))
        try Self.write(later, layout: .html, to: directory.appendingPathComponent("2022.html"))
        try Self.write(third, layout: .markdown, to: directory.appendingPathComponent("2023.md"))
        let (_, connection) = try run(directory, sources: [.path(directory.path)])
        let keys = try connection.query("SELECT DISTINCT agency_key, division_code, agency FROM reports_canonical")
        XCTAssertEqual(keys.count, 1, "\(keys)")
        XCTAssertEqual(keys.first?[0].text, "350128")
        XCTAssertEqual(keys.first?[2].text, "平潭综合实验区")
        XCTAssertEqual(try scalar(connection, "SELECT count(*) FROM reports_canonical")?.integer, 3)
        let chain = try connection.query("SELECT r.year, f.col_code FROM findings f JOIN reports r ON r.id = f.report_id WHERE f.rule = 'requests.carry_chain'")
        XCTAssertTrue(chain.contains { $0[0].integer == 2022 && $0[1].text == "natural_person" }, "\(chain)")
        // 2022 itself is consistent: the break is across the years, not inside one report.
        XCTAssertEqual(try scalar(connection, "SELECT count(*) FROM findings f JOIN reports r ON r.id = f.report_id WHERE r.year = 2022 AND f.severity = 'error'")?.integer, 0)
    }

    /// A title broken before 人民政府 ("青禾县<br>人民政府…") gave the agency "人民政府": two counties became one report.
    func testNamesBrokenInTheTitleStayWhole() throws {
        let directory = Paths.temporary()
        let first = Self.report(seed: 51, agency: "青禾县人民政府", year: 2021)
        let second = Self.report(seed: 52, agency: "岚山县人民政府", year: 2021)
        var random = SeededGenerator(seed: 1)
        for (name, item, breakWith) in [("qinghe.html", first, "<br>"), ("lanshan.html", second, " ")] {
            let page = SyntheticRenderer.render(item, layout: .html, chromeBytes: 500, random: &random)
                .replacingOccurrences(of: "县人民政府2021年", with: "县\(breakWith)人民政府2021年")
            XCTAssertTrue(page.contains("县\(breakWith)人民政府2021年"))
            try page.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        let (_, connection) = try run(directory, sources: [.path(directory.path)])
        let agencies = try connection.query("SELECT agency_printed FROM reports_canonical ORDER BY 1").map { $0[0].text ?? "" }
        XCTAssertEqual(agencies, ["岚山县人民政府", "青禾县人民政府"])
        XCTAssertEqual(try scalar(connection, "SELECT count(*) FROM findings WHERE rule = 'identity.conflict'")?.integer, 0)
        XCTAssertEqual(MetadataReader.parseTitle("驻马店市 财政局2021年政府信息公开工作年度报告", previous: nil)?.agency, "驻马店市财政局")
    }

    func testDivisionColumnsAndHints() throws {
        let directory = Paths.temporary()
        let inbox = directory.appendingPathComponent("inbox")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        try Self.write(Self.report(seed: 41, agency: "驻马店市人民政府", year: 2021), layout: .html, to: inbox.appendingPathComponent("zhumadian.html"))
        // A report whose title lacks the agency: a hint gives it; another with no hint is said to lack it.
        var anonymous = Self.report(seed: 42, agency: "", year: 2022)
        anonymous.agency = ""
        try Self.write(anonymous, layout: .tabs, to: inbox.appendingPathComponent("untitled.txt"))
        var other = Self.report(seed: 44, agency: "", year: 2022)
        other.agency = ""
        try Self.write(other, layout: .tabs, to: inbox.appendingPathComponent("nohint.txt"))
        try Self.write(Self.report(seed: 43, agency: "淮安市人民政府", year: 2023), layout: .html, to: inbox.appendingPathComponent("huaian.html"))
        try "# path\tagency\tyear\ninbox/untitled.txt\t洪泽区人民政府\t\ninbox/huaian.html\t淮安市财政局\t2023\n"
            .write(to: directory.appendingPathComponent("hints.tsv"), atomically: true, encoding: .utf8)
        var config = PipelineConfiguration(baseDirectory: directory)
        config.sources = [.path("inbox")]
        config.database = "db.sqlite"
        config.hintsFile = "hints.tsv"
        _ = try Pipeline(configuration: config).run()
        let connection = try SQLiteConnection(path: directory.appendingPathComponent("db.sqlite").path)
        let zhumadian = try connection.query("SELECT division_code, level, parent_code, province_code, city_code FROM reports_canonical WHERE agency = '驻马店市'")
        XCTAssertEqual(zhumadian.first?.map(\.text), ["411700", "city", "410000", "410000", "411700"])
        XCTAssertEqual(try scalar(connection, "SELECT division_code FROM reports_canonical WHERE source LIKE '%untitled.txt'")?.text, "320813")
        XCTAssertEqual(try scalar(connection, "SELECT count(*) FROM findings f JOIN reports r ON r.id = f.report_id WHERE r.source LIKE '%nohint.txt' AND f.rule = 'metadata.missing'")?.integer, 1)
        // The hint disagrees with the printed agency: the report's own is kept, and said.
        XCTAssertEqual(try scalar(connection, "SELECT agency FROM reports WHERE source LIKE '%huaian.html'")?.text, "淮安市人民政府")
        XCTAssertEqual(try scalar(connection, "SELECT count(*) FROM findings WHERE rule = 'metadata.hint_conflict'")?.integer, 1)
        XCTAssertEqual(try scalar(connection, "SELECT count(*) FROM appeals_wide WHERE division_code = '411700' AND parent_code = '410000'")?.integer, 1)
    }

    /// The run's writer resolves each report's agency and counts its cells as it inserts it, so that the identity step
    /// after the documents does not (a quarter of the run's single-threaded end). What it stores must be what that
    /// step works out for a database whose reports it never saw: one stored before, or merged.
    func testWhatTheWriterResolvesAndCountsIsWhatTheIdentityStepWouldDecide() throws {
        let directory = Paths.temporary()
        try Self.write(Self.report(seed: 41, agency: "驻马店市人民政府", year: 2021), layout: .html, to: directory.appendingPathComponent("a.html"))
        var copy = Self.report(seed: 41, agency: "驻马店市人民政府", year: 2021)
        copy.cells[.requests]?["new"]?["total"] = "9999"
        try Self.write(copy, layout: .tabs, to: directory.appendingPathComponent("b.txt"))
        try Self.write(Self.report(seed: 43, agency: "花园区财政局", year: 2022), layout: .html, to: directory.appendingPathComponent("c.html"))
        try Self.write(Self.report(seed: 44, agency: "财政局", year: 2022), layout: .tabs, to: directory.appendingPathComponent("d.txt"))
        let (_, connection) = try run(directory, sources: [.path(directory.path)])
        let decided = """
            SELECT source, agency_key, agency_name, division_code, level, parent_code, resolved_with, canonical, canonical_reason FROM reports ORDER BY source;
            """
        let findings = "SELECT report_id, rule, severity, table_code, row_code, col_code, expected, actual, message FROM findings ORDER BY id"
        let byWriter = try connection.query(decided)
        let findingsByWriter = try connection.query(findings)
        XCTAssertEqual(byWriter.compactMap { $0[6].text }.count, 4, "every report resolved as it was inserted")
        XCTAssertEqual(try scalar(connection, "SELECT count(*) FROM reports WHERE read_cells = (SELECT count(*) FROM cells WHERE report_id = reports.id)")?.integer, 4)
        XCTAssertEqual(findingsByWriter.filter { $0[1].text == Rule.identityConflict.rawValue }.count, 1)
        XCTAssertEqual(findingsByWriter.filter { $0[1].text == Rule.agencyUnresolved.rawValue }.count, 2)

        // The same database as an older version left it: nothing resolved, no cell counts.
        try connection.execute("""
            UPDATE reports SET agency_key = NULL, agency_name = NULL, division_code = NULL, level = NULL, parent_code = NULL,
                               resolved_with = NULL, read_cells = NULL, canonical = 0, canonical_reason = NULL
            """)
        try ReportIdentity().run(on: connection)
        XCTAssertEqual(try connection.query(decided), byWriter)
        XCTAssertEqual(try connection.query(findings), findingsByWriter)
        // The completed cells are found by their own index, not by a pass over every cell.
        let plan = try connection.query("EXPLAIN QUERY PLAN DELETE FROM cells WHERE flags = 'completed'").map { $0.last?.text ?? "" }
        XCTAssertTrue(plan.contains { $0.contains("cells_completed") }, "\(plan)")
    }
}
