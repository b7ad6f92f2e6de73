/// The canonical schema of SCHEMA.md as data: every table, format, row, column and label variant.
///
/// Everything that knows a template label reads it from here; stages never compare against label
/// strings of their own. Labels are written as printed; ``LabelFolding`` folds them before comparison.
///
/// ```swift
/// let rows = TemplateSchema.table(.requests, .v2021).rows   // new, carried_over, granted, …
/// ```
public enum TemplateSchema {
    public static let tables: [TableDefinition] = [active2019, active2021, requests(.v2019), requests(.v2021),
                                                   appeals(.v2019), appeals(.v2021)]

    public static func table(_ code: TableCode, _ format: TableFormat) -> TableDefinition {
        tables.first { $0.code == code && $0.format == format }!
    }

    // MARK: 二、主动公开政府信息情况

    static let activeRowLabels: [String: [String]] = [
        "regulations": ["规章"],
        "normative_documents": ["行政规范性文件", "规范性文件"],
        "licensing": ["行政许可"],
        "other_services": ["其他对外管理服务事项"],
        "penalty": ["行政处罚"],
        "coercion": ["行政强制"],
        "fees": ["行政事业性收费"],
        "procurement": ["政府集中采购"],
    ]

    static func activeRow(_ code: String, _ columns: [ColumnDefinition]) -> RowDefinition {
        RowDefinition(code: code, labels: activeRowLabels[code]!, columns: columns)
    }

    static let active2019: TableDefinition = {
        let documents = [ColumnDefinition("made", "本年新制作数量"), ColumnDefinition("published", "本年新公开数量"),
                         ColumnDefinition("total_public", "对外公开总数量")]
        let items = [ColumnDefinition("prev_items", "上一年项目数量"), ColumnDefinition("change", "本年增/减", kind: .signed),
                     ColumnDefinition("decisions", "处理决定数量")]
        return TableDefinition(code: .active, format: .v2019, title: "主动公开政府信息情况", rows: [
            activeRow("regulations", documents), activeRow("normative_documents", documents),
            activeRow("licensing", items), activeRow("other_services", items),
            activeRow("penalty", items), activeRow("coercion", items),
            activeRow("fees", Array(items.prefix(2))),
            activeRow("procurement", [ColumnDefinition("projects", "采购项目数量"),
                                      ColumnDefinition("amount", "采购总金额", kind: .money)]),
        ], formatSignals: ["本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "本年增减",
                           "其他对外管理服务事项", "政府集中采购", "采购项目数量"])
    }()

    static let active2021: TableDefinition = {
        let documents = [ColumnDefinition("issued", "本年制发件数"), ColumnDefinition("repealed", "本年废止件数"),
                         ColumnDefinition("in_force", "现行有效件数")]
        let decisions = [ColumnDefinition("decisions", "本年处理决定数量")]
        return TableDefinition(code: .active, format: .v2021, title: "主动公开政府信息情况", rows: [
            activeRow("regulations", documents), activeRow("normative_documents", documents),
            activeRow("licensing", decisions), activeRow("penalty", decisions), activeRow("coercion", decisions),
            activeRow("fees", [ColumnDefinition("amount", "本年收费金额", kind: .money)]),
        ], formatSignals: ["本年制发件数", "本年废止件数", "现行有效件数", "本年收费金额"])
    }()

    // MARK: 三、收到和处理政府信息公开申请情况

    public static let requestColumns: [ColumnDefinition] = [
        ColumnDefinition("natural_person", "自然人"), ColumnDefinition("commercial", "商业企业"),
        ColumnDefinition("research", "科研机构"), ColumnDefinition("public_interest", "社会公益组织"),
        ColumnDefinition("legal_services", "法律服务机构"), ColumnDefinition("other_org", "其他"),
        ColumnDefinition("total", "总计"),
    ]

    /// The outcome groups of table 三 and the labels that open them.
    public static let requestGroups: [RowGroup] = [
        RowGroup(code: "withheld", labels: ["不予公开"]),
        RowGroup(code: "unavailable", labels: ["无法提供"]),
        RowGroup(code: "not_processed", labels: ["不予处理"]),
        RowGroup(code: "other", labels: ["其他处理"]),
    ]

    static func requests(_ format: TableFormat) -> TableDefinition {
        func top(_ code: String, _ labels: [String], outcome: Bool = false) -> RowDefinition {
            RowDefinition(code: code, labels: labels, columns: requestColumns, isOutcome: outcome)
        }
        func item(_ group: String, _ number: Int, _ code: String, _ label: String) -> RowDefinition {
            RowDefinition(code: "\(group).\(code)", labels: [label], columns: requestColumns, group: group,
                          number: number, isOutcome: true)
        }
        var rows: [RowDefinition] = [
            top("new", ["本年新收政府信息公开申请数量", "本年新收"]),
            top("carried_over", ["上年结转政府信息公开申请数量", "上年结转"]),
            top("granted", ["予以公开"], outcome: true),
            top("partially_granted", ["部分公开"], outcome: true),
            item("withheld", 1, "state_secret", "属于国家秘密"),
            item("withheld", 2, "prohibited_by_law", "其他法律行政法规禁止公开"),
            item("withheld", 3, "security_stability", "危及三安全一稳定"),
            item("withheld", 4, "third_party", "保护第三方合法权益"),
            item("withheld", 5, "internal_affairs", "属于三类内部事务信息"),
            item("withheld", 6, "process_info", "属于四类过程性信息"),
            item("withheld", 7, "enforcement_file", "属于行政执法案卷"),
            item("withheld", 8, "administrative_query", "属于行政查询事项"),
            item("unavailable", 1, "not_held", "本机关不掌握相关政府信息"),
            item("unavailable", 2, "needs_creation", "没有现成信息需要另行制作"),
            item("unavailable", 3, "unclear", "补正后申请内容仍不明确"),
            item("not_processed", 1, "petition", "信访举报投诉类申请"),
            item("not_processed", 2, "duplicate", "重复申请"),
            item("not_processed", 3, "publication", "要求提供公开出版物"),
            item("not_processed", 4, "excessive", "无正当理由大量反复申请"),
            item("not_processed", 5, "reconfirmation", "要求行政机关确认或重新出具已获取信息"),
        ]
        if format == .v2019 {
            rows.append(RowDefinition(code: "other", labels: ["其他处理"], columns: requestColumns, group: "other",
                                      isOutcome: true, isGroupRow: true))
        } else {
            rows.append(item("other", 1, "no_correction", "申请人无正当理由逾期不补正行政机关不再处理其政府信息公开申请"))
            rows.append(item("other", 2, "unpaid_fee", "申请人逾期未按收费通知要求缴纳费用行政机关不再处理其政府信息公开申请"))
            rows.append(item("other", 3, "other", "其他"))
        }
        rows.append(top("total", ["总计", "合计"]))
        rows.append(top("carried_forward", ["结转下年度继续办理", "结转下年度"]))
        return TableDefinition(code: .requests, format: format, title: "收到和处理政府信息公开申请情况", rows: rows,
                               formatSignals: [])
    }

    // MARK: 四、政府信息公开行政复议、行政诉讼情况

    public static let appealColumns: [ColumnDefinition] = [
        ColumnDefinition("upheld", "结果维持"), ColumnDefinition("corrected", "结果纠正"),
        ColumnDefinition("other", "其他结果"), ColumnDefinition("pending", "尚未审结"), ColumnDefinition("total", "总计"),
    ]

    static func appeals(_ format: TableFormat) -> TableDefinition {
        TableDefinition(code: .appeals, format: format, title: "政府信息公开行政复议、行政诉讼情况", rows: [
            RowDefinition(code: "review", labels: ["行政复议"], columns: appealColumns),
            RowDefinition(code: "suit_direct", labels: ["未经复议直接起诉", "直接起诉"], columns: appealColumns),
            RowDefinition(code: "suit_after_review", labels: ["复议后起诉"], columns: appealColumns),
        ], formatSignals: [])
    }

    // MARK: Sections of the report

    /// The six sections of a report and the words that identify their headings.
    public static let sections: [SectionDefinition] = [
        SectionDefinition(number: 1, keys: ["总体情况", "概述"], table: nil),
        SectionDefinition(number: 2, keys: ["主动公开政府信息情况", "主动公开政府信息", "主动公开情况"], table: .active),
        SectionDefinition(number: 3, keys: ["收到和处理政府信息公开申请", "收到和处理", "依申请公开"], table: .requests),
        SectionDefinition(number: 4, keys: ["行政复议", "行政诉讼", "行政法复议"], table: .appeals),
        SectionDefinition(number: 5, keys: ["存在的主要问题", "主要问题", "改进情况"], table: nil),
        SectionDefinition(number: 6, keys: ["其他需要报告的事项", "其他需要报告"], table: nil),
    ]

    /// Words that mark a pre-2019 free-form statistics table (政府信息公开情况统计表).
    public static let legacyFormatSignals: [[String]] = [["指标名称", "计量单位"], ["政府信息公开情况统计表"]]

    /// The label of table 三's row group 三、本年度办理结果 (folded), printed beside the outcome rows, and the
    /// words every variant of it keeps (第三项 本年度办理结果, 三.本年办理结果 …).
    public static let outcomeGroupLabel = "本年度办理结果"
    public static let outcomeGroupKeyword = "办理结果"

    /// Header words only the template's tables print, by table (folded).
    public static let headerSignals: [(TableCode, [String])] = [
        (.active, ["本年新制作数量", "本年新公开数量", "对外公开总数量", "本年制发件数", "本年废止件数", "现行有效件数", "第二十条"]),
        (.requests, ["申请人情况", "本年新收政府信息公开申请数量", outcomeGroupLabel, "结转下年度继续办理"]),
        (.appeals, ["结果维持", "尚未审结", "未经复议直接起诉"]),
    ]

    /// Words that suggest a table's subject when no heading says it (folded).
    public static let contentSignals: [(TableCode, [String])] = [
        (.active, ["信息内容", "第二十条", "规范性文件", "行政许可"]),
        (.requests, ["申请人情况", "自然人", "本年新收", "予以公开", "不予公开"]),
        (.appeals, ["结果维持", "结果纠正", "尚未审结", "未经复议"]),
    ]

    /// Words only the 2019/2021 template prints; a report with legacy signals and none of these is pre-2019.
    /// (第二十条 is left out: old reports cite the article in their prose.)
    public static let templateSignals: [String] = headerSignals.flatMap(\.1).filter { $0 != "第二十条" }

    /// The rows of a table over both formats, each code once (the format is decided by which are found).
    public static func rowsOfBothFormats(_ table: TableCode) -> [RowDefinition] {
        var seen = Set<String>()
        return (self.table(table, .v2019).rows + self.table(table, .v2021).rows).filter { seen.insert($0.code).inserted }
    }

    /// The format of table 二 that its header words point to, if they point one way.
    public static func activeFormat(signalsIn foldedText: String) -> TableFormat? {
        let score2019 = table(.active, .v2019).formatSignals.filter { foldedText.includes($0) }.count
        let score2021 = table(.active, .v2021).formatSignals.filter { foldedText.includes($0) }.count
        return score2019 == score2021 ? nil : (score2019 > score2021 ? .v2019 : .v2021)
    }
}
