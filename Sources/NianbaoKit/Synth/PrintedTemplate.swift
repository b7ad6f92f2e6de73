/// The template's tables as a publisher prints them, for the synthetic corpus: labels with their original
/// punctuation, headers, and where merged cells go.
enum PrintedTemplate {
    /// A row of a printed table: label cells (text, column span), then figure cells.
    struct Row {
        var labels: [(text: String, span: Int)]
        var figures: [String]
        /// A group label spanning several rows, printed in the first of them (HTML rowspan).
        var group: (text: String, rows: Int)?
        var isHeader = false
    }

    static let requestLabels: [String: String] = [
        "new": "一、本年新收政府信息公开申请数量", "carried_over": "二、上年结转政府信息公开申请数量",
        "granted": "（一）予以公开", "partially_granted": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        "withheld.state_secret": "1.属于国家秘密", "withheld.prohibited_by_law": "2.其他法律行政法规禁止公开",
        "withheld.security_stability": "3.危及“三安全一稳定”", "withheld.third_party": "4.保护第三方合法权益",
        "withheld.internal_affairs": "5.属于三类内部事务信息", "withheld.process_info": "6.属于四类过程性信息",
        "withheld.enforcement_file": "7.属于行政执法案卷", "withheld.administrative_query": "8.属于行政查询事项",
        "unavailable.not_held": "1.本机关不掌握相关政府信息", "unavailable.needs_creation": "2.没有现成信息需要另行制作",
        "unavailable.unclear": "3.补正后申请内容仍不明确", "not_processed.petition": "1.信访举报投诉类申请",
        "not_processed.duplicate": "2.重复申请", "not_processed.publication": "3.要求提供公开出版物",
        "not_processed.excessive": "4.无正当理由大量反复申请", "not_processed.reconfirmation": "5.要求行政机关确认或重新出具已获取信息",
        "other": "（六）其他处理", "other.no_correction": "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "other.unpaid_fee": "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "other.other": "3.其他",
        "total": "（七）总计", "carried_forward": "四、结转下年度继续办理",
    ]
    static let groupLabels = ["withheld": "（三）不予公开", "unavailable": "（四）无法提供", "not_processed": "（五）不予处理",
                              "other": "（六）其他处理"]

    static func active(_ report: SyntheticReport) -> [Row] {
        func row(_ code: String, _ label: String, _ columns: [String]) -> Row {
            Row(labels: [(label, 1)], figures: columns.map { report.text(.active, code, $0) })
        }
        func header(_ texts: [String]) -> Row { Row(labels: texts.map { ($0, 1) }, figures: [], isHeader: true) }
        func block(_ item: String) -> Row { Row(labels: [("第二十条第（\(item)）项", 4)], figures: [], isHeader: true) }
        if report.formats[.active] == .v2019 {
            let documents = ["made", "published", "total_public"], items = ["prev_items", "change", "decisions"]
            return [block("一"), header(["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"]),
                    row("regulations", "规章", documents), row("normative_documents", "规范性文件", documents),
                    block("五"), header(["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"]),
                    row("licensing", "行政许可", items), row("other_services", "其他对外管理服务事项", items),
                    block("六"), header(["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"]),
                    row("penalty", "行政处罚", items), row("coercion", "行政强制", items),
                    block("八"), header(["信息内容", "上一年项目数量", "本年增/减"]), row("fees", "行政事业性收费", ["prev_items", "change"]),
                    block("九"), header(["信息内容", "采购项目数量", "采购总金额（单位：万元）"]),
                    row("procurement", "政府集中采购", ["projects", "amount"])]
        }
        let documents = ["issued", "repealed", "in_force"]
        return [block("一"), header(["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]),
                row("regulations", "规章", documents), row("normative_documents", "行政规范性文件", documents),
                block("五"), header(["信息内容", "本年处理决定数量"]), row("licensing", "行政许可", ["decisions"]),
                block("六"), header(["信息内容", "本年处理决定数量"]), row("penalty", "行政处罚", ["decisions"]),
                row("coercion", "行政强制", ["decisions"]),
                block("八"), header(["信息内容", "本年收费金额（单位：万元）"]), row("fees", "行政事业性收费", ["amount"])]
    }

    /// Table 三's data rows in template order, with group labels placed on the first row of each group.
    static func requests(_ report: SyntheticReport) -> [Row] {
        let definition = TemplateSchema.table(.requests, report.formats[.requests]!)
        let columns = TemplateSchema.requestColumns.map(\.code)
        var rows: [Row] = []
        var seenGroups = Set<String>()
        for row in definition.rows {
            let figures = columns.map { report.text(.requests, row.code, $0) }
            let label = requestLabels[row.code]!
            if let group = row.group, !row.isGroupRow {
                let size = definition.rows.filter { $0.group == group && !$0.isGroupRow }.count
                let first = seenGroups.insert(group).inserted
                rows.append(Row(labels: [(label, 1)], figures: figures, group: first ? (groupLabels[group]!, size) : nil))
            } else {
                rows.append(Row(labels: [(label, row.isOutcome || row.code == "total" ? 2 : 3)], figures: figures))
            }
        }
        return rows
    }

    static func appealsFigures(_ report: SyntheticReport) -> [String] {
        ["review", "suit_direct", "suit_after_review"].flatMap { row in
            ["upheld", "corrected", "other", "pending", "total"].map { report.text(.appeals, row, $0) }
        }
    }
}
