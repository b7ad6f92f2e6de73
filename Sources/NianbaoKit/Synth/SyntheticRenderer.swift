/// Renders a ``SyntheticReport`` in one of the layouts the project reads.
enum SyntheticRenderer {
    enum Layout: String, CaseIterable {
        case html, wordHTML, tabs, spaces, markdown

        var fileExtension: String {
            switch self {
            case .html, .wordHTML: return "html"
            case .tabs, .spaces: return "txt"
            case .markdown: return "md"
            }
        }
    }

    static func title(_ report: SyntheticReport) -> String { "\(report.agency)\(report.year)年政府信息公开工作年度报告" }

    static func prose(_ report: SyntheticReport) -> [String] {
        let new = report.text(.requests, "new", "total")
        return ["本报告依据《中华人民共和国政府信息公开条例》编制，所列数据的统计期限自\(report.year)年1月1日至\(report.year)年12月31日。",
                "\(report.year)年，本机关坚持以公开为常态、不公开为例外，全年新收政府信息公开申请\(new)件，均在法定期限内答复。",
                "政务公开平台建设持续加强，政策解读与回应关切工作有序开展。"]
    }

    static let headings = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                           "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]

    static func render(_ report: SyntheticReport, layout: Layout, chromeBytes: Int, random: inout SeededGenerator) -> String {
        switch layout {
        case .html: return html(report, word: false, chromeBytes: chromeBytes, charset: "utf-8", random: &random)
        case .wordHTML: return html(report, word: true, chromeBytes: chromeBytes, charset: "utf-8", random: &random)
        case .tabs: return text(report, separator: "\t")
        case .spaces: return text(report, separator: "    ")
        case .markdown: return markdown(report)
        }
    }

    // MARK: HTML

    static func html(_ report: SyntheticReport, word: Bool, chromeBytes: Int, charset: String, random: inout SeededGenerator) -> String {
        func cell(_ text: String, rows: Int = 1, columns: Int = 1) -> String {
            var attributes = ""
            if rows > 1 { attributes += " rowspan=\"\(rows)\"" }
            if columns > 1 { attributes += " colspan=\"\(columns)\"" }
            guard word else { return "<td\(attributes)>\(text)</td>" }
            // Word splits labels over runs and paragraphs.
            let characters = Array(text)
            let middle = characters.count / 2
            let body = characters.count > 3
                ? "<span lang=\"ZH-CN\">\(String(characters[..<middle]))</span><span style=\"font-family:宋体\">\(String(characters[middle...]))</span>"
                : "<span>\(text.isEmpty ? "&nbsp;" : text)</span>"
            return "<td valign=\"center\"\(attributes)><p class=\"MsoNormal\" align=\"center\">\(body)</p></td>"
        }
        func table(_ rows: [String]) -> String {
            "<table border=\"1\" cellspacing=\"0\" class=\"MsoTableGrid\"><tbody>\n" + rows.map { "<tr>\($0)</tr>" }.joined(separator: "\n") + "\n</tbody></table>"
        }
        let active = table(PrintedTemplate.active(report).map { row in
            let width = row.labels.count + row.figures.count
            if row.isHeader || row.figures.isEmpty {
                let last = row.labels.count - 1
                return row.labels.enumerated().map { index, label in
                    cell(label.text, columns: index == last ? max(label.span, 4 - width + 1) : label.span)
                }.joined()
            }
            return cell(row.labels[0].text) + row.figures.enumerated().map { index, figure in
                cell(figure, columns: index == row.figures.count - 1 ? 4 - width + 1 : 1)
            }.joined()
        })
        var requestRows = [
            cell("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", rows: 3, columns: 3) + cell("申请人情况", columns: 7),
            cell("自然人", rows: 2) + cell("法人或其他组织", columns: 5) + cell("总计", rows: 2),
            ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"].map { cell($0) }.joined(),
        ]
        let printed = PrintedTemplate.requests(report)
        let outcomeCount = printed.count - 4 + 1   // rows from granted to total
        for (index, row) in printed.enumerated() {
            var html = ""
            if index == 2 { html += cell("三、本年度办理结果", rows: outcomeCount) }
            if let group = row.group { html += cell(group.text, rows: group.rows) }
            html += cell(row.labels[0].text, columns: row.labels[0].span)
            html += row.figures.map { cell($0) }.joined()
            requestRows.append(html)
        }
        let appealsHeader = [
            cell("行政复议", columns: 5) + cell("行政诉讼", columns: 10),
            ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"].map { cell($0, rows: 2) }.joined() + cell("未经复议直接起诉", columns: 5) + cell("复议后起诉", columns: 5),
            (0..<2).map { _ in ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"].map { cell($0) }.joined() }.joined(),
        ]
        let appeals = table(appealsHeader + [PrintedTemplate.appealsFigures(report).map { cell($0) }.joined()])
        let paragraphs = prose(report).map { "<p style=\"text-indent:2em\">\($0)</p>" }.joined(separator: "\n")
        let body = """
            <p><strong>\(headings[0])</strong></p>
            \(paragraphs)
            <p><strong>\(headings[1])</strong></p>
            \(active)
            <p><strong>\(headings[2])</strong></p>
            \(table(requestRows))
            <p><strong>\(headings[3])</strong></p>
            \(appeals)
            <p><strong>\(headings[4])</strong></p>
            <p>信息公开的及时性和解读的针对性仍需提高，下一步将加强培训和考核。</p>
            <p><strong>\(headings[5])</strong></p>
            <p>本年度未收取信息处理费。</p>
            """
        let article = word ? "<table class=\"layout\" width=\"100%\"><tr><td><div class=\"WordSection1\">\(body)</div></td></tr></table>" : body
        let page = """
            <!DOCTYPE html>
            <html><head><meta http-equiv="Content-Type" content="text/html; charset=\(charset)">
            <title>\(title(report))_政府信息公开年报</title>
            <script>var _hmt = _hmt || []; window.siteConfig = {"columns": [\(String(repeating: "\"zwgk\",", count: 20))"end"]};</script>
            </head><body>
            \(chrome(report, bytes: chromeBytes / 2, random: &random))
            <div class="article"><h1>\(title(report))</h1><div class="info">发布日期：\(report.year + 1)-01-2\(Int.random(in: 0...8, using: &random))</div>
            <div class="TRS_Editor">\(article)</div></div>
            \(chrome(report, bytes: chromeBytes / 2, random: &random))
            </body></html>
            """
        return page
    }

    /// Site navigation, link lists, scripts and a footer, as government sites wrap their articles.
    static func chrome(_ report: SyntheticReport, bytes: Int, random: inout SeededGenerator) -> String {
        var parts: [String] = []
        var size = 0
        let sections = ["政务公开", "政务服务", "互动交流", "走进\(report.agency.prefix(2))", "专题专栏", "数据开放", "政策文件", "人事信息"]
        while size < bytes {
            let links = (0..<12).map { index in
                "<li><a href=\"/zwgk/\(Int.random(in: 1000...9999, using: &random))/t\(index).html\" title=\"\(sections.randomElement(using: &random)!)\">\(sections.randomElement(using: &random)!)第\(index + 1)期工作动态</a><span>\(report.year)-0\(index % 9 + 1)-1\(index % 9)</span></li>"
            }.joined()
            let block = "<div class=\"nav-block\"><ul>\(links)</ul></div>\n<script>document.write('<div class=\"ad\" data-id=\"\(Int.random(in: 0...99999, using: &random))\"></div>');</script>\n"
            parts.append(block)
            size += block.utf8.count
        }
        return "<div class=\"chrome\">" + parts.joined() + "<div class=\"footer\">主办：\(report.agency)办公室 网站标识码：\(Int.random(in: 1_000_000...9_999_999, using: &random))</div></div>"
    }

    // MARK: Text

    /// Tab-separated (blank cells kept as empty cells) or space-aligned (blank cells printed as "/" … never:
    /// rows with only 总计 print just it, the way such exports lose the blanks).
    static func text(_ report: SyntheticReport, separator: String) -> String {
        let tabs = separator == "\t"
        func line(_ labels: [String], _ figures: [String]) -> String {
            if tabs { return (labels + figures).joined(separator: "\t") }
            let shown = figures.allSatisfy { $0.isEmpty } ? [] : (figures.dropLast().allSatisfy { $0.isEmpty } ? [figures.last!] : figures)
            return (labels.filter { !$0.isEmpty } + shown).joined(separator: separator)
        }
        var lines = [title(report), ""]
        lines.append(headings[0])
        lines += prose(report)
        lines.append(headings[1])
        for row in PrintedTemplate.active(report) { lines.append(line(row.labels.map(\.text), row.figures)) }
        lines.append(headings[2])
        lines.append(line(["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"], []))
        lines.append(line(["", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"], []))
        for (index, row) in PrintedTemplate.requests(report).enumerated() {
            var labels: [String] = []
            if row.labels[0].span < 3 { labels.append(index == 2 ? "三、本年度办理结果" : "") }
            if row.labels[0].span == 1 { labels.append(row.group?.text ?? "") }
            labels.append(row.labels[0].text)
            lines.append(line(labels, row.figures))
        }
        lines.append(headings[3])
        lines.append(line(["行政复议", "", "", "", "", "行政诉讼"], []))
        lines.append(line(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "复议后起诉"], []))
        lines.append(PrintedTemplate.appealsFigures(report).joined(separator: separator))
        lines.append(headings[4])
        lines.append("工作中仍存在解读形式较为单一等问题，将在下一年度逐步改进。")
        lines.append(headings[5])
        lines.append("无。")
        return lines.joined(separator: "\n") + "\n"
    }

    static func markdown(_ report: SyntheticReport) -> String {
        func row(_ cells: [String]) -> String { "| " + cells.joined(separator: " | ") + " |" }
        func separator(_ count: Int) -> String { "|" + String(repeating: "---|", count: count) }
        var lines = ["# \(title(report))", "", "## \(headings[0])", ""] + prose(report) + ["", "## \(headings[1])", ""]
        for printed in PrintedTemplate.active(report) {
            let cells = printed.labels.map(\.text) + printed.figures
            if printed.isHeader && printed.labels.count == 1 { lines += ["", "**\(cells[0])**", ""]; continue }
            lines.append(row(cells))
            if printed.isHeader { lines.append(separator(cells.count)) }
        }
        lines += ["", "## \(headings[2])", "", row(["申请人情况", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]), separator(8)]
        for printed in PrintedTemplate.requests(report) {
            let label = (printed.group.map { $0.text + " " } ?? "") + printed.labels[0].text
            lines.append(row([label] + printed.figures))
        }
        lines += ["", "## \(headings[3])", "", row(["行政复议（维持/纠正/其他/未审结/总计）", "直接起诉", "复议后起诉"]), separator(3)]
        lines.append(row(PrintedTemplate.appealsFigures(report)))
        lines += ["", "## \(headings[4])", "", "公开工作的规范化水平有待提升。", "", "## \(headings[5])", "", "无。", ""]
        return lines.joined(separator: "\n")
    }
}
