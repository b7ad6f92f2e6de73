/// Measures that mean the same thing in the 2019 and the 2021 forms, and the rates analysts compute from them:
/// the one place that says which cells of each form make a measure, so that years on either side of 2021 line up.
///
/// A measure's code is the canonical `table.row.col` code of its cell ("requests.granted.total"), or, where the
/// forms differ, of the row they share: 2019's single （六）其他处理 row is `requests.other.*`, which in the
/// 2021 form is the sum of its three items. Group measures add a group's items (`requests.withheld.total`, the
/// eight 不予公开 reasons). A cell of one form that has no counterpart in the other (2019's 对外公开总数量,
/// 2021's 现行有效件数, the fee tables) is a measure of its own form only: "not comparable" is its absence
/// in the other.
///
/// ```swift
/// Measures.all.first { $0.code == "requests.other.total" }?.cells[.v2021]
/// // ["requests.other.no_correction.total", "requests.other.unpaid_fee.total", "requests.other.other.total"]
/// ```
public enum Measures {
    public struct Measure: Sendable {
        public let code: String
        /// The cells (`table.row.col`) added up for the measure, in each form that has it.
        public let cells: [TableFormat: [String]]
    }

    /// A rate: a sum of measures over another, with what it is called and how it is computed.
    public struct Rate: Sendable {
        public let code: String
        public let numerator: [(measure: String, sign: Double)]
        public let denominator: [(measure: String, sign: Double)]
        public let formula: String
    }

    /// Minimum denominator (cases) for an agency to be ranked on a rate.
    public static let rankingMinimumCases = 30

    /// The headline measures a government's own report is checked against the sum of its children's reports on
    /// (`rollup.mismatch`): applications and outcomes by total, and the appeals. The view `rollups` has every measure;
    /// findings on these only, so that one aggregated report that counts differently says so in a dozen lines, not
    /// two hundred.
    public static let rollupMeasures: [String] = [
        "requests.new.total", "requests.carried_over.total", "requests.granted.total", "requests.partially_granted.total",
        "requests.withheld.total", "requests.unavailable.total", "requests.not_processed.total", "requests.other.total",
        "requests.total.total", "requests.carried_forward.total",
        "appeals.review.total", "appeals.suit_direct.total", "appeals.suit_after_review.total",
    ]

    private static let outcomeGroups: [(group: String, formats: [TableFormat])] = [
        ("withheld", [.v2019, .v2021]), ("unavailable", [.v2019, .v2021]), ("not_processed", [.v2019, .v2021]),
    ]

    public static let all: [Measure] = {
        var measures: [Measure] = []
        var seen = Set<String>()
        for table in TableCode.allCases {
            for format in TableFormat.allCases {
                for row in TemplateSchema.table(table, format).rows {
                    for column in row.columns {
                        // 2021's （六） items are counted in the shared `requests.other.*` measures below, and kept too.
                        let code = "\(table.rawValue).\(row.code).\(column.code)"
                        guard seen.insert(code).inserted else { continue }
                        let formats = TableFormat.allCases.filter { other in
                            TemplateSchema.table(table, other).row(row.code)?.columns.contains { $0.code == column.code } ?? false
                        }
                        measures.append(Measure(code: code, cells: Dictionary(uniqueKeysWithValues: formats.map { ($0, [code]) })))
                    }
                }
            }
        }
        // 2019's （六）其他处理 is the sum of 2021's three items.
        let other2021 = TemplateSchema.table(.requests, .v2021).rows.filter { $0.code.hasPrefix("other.") }
        measures.removeAll { $0.code.hasPrefix("requests.other.") && !$0.code.dropFirst("requests.other.".count).contains(".") }
        for column in TemplateSchema.requestColumns {
            measures.append(Measure(code: "requests.other.\(column.code)",
                                    cells: [.v2019: ["requests.other.\(column.code)"],
                                            .v2021: other2021.map { "requests.\($0.code).\(column.code)" }]))
        }
        // Each outcome group's items added up (the same items in both forms).
        for (group, formats) in outcomeGroups {
            for column in TemplateSchema.requestColumns {
                var cells: [TableFormat: [String]] = [:]
                for format in formats {
                    cells[format] = TemplateSchema.table(.requests, format).rows.filter { $0.group == group && !$0.isGroupRow }
                        .map { "requests.\($0.code).\(column.code)" }
                }
                measures.append(Measure(code: "requests.\(group).\(column.code)", cells: cells))
            }
        }
        return measures
    }()

    public static let rates: [Rate] = [
        Rate(code: "grant_rate", numerator: [("requests.granted.total", 1)], denominator: [("requests.total.total", 1)],
             formula: "予以公开 / 办理结果总计 (requests.granted.total / requests.total.total)"),
        Rate(code: "partial_grant_rate", numerator: [("requests.partially_granted.total", 1)], denominator: [("requests.total.total", 1)],
             formula: "部分公开 / 办理结果总计"),
        Rate(code: "withheld_rate", numerator: [("requests.withheld.total", 1)], denominator: [("requests.total.total", 1)],
             formula: "不予公开 (8 reasons) / 办理结果总计"),
        Rate(code: "unavailable_rate", numerator: [("requests.unavailable.total", 1)], denominator: [("requests.total.total", 1)],
             formula: "无法提供 (3 reasons) / 办理结果总计"),
        Rate(code: "not_processed_rate", numerator: [("requests.not_processed.total", 1)], denominator: [("requests.total.total", 1)],
             formula: "不予处理 (5 reasons) / 办理结果总计"),
        Rate(code: "review_correction_rate", numerator: [("appeals.review.corrected", 1)],
             denominator: [("appeals.review.total", 1), ("appeals.review.pending", -1)],
             formula: "复议结果纠正 / 已审结复议 (appeals.review.corrected / (appeals.review.total − appeals.review.pending))"),
        Rate(code: "suit_loss_rate", numerator: [("appeals.suit_direct.corrected", 1), ("appeals.suit_after_review.corrected", 1)],
             denominator: [("appeals.suit_direct.total", 1), ("appeals.suit_after_review.total", 1),
                           ("appeals.suit_direct.pending", -1), ("appeals.suit_after_review.pending", -1)],
             formula: "诉讼结果纠正 / 已审结诉讼 (direct and after review together)"),
    ]
}
