/// The *normalize* stage: an extracted document in, a ``Report`` of canonical cells out.
///
/// Rows are attributed to a table by the section heading above them (二/三/四), or by their own words
/// for HTML tables placed without a heading; each table is then read by ``TableReader``. A report with
/// none of the template's tables is a failure, unless it is a pre-2019 free-form report, which is
/// returned as `unsupportedFormat` with no cells.
public struct Normalizer: Sendable {
    public init() {}

    public func normalize(_ fullDocument: ExtractedDocument) throws -> Report {
        let document = Self.firstReport(of: fullDocument)
        let metadata = MetadataReader.read(document)
        if isLegacyReport(document) {
            return Report(metadata: metadata, unsupportedFormat: true)
        }
        let rowsByTable = attribute(document.blocks, textOrigins: document.textOrigins)
        var report = Report(metadata: metadata)
        report.findings = document.decoded.findings + document.findings
        if let printed = metadata.impossibleDate {
            report.findings.append(Finding(rule: .metadataMissing, severity: .info,
                                           message: "the publication date printed, \"\(printed)\", is no calendar day: no publication date is stored"))
        }
        var tablesWithRows = 0
        let facts = NarrativeFacts.facts(in: metadata.sections.sorted { $0.key < $1.key }.map(\.value).joined(separator: "\n"))
        for table in TableCode.allCases {
            guard let rows = rowsByTable[table], !rows.isEmpty else { continue }
            // Table 四 in words only ("未发生…行政复议和行政诉讼案件"): a year in the sentence is no run of figures.
            if table == .appeals, NoCasesStatement.apply(to: &report, rows: rows) {
                tablesWithRows += 1
                continue
            }
            // Without a year, table 四 (the same in both formats) takes the format the other tables show.
            let fallback = report.formats[.requests] ?? report.formats[.active]
            let result = TableReader(table: table, year: metadata.year, agency: metadata.agency, fallbackFormat: fallback,
                                     facts: facts.filter { $0.table == table }).read(rows)
            guard !result.foundRows.isEmpty else {
                report.findings += result.findings
                // Only another agency's table 四 was printed (appended for reference): the report's own may be a
                // sentence saying there was no case.
                if table == .appeals, result.otherScopeLeftOut, NoCasesStatement.apply(to: &report, rows: []) { tablesWithRows += 1 }
                continue
            }
            tablesWithRows += 1
            report.formats[table] = result.format
            var cells = result.cells
            var findings = result.findings
            if table == .requests { CutTotalColumn.apply(to: &cells, findings: &findings) }
            report.cells += cells
            report.findings += findings
            let definition = TemplateSchema.table(table, result.format)
            // Where some figures of the table could not be placed, a missing row may be among them: a warning
            // then, not an error.
            let unplaced = result.findings.contains { [.structureUnlabelledValues, .structureColumnCount, .extractAmbiguousSplit,
                                                       .structureUnknownRow].contains($0.rule) }
            // In a scan, a row not found is a label OCR could not read, not a row the publisher left out.
            let scanned = document.decoded.ocrConfidences != nil
            // A row whose figures could not be told from another's (a finding on it says so) was found, not missed.
            let abstainedRows = Set(result.findings.filter { $0.rule == .structureUnlabelledValues }.compactMap(\.row))
            for row in definition.rows where !result.foundRows.contains(row.code) && !abstainedRows.contains(row.code) {
                report.findings.append(Finding(rule: .structureMissingRow, severity: unplaced || scanned ? .warning : .error, table: table, row: row.code,
                                               message: "row \(row.code) (\(row.labels[0])) of table \(table.rawValue) was not found"
                                                + (scanned ? " in what OCR read from the scan" : "")
                                                + (unplaced ? " among the rows read; some figures of the table could not be placed" : "")))
            }
        }
        report.abstainDamagedCells()
        if tablesWithRows == 0 {
            if (metadata.year ?? 9999) < 2019 { return Report(metadata: metadata, unsupportedFormat: true) }
            // Name the real cause when the parser stopped reading the page before any table.
            if let cut = report.findings.first(where: { $0.rule == .extractHTMLParse }) {
                throw StageFailure(stage: .normalize, reason: "no statistical table was read: \(cut.message)")
            }
            throw StageFailure(stage: .normalize, reason: "no statistical table of the 2019 or 2021 template was found")
        }
        // A document cut inside a table (an interrupted transfer, a file read while written) may end in the
        // middle of a figure — "12" cut to "1" — which nothing else would show: it is not read at all.
        if let cut = cutInsideTable(document) {
            throw StageFailure(stage: .normalize, reason: "document appears truncated: \(cut); a figure at the cut cannot be told from a whole one")
        }
        let missing = TableCode.allCases.filter { report.formats[$0] == nil }
        if !missing.isEmpty, let ending = truncation(document) {
            throw StageFailure(stage: .normalize, reason: "document appears truncated (\(ending)); table(s) \(missing.map(\.rawValue).joined(separator: ", ")) not found")
        }
        for table in missing {
            if table == .appeals, NoCasesStatement.apply(to: &report, rows: rowsByTable[.appeals] ?? []) { continue }
            report.findings.append(Finding(rule: .structureMissingTable, severity: .error, table: table,
                                           message: "table \(table.rawValue) was not found"))
        }
        // Tables found but most of their cells not read (a layout misread): an error, not a quiet warning.
        let expected = report.formats.reduce(0) { $0 + TemplateSchema.table($1.key, $1.value).cellCount }
        if expected > 0, report.cells.count * 2 < expected {
            report.findings.append(Finding(rule: .structureMostlyUnread, severity: .error, expected: Double(expected), actual: Double(report.cells.count),
                                           message: "only \(report.cells.count) of the \(expected) cells of the tables found could be read"))
        }
        // A scan: figures read by OCR stay only where the identities prove them.
        if let confidences = document.decoded.ocrConfidences { OCRGate.apply(to: &report, confidences: confidences) }
        if document.decoded.proseFromOCR, report.metadata.agency != nil || report.metadata.year != nil {
            // No identity checks a name: one misread character files the report under another agency.
            report.findings.append(Finding(rule: .ocrMetadataUnverified, severity: .warning,
                                           message: "the agency \"\(report.metadata.agency ?? "?")\" and year \(report.metadata.year.map(String.init) ?? "?") were read by OCR from the scan; a misread character files the report under another agency: check them, or give them in a hints manifest"))
        }
        return report
    }

    /// A page that appends a second report (a county's report followed by a township's) is cut before the
    /// second one's title, once the first has reached its section 六: one document, one report.
    static func firstReport(of document: ExtractedDocument) -> ExtractedDocument {
        var seenLastSection = false
        var firstYear: Int?
        var titleTries = 0   // the report's own title is among the first lines naming a 报告 (a regex each: only a few)
        for (index, block) in document.blocks.enumerated() {
            switch block {
            case let .heading(number, _):
                if number == 6 { seenLastSection = true }
            case let .text(line):
                guard line.includes("报告") || line.includes("報告") else { continue }
                guard seenLastSection else {
                    if firstYear == nil, titleTries < 3 {
                        titleTries += 1
                        firstYear = MetadataReader.parseTitle(line, previous: nil)?.year
                    }
                    continue
                }
                guard let title = MetadataReader.parseTitle(line, previous: nil) else { continue }
                // An appendix of the same report ("附件：2022年度政府信息公开工作年度报告统计表", or an appendix naming
                // the report's own year) is no second report: cut there, the report lost its only tables. An appended
                // report of another year is one ("附：…2022年政府信息公开工作年度报告" after 2023's).
                let folded = LabelFolding.fold(line)
                if folded.hasSuffix("表") || (folded.hasPrefix("附") && (firstYear == nil || title.year == firstYear)) { continue }
                var first = document
                first.blocks = Array(document.blocks[..<index])
                first.findings.append(Finding(rule: .structureSecondReport, severity: .warning,
                                              message: "the document goes on with another report (\"\(line.prefix(60))\"); only the first is read"))
                return first
            case .row:
                continue
            }
        }
        return document
    }

    /// How a document looks cut short: an HTML page without its closing tag, or text ending inside a table.
    /// How a document ends inside a table, if it does: an HTML page whose last `<table>` is never closed; a text
    /// whose last line is a table row without its line end (a markdown row without its closing `|`).
    func cutInsideTable(_ document: ExtractedDocument) -> String? {
        let bytes = document.decoded.utf8
        switch document.decoded.kind {
        case .html, .scan:
            return Self.endsInsideTable(bytes.suffix(65_536)) ? "it ends inside a table (no closing </table>)" : nil
        case .text, .markdown, .pdf:
            // Only a row of a statistical table's section can be cut inside a figure ("无" under 六 is no table).
            let lastHeading = document.blocks.last { if case .heading = $0 { return true } else { return false } }
            guard case let .heading(number, _)? = lastHeading, TemplateSchema.sections.first(where: { $0.number == number })?.table != nil
            else { return nil }
            // A table run together into one line of text (a crawler's export) is prose to the splitter: cut, it ends
            // with a figure and no line end ("…行政许可1069" of 10690).
            if case .text? = document.blocks.last {
                return Self.endsWithFigureUncut(bytes) ? nil : "it ends with a figure inside a table's section, without a line end"
            }
            guard case .row? = document.blocks.last else { return nil }
            // A pipe row without the closing `|` its table's other rows have.
            let lines = String(decoding: bytes.suffix(65_536), as: UTF8.self).split(whereSeparator: \.isNewline)
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            if let last = lines.last, last.hasPrefix("|"), !last.hasSuffix("|") {
                let pipeRows = lines.dropLast().filter { $0.hasPrefix("|") }
                if pipeRows.filter({ $0.hasSuffix("|") }).count * 2 > pipeRows.count {
                    return "it ends inside a table row (a markdown row without its closing |)"
                }
            }
            guard let last = bytes.last, last != 0x0A, last != 0x0D, document.decoded.kind != .markdown else { return nil }
            return "it ends inside a table row, without a line end"
        case .docx:
            return nil
        }
    }

    func truncation(_ document: ExtractedDocument) -> String? {
        if document.decoded.kind == .html {
            let tail = document.decoded.utf8.suffix(2048)
            return Self.lastTag("</html", in: tail) != nil || Self.lastTag("</body", in: tail) != nil
                ? nil : "the HTML has no closing </body> or </html>"
        }
        if case .row? = document.blocks.last { return "the text ends inside a table" }
        if !Self.endsWithFigureUncut(document.decoded.utf8) { return "the text ends with a figure, without a line end" }
        return nil
    }

    /// False when the bytes end with a digit and no line end: the last figure may be cut ("10690" arriving as "1069").
    static func endsWithFigureUncut(_ bytes: [UInt8]) -> Bool {
        guard let last = bytes.last else { return true }
        // A full-width digit ends in EF BC 90…99.
        let fullWidth = bytes.count >= 3 && bytes[bytes.count - 3] == 0xEF && bytes[bytes.count - 2] == 0xBC && (0x90...0x99).contains(last)
        return !((0x30...0x39).contains(last) || fullWidth)
    }

    /// Where the last `tag` (lowercase ASCII) starts in `bytes`, in any case.
    ///
    /// On the bytes: the tail of a page lowercased into a String and searched backwards through Foundation cost
    /// about 100 M instructions a page, half of the pipeline's (issue 18). The tags are ASCII, and lowercasing
    /// turns no other character into one of their letters, so folding ASCII case finds what the String did.
    static func lastTag(_ tag: StaticString, in bytes: ArraySlice<UInt8>) -> Int? {
        let needle = UnsafeBufferPointer(start: tag.utf8Start, count: tag.utf8CodeUnitCount)
        guard bytes.count >= needle.count, needle.first == UInt8(ascii: "<") else { return nil }
        // Backwards from one "<" to the one before it, comparing the tag there case-insensitively, through a raw
        // buffer: the footer after a page's last table is tens of kilobytes (2 % of a run with indexed slices).
        return bytes.withUnsafeBufferPointer { buffer -> Int? in
            var start = buffer.count - needle.count
            while start >= 0 {
                if buffer[start] == 0x3C {
                    var offset = 1
                    while offset < needle.count {
                        let byte = buffer[start + offset]
                        guard (byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte) == needle[offset] else { break }
                        offset += 1
                    }
                    if offset == needle.count { return bytes.startIndex + start }
                }
                start -= 1
            }
            return nil
        }
    }

    /// Whether the last table tag of `bytes` opens a table: one walk back from the end to the first `<table` or
    /// `</table` (two walks, one for each, crossed the page's footer twice).
    static func endsInsideTable(_ bytes: ArraySlice<UInt8>) -> Bool {
        let open: [UInt8] = Array("<table".utf8), close: [UInt8] = Array("</table".utf8)
        return bytes.withUnsafeBufferPointer { buffer -> Bool in
            func matches(_ needle: [UInt8], at start: Int) -> Bool {
                guard start + needle.count <= buffer.count else { return false }
                for offset in 1..<needle.count {
                    let byte = buffer[start + offset]
                    guard (byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte) == needle[offset] else { return false }
                }
                return true
            }
            var start = buffer.count - open.count
            while start >= 0 {
                if buffer[start] == 0x3C {
                    if matches(open, at: start) { return true }
                    if matches(close, at: start) { return false }
                }
                start -= 1
            }
            return false
        }
    }

    /// Groups rows by the table they belong to.
    ///
    /// A table's own words decide when they are the template's (its header); otherwise the section heading
    /// above it does. Tables under a narrative section (一、五、六) without the template's words are prose
    /// illustrations (a table of 公示条数 in 总体情况) and belong to no statistical table.
    func attribute(_ blocks: [ContentBlock], textOrigins: [Int: SourcePosition] = [:]) -> [TableCode: [TableRow]] {
        var current: Int?
        var segment = 0
        var rowsByTable: [TableCode: [(segment: Int, row: TableRow)]] = [:]
        var rowsOfIndex: [Int: [TableRow]] = [:]
        for case let .row(row) in blocks { if let index = row.tableIndex { rowsOfIndex[index, default: []].append(row) } }
        let foldedText = rowsOfIndex.mapValues { LabelFolding.fold($0.map(\.joinedText).joined()) }
        let strong = foldedText.compactMapValues { classify($0, signals: TemplateSchema.headerSignals) }
        let weak = foldedText.compactMapValues { classify($0, signals: TemplateSchema.contentSignals) }
        for (index, block) in blocks.enumerated() {
            let section = current.flatMap { number in TemplateSchema.sections.first { $0.number == number } }
            switch block {
            case let .heading(number, _):
                current = number
                segment += 1
            case let .text(line):
                // Prose inside a table's section: in text exports these are label fragments (wrapped or
                // moved labels, group labels); the table reader uses them only as such.
                if let table = section?.table { rowsByTable[table, default: []].append((segment, TableRow(texts: [line], origin: textOrigins[index]))) }
            case let .row(row):
                let own = row.tableIndex.flatMap { strong[$0] }
                let table: TableCode?
                if let section {
                    table = own ?? section.table
                } else {
                    table = own ?? row.tableIndex.flatMap { weak[$0] }
                }
                if let table {
                    // A table outside its own section (an appendix in 六: "附：全县2022年度…情况" over a county's table 四)
                    // keeps the caption just above it: the caption says whose table it is.
                    if let own, section?.table != own, let tableIndex = row.tableIndex, rowsOfIndex[tableIndex]?.first == row,
                       index > 0, case let .text(line) = blocks[index - 1],
                       TableReader.caption(TableRow(texts: [line]), reportYear: nil) != nil {
                        rowsByTable[table, default: []].append((segment, TableRow(texts: [line], origin: textOrigins[index - 1])))
                    }
                    rowsByTable[table, default: []].append((segment, row))
                }
            }
        }
        return Dictionary(uniqueKeysWithValues: rowsByTable.map { ($0.key, Self.dropStraySegments($0.value, table: $0.key)) })
    }

    /// A table's heading printed twice (a table of contents, a heading quoted in the prose of 一) puts the
    /// rows after the first one under that table. Where a table's rows come from several headings, those
    /// under a heading whose rows name nothing of the template are dropped.
    static func dropStraySegments(_ rows: [(segment: Int, row: TableRow)], table: TableCode) -> [TableRow] {
        let segments = Set(rows.map(\.segment))
        guard segments.count > 1 else { return rows.map(\.row) }
        // The table's own distinctive labels (four characters or more: not 其他, 规章…) and header words.
        let allLabels = TemplateSchema.tables.filter { $0.code == table }.flatMap { $0.rows.flatMap(\.foldedLabels) }.filter { $0.count >= 4 }
            + TemplateSchema.headerSignals.filter { $0.0 == table }.flatMap(\.1)
        let kept = segments.filter { segment in
            rows.contains { $0.segment == segment && allLabels.contains(where: LabelFolding.fold($0.row.joinedText).includes) }
        }
        return rows.filter { kept.isEmpty || kept.contains($0.segment) }.map(\.row)
    }

    /// The table whose characteristic words a group of rows contains, if exactly one.
    func classify(_ text: String, signals: [(TableCode, [String])]) -> TableCode? {
        let hits = signals.filter { _, words in words.contains { text.includes($0) } }.map(\.0)
        return hits.count == 1 ? hits[0] : nil
    }

    /// A pre-2019 free-form statistics table, and none of the template's own words.
    func isLegacyReport(_ document: ExtractedDocument) -> Bool {
        var texts: [String] = []
        for block in document.blocks {
            switch block {
            case let .text(line), let .heading(_, line): texts.append(line)
            case let .row(row): texts.append(row.joinedText)
            }
        }
        // Cheap test first, block by block (one search over the lines, which the signals cannot span): the signal words
        // in either script.
        let signals = ["计量单位", "計量單位", "统计表", "統計表"]
        let lines = texts.joined(separator: "\n")
        guard signals.contains(where: lines.includes) else { return false }
        let folded = LabelFolding.fold(texts.joined())
        guard TemplateSchema.legacyFormatSignals.contains(where: { $0.allSatisfy { folded.includes($0) } }) else { return false }
        return !TemplateSchema.templateSignals.contains { folded.includes($0) }
    }
}

extension Report {
    /// A cell whose text holds U+FFFD — bytes invalid in the page's encoding, or control bytes — cannot be read
    /// with certainty ("1\u{FFFD}24" might be 1, 24 or 124): it is not stored, and a `decode.invalid_bytes` warning
    /// on that cell says why.
    mutating func abstainDamagedCells() {
        let damaged = cells.filter { $0.raw.unicodeScalars.contains("\u{FFFD}") }
        guard !damaged.isEmpty else { return }
        cells.removeAll { $0.raw.unicodeScalars.contains("\u{FFFD}") }
        findings += damaged.map { cell in
            Finding(rule: .decodeInvalidBytes, severity: .warning, table: cell.table, row: cell.row, col: cell.col,
                    message: "\(cell.table.rawValue).\(cell.row).\(cell.col) holds damaged bytes (\"\(cell.raw)\"): the figure is not read")
        }
    }
}
