import XCTest
@testable import NianbaoKit

/// The cross-report step writes its findings into SQL as the rules find them (issue 18: the list built in memory
/// grew with the database). These tests pin what it stores, row by row with ids, on a composed set of reports where
/// every cross-report rule fires, with the `validate` settings that change findings; the expected rows are those of
/// the in-memory version the streaming one replaced.
final class CrossReportFindingsTests: XCTestCase {
    static let copied = "本机关坚持以公开为常态、不公开为例外，全面推进决策、执行、管理、服务、结果公开，政务公开工作取得新的成效。"

    static func report(_ agency: String, _ year: Int, _ cells: [(TableCode, String, String, Double)], format: TableFormat = .v2021,
                       sections: [Int: String] = [:]) -> Report {
        Report(metadata: ReportMetadata(agency: agency, year: year, sections: sections), formats: [.active: format, .requests: format, .appeals: format],
               cells: cells.map { Cell(table: $0.0, row: $0.1, col: $0.2, value: $0.3, state: .number, raw: "\($0.3)") })
    }

    /// 宿迁市 and its two counties in 2021 and 2022 (carry chain, in-force chain, roll-up, a copied section), 某县
    /// in the 2019 form (items chain), and a report with no previous year.
    static let reports: [(String, Report)] = [
        ("suqian2021", report("宿迁市人民政府", 2021, [(.requests, "carried_forward", "total", 7), (.active, "normative_documents", "in_force", 100)],
                              sections: [2: "2021年，" + copied, 3: "短的一节。"])),
        ("suqian2022", report("宿迁市人民政府", 2022, [(.requests, "carried_over", "total", 9), (.active, "normative_documents", "issued", 5),
                                                  (.active, "normative_documents", "repealed", 1), (.active, "normative_documents", "in_force", 110),
                                                  (.appeals, "review", "total", 12)],
                              sections: [2: "2022年，" + copied, 3: "短的一节。"])),
        ("shuyang2021", report("沭阳县人民政府", 2021, [(.requests, "carried_forward", "total", 3)])),
        ("shuyang2022", report("沭阳县人民政府", 2022, [(.requests, "carried_over", "total", 3), (.appeals, "review", "total", 4)])),
        ("siyang2022", report("泗阳县人民政府", 2022, [(.requests, "carried_over", "total", 2), (.appeals, "review", "total", 6)],
                              sections: [2: "泗阳县" + copied])),
        ("b2019", report("某县", 2019, [(.active, "licensing", "prev_items", 10), (.active, "licensing", "change", -2),
                                       (.active, "permits", "prev_items", 4), (.active, "permits", "change", 1)], format: .v2019)),
        ("b2020", report("某县", 2020, [(.active, "licensing", "prev_items", 9), (.active, "permits", "prev_items", 6)], format: .v2019)),
        ("c2020", report("另一县", 2020, [(.requests, "carried_over", "total", 5)])),
    ]

    func database() throws -> ReportStore {
        let store = try ReportStore(path: temporaryDirectory().appendingPathComponent("cross.sqlite").path)
        let run = try store.beginRun(config: "test")
        try store.write(Self.reports.map { .report(DocumentInfo(source: $0.0, sha256: $0.0, size: 1), $0.1) }, runID: run)
        try ReportIdentity().run(on: store.connection)
        return store
    }

    func rows(_ connection: SQLiteConnection) throws -> [String] {
        try connection.query("""
            SELECT f.id, r.source, f.rule, f.severity, f.table_code, f.row_code, f.col_code, f.expected, f.actual, f.message
            FROM findings f JOIN reports r ON r.id = f.report_id WHERE f.rule IN (\(Rule.crossReport.map { "'\($0.rawValue)'" }.joined(separator: ", ")))
            ORDER BY f.id
            """).map { row in
            row.map { value -> String in
                switch value {
                case .null: return "-"
                case let .integer(number): return String(number)
                case let .real(number): return String(number)
                case let .text(text): return text
                }
            }.joined(separator: "|")
        }
    }

    static let expected = [
        "suqian2022|requests.carry_chain|warning|requests|carried_over|total|7.0|9.0|2022 carried over 9 in column total, but 2021 carried forward 7",
        "suqian2022|active.in_force_chain|warning|active|normative_documents|in_force|104.0|110.0|normative_documents in force in 2022 is 110, but 2021's 100 + 5 issued − 1 repealed = 104",
        "b2020|active.prev_items_chain|warning|active|licensing|prev_items|8.0|9.0|licensing items at the start of 2020 are 9, but 2019's 10 with change -2 gives 8",
        "b2020|active.prev_items_chain|warning|active|permits|prev_items|5.0|6.0|permits items at the start of 2020 are 6, but 2019's 4 with change 1 gives 5",
        "suqian2022|narrative.repeated|info|-|-|-|-|1.0|section 2 repeats 100 % of 2021's text",
        "suqian2021|rollup.mismatch|info|requests|carried_forward|total|3.0|7.0|requests.carried_forward.total is 7 here, but the 1 report(s) under it in the database (county) add up to 3; children without a report there are not counted",
        "suqian2022|rollup.mismatch|info|appeals|review|total|10.0|12.0|appeals.review.total is 12 here, but the 2 report(s) under it in the database (county) add up to 10; children without a report there are not counted",
        "suqian2022|rollup.mismatch|info|requests|carried_over|total|5.0|9.0|requests.carried_over.total is 9 here, but the 2 report(s) under it in the database (county) add up to 5; children without a report there are not counted",
    ]

    func testFindingsAreThoseOfTheInMemoryVersionRowByRow() throws {
        let store = try database()
        XCTAssertEqual(try CrossReportValidator().run(on: store.connection), Self.expected.count)
        let first = try rows(store.connection)
        XCTAssertEqual(first.map { $0.split(separator: "|", maxSplits: 1).last.map(String.init) ?? "" }, Self.expected)
        // Run again: nothing changed, so the rows keep their ids.
        XCTAssertEqual(try CrossReportValidator().run(on: store.connection), Self.expected.count)
        XCTAssertEqual(try rows(store.connection), first)
        XCTAssertEqual(try store.connection.query("SELECT r.source, s.number, p.source, s.ratio FROM section_similarity s JOIN reports r ON r.id = s.report_id JOIN reports p ON p.id = s.previous_report_id ORDER BY s.report_id, s.number").map { $0.map { "\($0)" } },
                       [["text(\"suqian2022\")", "integer(2)", "text(\"suqian2021\")", "real(1.0)"]])
    }

    /// A disabled rule makes nothing; a severity set for a rule applies to its findings, info ones included.
    func testSettingsApplyAsBefore() throws {
        let store = try database()
        var options = ValidateOptions()
        options.disabledRules = [.activePrevItemsChain]
        options.severities = [.narrativeRepeated: .warning, .requestsCarryChain: .error]
        let expected = Self.expected.filter { !$0.contains("prev_items_chain") }
            .map { $0.replacingOccurrences(of: "carry_chain|warning", with: "carry_chain|error").replacingOccurrences(of: "repeated|info", with: "repeated|warning") }
        XCTAssertEqual(try CrossReportValidator(options: options).run(on: store.connection), expected.count)
        XCTAssertEqual(try rows(store.connection).map { $0.split(separator: "|", maxSplits: 1).last.map(String.init) ?? "" }, expected)
        // Back to the defaults: the findings of the default settings; rows that did not change keep their ids (first),
        // the others are new rows, in the order the rules found them.
        XCTAssertEqual(try CrossReportValidator().run(on: store.connection), Self.expected.count)
        XCTAssertEqual(try rows(store.connection).map { $0.split(separator: "|", maxSplits: 1).last.map(String.init) ?? "" },
                       [1, 5, 6, 7, 0, 2, 3, 4].map { Self.expected[$0] })
    }
}
