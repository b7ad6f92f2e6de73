/// Tables of another year printed beside this year's, each under a caption naming its year.
///
/// A report may print last year's table first, for comparison ("（一）2021年度情况" then "（二）2022年度情况").
/// Without a look at the captions the first table was kept, and a 2022 report stored 2021's figures under a mere
/// warning. Where the rows of a table come under captions naming years, and one of them names the report's year,
/// only the rows under that caption (and those before any caption) are read; the others are left out and said.
/// A caption may also follow its table ("（上表为2021年度数据）"): it then names the year of the rows above it, back
/// to the previous caption.
extension TableReader {
    /// The rows to read, and the other years whose captioned rows were left out.
    func rowsOfReportYear(_ rows: [TableRow]) -> (rows: [TableRow], leftOut: [Int]) {
        guard let year else { return (rows, []) }
        var captions: [Int?] = []
        var current: Int?
        var sinceCaption = 0
        for (index, row) in rows.enumerated() {
            if let captioned = Self.captionYear(row, reportYear: year) {
                if Self.captionLooksBack(row) {
                    // The rows since the previous caption are the table it names; the rows after it are not.
                    for above in sinceCaption..<index { captions[above] = captioned }
                    current = nil
                } else {
                    current = captioned
                }
                sinceCaption = index + 1
                captions.append(captioned)
                continue
            }
            captions.append(current)
        }
        let years = Set(captions.compactMap { $0 })
        guard years.contains(year), years.count > 1 else { return (rows, []) }
        let kept = zip(rows, captions).filter { $0.1 == nil || $0.1 == year }.map(\.0)
        return (kept, years.subtracting([year]).sorted())
    }

    /// A caption that names the table above it ("上表为2021年度数据", "以上为上年度情况"), not the one below.
    static func captionLooksBack(_ row: TableRow) -> Bool {
        guard let text = row.cells.first(where: { !$0.text.isEmpty })?.text else { return false }
        var body = Substring(LabelFolding.fold(text))
        if body.hasPrefix("注") { body = body.dropFirst() }
        return ["上表", "以上", "上述"].contains { body.hasPrefix($0) }
    }

    /// The year a caption line names ("（一）2021年度情况", "二〇二一年", "2021年"; with the report's year known,
    /// "本年度情况" and "上年度情况" too): a short line of one cell, no figure but the year.
    static func captionYear(_ row: TableRow, reportYear: Int? = nil) -> Int? {
        let filled = row.cells.filter { !$0.text.isEmpty }
        guard filled.count == 1 else { return nil }
        let text = LabelFolding.fold(MetadataReader.arabicYears(filled[0].text))
        guard text.count <= 16 else { return nil }
        if let reportYear, !text.contains(where: { $0.isASCII && $0.isNumber }) {
            // Relative captions ("（一）上年度情况", "本年度数据"): short, and ending as a caption does — never a template
            // row's label (二、上年结转政府信息公开申请数量).
            guard text.count <= 8, text.hasSuffix("情况") || text.hasSuffix("数据") else { return nil }
            let body = text.drop { "一二三四五六七八九十".contains($0) }
            if ["上年度", "上一年度"].contains(where: { body.hasPrefix($0) }) { return reportYear - 1 }
            if body.hasPrefix("本年度") { return reportYear }
            return nil
        }
        let scalars = Array(text.unicodeScalars)
        var found: Int?
        var index = 0
        while index < scalars.count {
            guard CellValueParser.isDigit(scalars[index]) else { index += 1; continue }
            var end = index
            while end < scalars.count, CellValueParser.isDigit(scalars[end]) { end += 1 }
            let digits = String(String.UnicodeScalarView(scalars[index..<end]))
            // One four-digit year followed by 年; any other figure makes the line no caption.
            guard digits.count == 4, let value = Int(digits), (2000...2099).contains(value), end < scalars.count, scalars[end] == "年",
                  found == nil else { return nil }
            found = value
            index = end
        }
        return found
    }
}
