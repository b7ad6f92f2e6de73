/// The figures of one generated report, consistent with every identity of SCHEMA.md.
///
/// Cells hold the printed text ("" for a blank); values follow from it. Some detail rows of table 三 publish
/// only their 总计, as many real reports do.
struct SyntheticReport {
    var agency: String
    var year: Int
    var formats: [TableCode: TableFormat]
    /// table → row → column → printed text.
    var cells: [TableCode: [String: [String: String]]] = [:]

    func text(_ table: TableCode, _ row: String, _ col: String) -> String { cells[table]?[row]?[col] ?? "" }

    static let places = ["青", "禾", "松", "溪", "临", "川", "东", "平", "北", "园", "南", "山", "西", "阳", "河", "田", "金", "水",
                         "安", "宁", "长", "丰", "兴", "和", "永", "清", "云", "泉", "峰", "湖"]
    static let kinds = ["县人民政府", "市人民政府", "区人民政府", "镇人民政府", "市交通运输局", "县教育局", "区卫生健康委员会",
                        "市生态环境局", "县自然资源局", "市人力资源和社会保障局", "街道办事处"]

    static func generate(_ random: inout SeededGenerator, onlyTotals: Bool) -> SyntheticReport {
        let name = (0..<2).map { _ in places.randomElement(using: &random)! }.joined()
        let agency = name + kinds.randomElement(using: &random)!
        let year = Int.random(in: 2019...2025, using: &random)
        let active = TableFormat.byYear(year)!
        // About one report in six from 2021 on keeps the 2019 single row （六）其他处理: a hybrid.
        let requests: TableFormat = year >= 2021 && Int.random(in: 0..<6, using: &random) == 0 ? .v2019 : active
        var report = SyntheticReport(agency: agency, year: year, formats: [.active: active, .requests: requests, .appeals: active])
        report.fillActive(&random, format: active)
        report.fillRequests(&random, format: requests, onlyTotals: onlyTotals)
        report.fillAppeals(&random)
        return report
    }

    private mutating func set(_ table: TableCode, _ row: String, _ col: String, _ text: String) {
        cells[table, default: [:]][row, default: [:]][col] = text
    }

    private mutating func fillActive(_ random: inout SeededGenerator, format: TableFormat) {
        func count(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &random) }
        if format == .v2019 {
            for row in ["regulations", "normative_documents"] {
                let published = count(0...60)
                set(.active, row, "made", String(published + count(0...3)))
                set(.active, row, "published", String(published))
                set(.active, row, "total_public", String(published + count(0...900)))
            }
            for row in ["licensing", "other_services", "penalty", "coercion", "fees"] {
                set(.active, row, "prev_items", String(count(0...5000)))
                let change = count(-40...60)
                set(.active, row, "change", change > 0 && count(0...1) == 0 ? "+\(change)" : String(change))
                if row != "fees" { set(.active, row, "decisions", String(count(0...200_000))) }
            }
            set(.active, "procurement", "projects", String(count(0...900)))
            set(.active, "procurement", "amount", "\(count(0...99_999)).\(String(format: "%04d", count(0...9999)))")
        } else {
            for row in ["regulations", "normative_documents"] {
                let repealed = count(0...40)
                set(.active, row, "issued", String(count(0...60)))
                set(.active, row, "repealed", String(repealed))
                set(.active, row, "in_force", String(repealed + count(0...700)))
            }
            for row in ["licensing", "penalty", "coercion"] { set(.active, row, "decisions", String(count(0...500_000))) }
            set(.active, "fees", "amount", "\(count(0...50_000)).\(String(format: "%02d", count(0...99)))")
        }
    }

    private mutating func fillRequests(_ random: inout SeededGenerator, format: TableFormat, onlyTotals: Bool) {
        let definition = TemplateSchema.table(.requests, format)
        let applicants = TemplateSchema.requestColumns.map(\.code).dropLast()
        var columnTotals: [String: Int] = [:]
        var rowTotals: [String: Int] = [:]
        let outcomes = definition.rows.filter(\.isOutcome)
        // Rows published with their 总计 only (the applicant columns left blank).
        let totalOnly = Set(onlyTotals ? outcomes.filter { $0.group != nil && Int.random(in: 0..<2, using: &random) == 0 }.map(\.code) : [])
        for row in outcomes {
            for column in applicants {
                let scale = column == "natural_person" ? 40 : 3
                let value = Int.random(in: 0..<6, using: &random) < 2 ? Int.random(in: 0...scale, using: &random) : 0
                columnTotals[column, default: 0] += value
                rowTotals[row.code, default: 0] += value
                set(.requests, row.code, column, totalOnly.contains(row.code) ? "" : String(value))
            }
            set(.requests, row.code, "total", String(rowTotals[row.code, default: 0]))
        }
        var balance: [String: (new: Int, over: Int, forward: Int)] = [:]
        for column in applicants {
            let total = columnTotals[column, default: 0]
            let forward = Int.random(in: 0...3, using: &random)
            let over = Int.random(in: 0...min(3, total + forward), using: &random)
            balance[column] = (total + forward - over, over, forward)
        }
        for (row, pick) in [("new", { (b: (new: Int, over: Int, forward: Int)) in b.new }),
                            ("carried_over", { $0.over }), ("carried_forward", { $0.forward })] {
            var sum = 0
            for column in applicants {
                let value = pick(balance[column]!)
                sum += value
                set(.requests, row, column, String(value))
            }
            set(.requests, row, "total", String(sum))
        }
        var grand = 0
        for column in applicants {
            set(.requests, "total", column, String(columnTotals[column, default: 0]))
            grand += columnTotals[column, default: 0]
        }
        set(.requests, "total", "total", String(grand))
    }

    private mutating func fillAppeals(_ random: inout SeededGenerator) {
        for row in ["review", "suit_direct", "suit_after_review"] {
            var sum = 0
            for column in ["upheld", "corrected", "other", "pending"] {
                let value = Int.random(in: 0..<3, using: &random) == 0 ? Int.random(in: 0...30, using: &random) : 0
                sum += value
                set(.appeals, row, column, String(value))
            }
            set(.appeals, row, "total", String(sum))
        }
    }

    /// The expected file, in the corpus format.
    func expectedJSON(file: String) -> JSONValue {
        var tables: [(String, JSONValue)] = []
        for table in TableCode.allCases {
            let definition = TemplateSchema.table(table, formats[table]!)
            tables.append((table.rawValue, .object(definition.rows.map { row in
                (row.code, .object(row.columns.map { column in
                    let parsed = CellValueParser.parse(text(table, row.code, column.code), kind: column.kind)
                    return (column.code, parsed.value.map(JSONValue.number) ?? .null)
                }))
            })))
        }
        return .object([
            ("file", .string(file)), ("agency", .string(agency)), ("year", .number(Double(year))),
            ("unsupported_format", .bool(false)),
            ("tables", .object(TableCode.allCases.map { ($0.rawValue, .string(formats[$0]!.rawValue)) })),
            ("cells", .object(tables)), ("expected_findings", .array([])),
        ])
    }
}
