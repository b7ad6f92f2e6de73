import XCTest
@testable import NianbaoKit

/// What analysts and operators get out: exports, views, the HTML report, the run summary.
final class AnalystOutputTests: XCTestCase {
    func loadedSamples() throws -> (directory: URL, database: String) {
        let directory = Paths.temporary()
        var config = PipelineConfiguration(baseDirectory: directory)
        config.sources = [.path(Paths.samples.path)]
        config.database = "db.sqlite"
        _ = try Pipeline(configuration: config).run()
        return (directory, directory.appendingPathComponent("db.sqlite").path)
    }

    func testWideCSVAndJSONLines() throws {
        let (directory, database) = try loadedSamples()
        let csvURL = directory.appendingPathComponent("requests.csv")
        XCTAssertTrue(FileManager.default.createFile(atPath: csvURL.path, contents: nil))
        try Exporter(database: database).export(.requests, format: .csv, byteOrderMark: true, to: FileHandle(forWritingTo: csvURL))
        let bytes = try Data(contentsOf: csvURL)
        XCTAssertEqual(Array(bytes.prefix(3)), [0xEF, 0xBB, 0xBF])
        let lines = String(decoding: bytes.dropFirst(3), as: UTF8.self).split(separator: "\r\n").map(String.init)
        XCTAssertEqual(lines.count, 1 + Paths.loadableSamples)   // header + one row per loaded report (the pre-2019 one has no cells)
        let header = lines[0].split(separator: ",").map(String.init)
        XCTAssertEqual(Array(header.prefix(9)), ["report_id", "agency", "agency_key", "year", "division_code", "level", "parent_code", "format", "source"])
        XCTAssertTrue(header.contains("withheld.state_secret.total"))
        XCTAssertTrue(header.contains("other.no_correction.total") && header.contains("other.total"))
        let hetian = try XCTUnwrap(lines.first { $0.contains("禾田县人民政府") })
        let fields = hetian.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(fields.count, header.count)
        XCTAssertEqual(fields[header.firstIndex(of: "year")!], "2024")

        let jsonURL = directory.appendingPathComponent("appeals.jsonl")
        XCTAssertTrue(FileManager.default.createFile(atPath: jsonURL.path, contents: nil))
        try Exporter(database: database).export(.appeals, format: .jsonl, byteOrderMark: false, to: FileHandle(forWritingTo: jsonURL))
        let objects = try String(contentsOf: jsonURL, encoding: .utf8).split(separator: "\n").map {
            try XCTUnwrap(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        XCTAssertEqual(objects.count, Paths.loadableSamples)
        let review = objects.first { $0["agency"] as? String == "禾田县人民政府" }
        XCTAssertEqual(review?["review.total"] as? Double, 0)
        XCTAssertEqual(review?["review.upheld"] as? Double, 10)
        XCTAssertEqual(Exporter.csvField("a,\"b\""), "\"a,\"\"b\"\"\"")
    }

    func testViewsForAnalysts() throws {
        let (_, database) = try loadedSamples()
        let connection = try SQLiteConnection(path: database)
        for view in ["active_wide", "requests_wide", "appeals_wide", "findings_summary"] {
            XCTAssertGreaterThan(try connection.query("SELECT count(*) FROM \(view)").first?.first?.integer ?? 0, 0, view)
        }
        let row = try connection.query("SELECT \"new.total\", \"granted.total\" FROM requests_wide WHERE agency = '驻马店市人民政府' OR agency = '青禾县人民政府'")
        XCTAssertEqual(row.first?[0].real, 124)
        let summary = try connection.query("SELECT findings FROM findings_summary WHERE rule = 'appeals.row_sum' AND severity = 'error'")
        XCTAssertEqual(summary.first?.first?.integer, 1)
    }

    /// Issue 17: measures line up the 2019 and 2021 forms; year-over-year, rates with their case counts, rankings
    /// above the minimum count.
    func testMeasuresYearOverYearRatesAndRankings() throws {
        let directory = Paths.temporary()
        let inbox = directory.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        let xiyang = try String(contentsOf: Paths.samples.appendingPathComponent("xiyang_county_2024.md"), encoding: .utf8)
        func write(_ name: String, _ text: String) throws { try text.write(to: inbox.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        // The same county a year earlier with 40 new applications instead of 45.
        try write("xiyang_2023.md", xiyang.replacingOccurrences(of: "2024年", with: "2023年").replacingOccurrences(of: "2025年", with: "2024年")
            .replacingOccurrences(of: "| 41 | 2 | 0 | 0 | 1 | 1 | 45 |", with: "| 36 | 2 | 0 | 0 | 1 | 1 | 40 |"))
        try write("xiyang_2024.md", xiyang)
        // And 2021, so that 2022 is missing.
        try write("xiyang_2021.md", xiyang.replacingOccurrences(of: "2024年", with: "2021年").replacingOccurrences(of: "2025年", with: "2022年"))
        // Two real counties of 2024 (the registry knows them, with their level): 沭阳县 grants 20 of 45, 泗阳县 15 of 45.
        try write("shuyang_2024.md", xiyang.replacingOccurrences(of: "西阳县", with: "沭阳县")
            .replacingOccurrences(of: "| （一）予以公开 |  | １２ | 2 | 0 | 0 | 1 | 0 | 15 |", with: "| （一）予以公开 |  | １７ | 2 | 0 | 0 | 1 | 0 | 20 |")
            .replacingOccurrences(of: "| 1.本机关不掌握相关政府信息 | 9 | 1 | 0 | 0 | 0 | 0 | 10 |", with: "| 1.本机关不掌握相关政府信息 | 4 | 1 | 0 | 0 | 0 | 0 | 5 |"))
        try write("siyang_2024.md", xiyang.replacingOccurrences(of: "西阳县", with: "泗阳县"))
        // 宿豫区 misprints its 总计 450 for 45: an error in table 三, so it is never ranked on its rates.
        try write("suyu_2024.md", xiyang.replacingOccurrences(of: "西阳县", with: "宿迁市宿豫区")
            .replacingOccurrences(of: "|  | （七）总计 |  | 40 | 3 | 0 | 0 | 1 | 1 | 45 |", with: "|  | （七）总计 |  | 40 | 3 | 0 | 0 | 1 | 1 | 450 |"))
        try FileManager.default.copyItem(at: Paths.samples.appendingPathComponent("qinghe_county_2019.html"), to: inbox.appendingPathComponent("qinghe_2019.html"))
        var config = PipelineConfiguration(baseDirectory: directory)
        config.sources = [.path(inbox.path)]
        config.database = "db.sqlite"
        _ = try Pipeline(configuration: config).run()
        let connection = try AnalystViews.open(directory.appendingPathComponent("db.sqlite").path)

        let yoy = try connection.query("SELECT value, prev_year, prev_value, change, change_pct FROM yoy WHERE agency = '西阳县人民政府' AND year = 2024 AND measure = 'requests.new.total'")
        XCTAssertEqual(yoy.first.map { $0.map(\.real) }, [45, 2023, 40, 5, 12.5])
        // 2019's single （六）其他处理 row and 2021's three items are one measure.
        let other = try connection.query("SELECT year, value FROM measures WHERE measure = 'requests.other.total' ORDER BY year, agency")
        XCTAssertEqual(other.first?[0].integer, 2019)
        XCTAssertEqual(other.first?[1].real, 5)
        XCTAssertEqual(Set(other.dropFirst().map { $0[1].real }), [4])

        let grant = try connection.query("SELECT numerator, denominator, value FROM rates WHERE agency = '沭阳县' AND rate = 'grant_rate'")
        XCTAssertEqual(grant.first.map { $0.map(\.real) }, [20, 45, 0.444444])
        let ranked = try connection.query("SELECT agency, rank FROM rankings WHERE rate = 'grant_rate' AND year = 2024 AND level = 'county' ORDER BY rank")
        XCTAssertEqual(ranked.map { $0[0].text ?? "" }, ["沭阳县", "泗阳县"])  // the registry's names; not 宿豫区
        XCTAssertEqual(try connection.query("SELECT denominator FROM rates WHERE agency = '宿豫区' AND rate = 'grant_rate'").first?.first?.real, 450)
        XCTAssertEqual(ranked.map { $0[1].integer ?? 0 }, [1, 2])
        // 3 reviews are below the minimum count: no ranking on them.
        XCTAssertEqual(try connection.query("SELECT count(*) FROM rankings WHERE rate = 'review_correction_rate'").first?.first?.integer, 0)
        XCTAssertEqual(try connection.query("SELECT count(*) FROM rates WHERE rate = 'review_correction_rate' AND denominator = 3").first?.first?.integer, 7)
        // The minimum is a setting (`analysis.ranking_min_cases`): at 3, the reviews are ranked.
        config.analysis.rankingMinimumCases = 3
        _ = try Pipeline(configuration: config).run()
        XCTAssertEqual(try connection.query("SELECT count(*) FROM rankings WHERE rate = 'review_correction_rate' AND year = 2024").first?.first?.integer, 3)
        XCTAssertEqual(try StoredSettings.rankingMinimumCases(connection), 3)
        // Each view exports whole, with its own columns.
        let exported = directory.appendingPathComponent("yoy.csv")
        FileManager.default.createFile(atPath: exported.path, contents: nil)
        let handle = try FileHandle(forWritingTo: exported)
        try Exporter(database: directory.appendingPathComponent("db.sqlite").path).export(view: "yoy", format: .csv, byteOrderMark: false, to: handle)
        try handle.close()
        let csv = try String(contentsOf: exported, encoding: .utf8).components(separatedBy: "\r\n")
        XCTAssertEqual(csv.first, "agency_key,agency,year,measure,value,prev_year,prev_value,change,change_pct")
        XCTAssertTrue(csv.contains { $0.contains(",2024,requests.new.total,45,2023,40,5,12.5") }, csv.prefix(3).joined(separator: "\n"))
        XCTAssertThrowsError(try Exporter(database: directory.appendingPathComponent("db.sqlite").path).export(view: "reports; DROP TABLE cells", format: .csv, byteOrderMark: false, to: handle))

        // Publication against the 31 January deadline; years missing between an agency's first and last report.
        let published = try connection.query("SELECT published_on, deadline, days_late, status FROM publication WHERE agency = '青禾县人民政府'")
        XCTAssertEqual(published.first?.map { $0.text ?? $0.integer.map(String.init) ?? "" }, ["2020-01-17", "2020-01-31", "-14", "on_time"])
        XCTAssertEqual(try connection.query("SELECT year FROM missing_reports WHERE agency = '西阳县人民政府'").map { $0[0].integer ?? 0 }, [2022])
        // Text copied from last year: the ratio per section, and an info finding above half.
        let repeated = try connection.query("SELECT section, ratio FROM repetition WHERE agency = '西阳县人民政府' AND year = 2024 ORDER BY section")
        XCTAssertEqual(repeated.first?[0].integer, 1)
        XCTAssertEqual(repeated.first?[1].real, 1)
        XCTAssertGreaterThan(try connection.query("SELECT count(*) FROM findings WHERE rule = 'narrative.repeated'").first?.first?.integer ?? 0, 0)
        XCTAssertEqual(NarrativeRepetition.ratio("2023年，本机关坚持以公开为常态。", "2024年，本机关坚持以公开为常态！"), 1)
        XCTAssertLessThan(NarrativeRepetition.ratio("本机关坚持以公开为常态、不公开为例外", "政务公开平台建设持续加强，政策解读有序开展"), 0.2)

        // The HTML report shows them.
        let html = try HTMLReportWriter(database: directory.appendingPathComponent("db.sqlite").path).render()
        let rankings = try XCTUnwrap(html.range(of: "<h2>Rankings</h2>"))
        XCTAssertTrue(html[rankings.upperBound...].contains("沭阳县"))
        XCTAssertTrue(html.contains("<td>西阳县人民政府</td><td>2022</td>"), "missing year")
        XCTAssertTrue(html.contains("<h2>Text repeated from the year before</h2>"))
    }

    /// The long export gives back every canonical cell with its state and raw text; the codebook names every code.
    func testLongExportRoundTripsEveryCellAndTheCodebookNamesEveryCode() throws {
        let (directory, database) = try loadedSamples()
        let out = directory.appendingPathComponent("cells.jsonl"), codebook = directory.appendingPathComponent("codebook.json")
        let result = try Paths.run(["export", "--db", database, "--long", "--format", "jsonl", "--out", out.path, "--codebook", codebook.path])
        XCTAssertEqual(result.status, 0, result.err)
        let exported = try String(contentsOf: out, encoding: .utf8).split(separator: "\n").map {
            try XCTUnwrap(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        let connection = try SQLiteConnection(path: database, readOnly: true)
        let stored = try connection.query("SELECT report_id, table_code, row_code, col_code, state, raw, value FROM canonical_cells")
        XCTAssertEqual(exported.count, stored.count)
        func key(_ fields: [String]) -> String { fields.joined(separator: "|") }
        let exportedKeys = Set(exported.map { object in
            key([String(Int(object["report_id"] as? Double ?? -1)), object["table_code"] as? String ?? "", object["row_code"] as? String ?? "",
                 object["col_code"] as? String ?? "", object["state"] as? String ?? "", object["raw"] as? String ?? "",
                 (object["value"] as? Double).map { format($0) } ?? "null"])
        })
        let storedKeys = Set(stored.map { row in
            key([String(row[0].integer ?? -1), row[1].text ?? "", row[2].text ?? "", row[3].text ?? "", row[4].text ?? "", row[5].text ?? "",
                 row[6].real.map { format($0) } ?? "null"])
        })
        XCTAssertEqual(exportedKeys, storedKeys)
        XCTAssertTrue(exported.contains { $0["state"] as? String == "blank" } && exported.contains { $0["state"] as? String == "number" })
        // Where each figure was read: nearly every one says it ("table 3, row 7, column 4", "line 40, column 3").
        let figures = exported.filter { $0["state"] as? String == "number" }
        let placed = figures.filter { ($0["position"] as? String)?.isEmpty == false }
        XCTAssertGreaterThanOrEqual(placed.count * 10, figures.count * 9, "\(figures.count - placed.count) of \(figures.count) figures without a position")
        XCTAssertTrue(placed.contains { ($0["position"] as? String)?.hasPrefix("table ") == true })
        XCTAssertTrue(placed.contains { ($0["position"] as? String)?.hasPrefix("line ") == true })

        let book = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: codebook)) as? [String: Any])
        let tables = try XCTUnwrap(book["tables"] as? [[String: Any]])
        let rowCodes = Set(tables.flatMap { ($0["rows"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String } })
        XCTAssertTrue(exported.allSatisfy { rowCodes.contains($0["row_code"] as? String ?? "") })
        XCTAssertEqual(Set((book["states"] as? [String: Any])?.keys ?? [:].keys), ["number", "blank", "na", "text"])
        XCTAssertEqual((book["rates"] as? [[String: Any]])?.count, Measures.rates.count)
        XCTAssertEqual(Set((book["long_columns"] as? [String: Any])?.keys ?? [:].keys), Set(exported.first?.keys ?? [:].keys))
        // A reader that goes away (`| head`) is no failure: no crash, exit 0.
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/bash")
        shell.arguments = ["-c", "set -o pipefail; \"$0\" export --db \"$1\" --long | head -c 100 > /dev/null", try Paths.requireBinary().path, database]
        try shell.run()
        shell.waitUntilExit()
        XCTAssertEqual(shell.terminationStatus, 0)
    }

    func testHTMLReportIsSelfContainedWithCharts() throws {
        let (directory, database) = try loadedSamples()
        let html = try HTMLReportWriter(database: database).render()
        XCTAssertEqual(html.components(separatedBy: "class=\"chart\"").count - 1, 5)
        XCTAssertFalse(html.contains("<script"))
        // No external asset (a year links to its document; nothing is loaded from anywhere).
        XCTAssertFalse(html.contains("src=\"") || html.contains("<link") || html.contains("@import"))
        // Bars are drawn with a positive height.
        let heights = html.components(separatedBy: "height=\"").dropFirst().compactMap { Double($0.prefix { $0 != "\"" }) }
        XCTAssertGreaterThan(heights.filter { $0 > 1 && $0 < 250 }.count, 10)
        XCTAssertTrue(html.contains("禾田县人民政府"))
        XCTAssertTrue(html.contains("appeals.row_sum"))

        // Rendered in headless Chromium (make test installs it): the charts put colour on the page.
        let page = directory.appendingPathComponent("report.html")
        try Data(html.utf8).write(to: page)
        let screenshot = try Self.screenshot(page, in: directory)
        let count = Process()
        count.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        count.arguments = ["python3", "-c", Self.colouredPixels, screenshot.path]
        let output = Pipe()
        count.standardOutput = output
        try count.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        count.waitUntilExit()
        let coloured = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        XCTAssertGreaterThan(coloured, 20_000, "the screenshot shows no drawn charts")
    }

    /// A headless Chromium screenshot of a page (1400×900).
    static func screenshot(_ page: URL, in directory: URL, size: String = "1400,900") throws -> URL {
        guard let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first(where: FileManager.default.isExecutableFile) else {
            throw XCTSkip("Chromium is not installed (make test installs it); the browser check was skipped")
        }
        let screenshot = directory.appendingPathComponent(page.deletingPathExtension().lastPathComponent + ".png")
        let browser = Process()
        browser.executableURL = URL(fileURLWithPath: chromium)
        browser.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=\(size)",
                             "--screenshot=\(screenshot.path)", page.absoluteString]
        browser.standardOutput = FileHandle.nullDevice
        browser.standardError = FileHandle.nullDevice
        try browser.run()
        browser.waitUntilExit()
        return screenshot
    }

    /// The report's Chinese is drawn, not shown as empty boxes: without a CJK font every character is the same
    /// missing-glyph box, so two different strings of the same length would give the same screenshot.
    func testChineseTextIsDrawnInChromium() throws {
        let directory = Paths.temporary()
        var shots: [Data] = []
        for (name, text) in [("a", "政府信息公开"), ("b", "年度报告工作")] {
            let page = directory.appendingPathComponent("\(name).html")
            try Data((HTMLReportWriter.header + "<p style=\"font-size:64px\">\(text)</p></body></html>").utf8).write(to: page)
            shots.append(try Data(contentsOf: Self.screenshot(page, in: directory, size: "800,200")))
        }
        XCTAssertGreaterThan(shots[0].count, 1000)
        XCTAssertNotEqual(shots[0], shots[1], "two different Chinese strings render alike: no CJK font (fonts-noto-cjk)")
    }

    /// Counts strongly coloured pixels (the bars) in a PNG screenshot, with zlib only.
    static let colouredPixels = """
        import sys, zlib, struct
        data = open(sys.argv[1], 'rb').read()
        pos, chunks, width, height, ctype = 8, b'', 0, 0, 0
        while pos < len(data):
            length, kind = struct.unpack('>I4s', data[pos:pos + 8]); body = data[pos + 8:pos + 8 + length]
            if kind == b'IHDR': width, height, depth, ctype = struct.unpack('>IIBB', body[:10])
            if kind == b'IDAT': chunks += body
            pos += 12 + length
        raw = zlib.decompress(chunks); bpp = 4 if ctype == 6 else 3; stride = width * bpp
        prev = bytearray(stride); count = 0; i = 0
        for row in range(height):
            f = raw[i]; line = bytearray(raw[i + 1:i + 1 + stride]); i += 1 + stride
            for x in range(stride):
                a = line[x - bpp] if x >= bpp else 0; b = prev[x]; c = prev[x - bpp] if x >= bpp else 0
                if f == 1: line[x] = (line[x] + a) & 255
                elif f == 2: line[x] = (line[x] + b) & 255
                elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
                elif f == 4:
                    p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                    line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
            for x in range(0, stride, bpp):
                r, g, bl = line[x], line[x + 1], line[x + 2]
                if max(r, g, bl) - min(r, g, bl) > 80: count += 1
            prev = line
        print(count)
        """

    func testSummaryJSONAndProgressOffATerminal() throws {
        let directory = Paths.temporary()
        let config = directory.appendingPathComponent("p.json")
        try Data(#"{"sources": [{"path": "\#(Paths.samples.path)"}], "database": "db.sqlite"}"#.utf8).write(to: config)
        let summaryPath = directory.appendingPathComponent("summary.json").path
        let result = try Paths.run(["run", "--config", config.path, "--summary-json", summaryPath])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertTrue(result.err.contains("\(Paths.sampleDocuments)/\(Paths.sampleDocuments) documents"), result.err)   // the final progress line, logged
        let summary = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: summaryPath))) as? [String: Any])
        XCTAssertEqual(summary["documents"] as? Int, Paths.sampleDocuments)
        XCTAssertEqual(summary["loaded"] as? Int, Paths.loadableSamples)
        XCTAssertEqual((summary["findings"] as? [String: Int])?["error"], 1)
        XCTAssertNotNil(summary["stage_seconds"] as? [String: Double])
        // The run's time includes the steps over the whole database after the documents (a run that changes nothing
        // spends its time there; it used to be left out).
        let seconds = try XCTUnwrap(summary["seconds"] as? Double)
        let databaseSeconds = try XCTUnwrap(summary["database_seconds"] as? Double)
        XCTAssertGreaterThan(databaseSeconds, 0)
        XCTAssertGreaterThanOrEqual(seconds, databaseSeconds)
        let rules = try XCTUnwrap(summary["findings_by_rule"] as? [[String: Any]])
        XCTAssertTrue(rules.contains { $0["rule"] as? String == "appeals.row_sum" && $0["count"] as? Int == 1 })
        let quiet = try Paths.run(["run", "--config", config.path, "--quiet"])
        XCTAssertFalse(quiet.err.contains("documents  "), quiet.err)
    }
}
