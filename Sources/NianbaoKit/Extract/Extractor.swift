import NianbaoHTML

/// The *extract* stage: decoded text in, headings, prose and table rows out.
///
/// HTML goes through libxml2 (``HTMLOutlineReader``), with tables laid out by ``TableGrid``; text and
/// markdown go line by line through ``TextLineSplitter``.
public struct Extractor: Sendable {
    public init() {}

    public func extract(_ document: DecodedDocument) throws -> ExtractedDocument {
        switch document.kind {
        case .html, .scan: return extract(HTMLOutlineReader.read(utf8: document.utf8), of: document)
        case .docx: return extract(DOCXOutlineReader.read(documentXML: document.utf8), of: document)
        case .text, .markdown, .pdf: return extractText(document)
        }
    }

    /// An HTML page's or Word document's outline: text lines, and tables laid out on a grid.
    private func extract(_ outline: HTMLOutline, of document: DecodedDocument) -> ExtractedDocument {
        var blocks: [ContentBlock] = []
        var tableIndex = 0
        for block in outline.blocks {
            switch block {
            case let .text(line):
                blocks.append(contentsOf: textBlocks(line))
            case let .table(table):
                let rows = TableGrid.rows(of: table, tableIndex: tableIndex)
                tableIndex += 1
                // Rows with every cell empty are kept: table 四 of an agency without cases is printed so.
                for row in rows where !row.cells.isEmpty {
                    // A one-cell row holding a section heading is a heading (some sites put them in the table).
                    if row.cells.count == 1, let number = SectionHeadings.sectionNumber(of: row.cells[0].text) {
                        blocks.append(.heading(number: number, text: row.cells[0].text))
                    } else {
                        blocks.append(.row(row))
                    }
                }
            }
        }
        let findings = outline.problems.map {
            Finding(rule: .extractHTMLParse, severity: .error, actual: Double($0.code),
                    message: "libxml2 stopped reading part of the page (error \($0.code): \($0.message)); content after that point is missing")
        }
        let title = outline.title.isEmpty ? nil : outline.title
        return ExtractedDocument(decoded: document, title: title, blocks: blocks, findings: findings)
    }

    private func extractText(_ document: DecodedDocument) -> ExtractedDocument {
        let markdown = document.kind == .markdown
        var blocks: [ContentBlock] = []
        var origins: [Int: SourcePosition] = [:]
        var tableIndex = 0
        var inTable = false
        // Lines are counted per page in a PDF (pdftotext ends each page with a form feed), from 1.
        let paged = document.kind == .pdf
        var page = 1, lineNumber = 0
        // Lines end in LF, CRLF or a lone CR (old Mac exports).
        let lines = document.text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
        // A markdown table written without outer pipes: its number of cells, from its delimiter row.
        var bareColumns: Int?
        for (index, line) in lines.enumerated() {
            lineNumber += 1
            if paged, case let feeds = line.reduce(0, { $0 + ($1 == "\u{0C}" ? 1 : 0) }), feeds > 0 {
                page += feeds
                lineNumber = 1
            }
            if markdown {
                let text = String(line)
                if bareColumns == nil, text.contains("|"), index + 1 < lines.count {
                    bareColumns = TextLineSplitter.bareDelimiterColumns(String(lines[index + 1]))
                } else if bareColumns != nil, !text.contains("|") {
                    bareColumns = nil
                }
            }
            let read = bareColumns.map { TextLineSplitter.bareRow(String(line), columns: $0) } ?? TextLineSplitter.split(String(line), markdown: markdown)
            switch read {
            case .skip:
                continue
            case let .prose(text):
                if inTable { tableIndex += 1 }
                inTable = false
                for block in textBlocks(text) {
                    if case .text = block { origins[blocks.count] = SourcePosition(line: lineNumber, page: paged ? page : nil) }
                    blocks.append(block)
                }
            case let .row(cells):
                inTable = true
                blocks.append(.row(TableRow(texts: cells, tableIndex: markdown ? tableIndex : nil,
                                            origin: SourcePosition(line: lineNumber, page: paged ? page : nil))))
            }
        }
        var extracted = ExtractedDocument(decoded: document, title: nil, blocks: blocks)
        extracted.textOrigins = origins
        return extracted
    }

    private func textBlocks(_ line: String) -> [ContentBlock] {
        let cleaned = trimmedText(line.removingAll("**"))
        guard !cleaned.isEmpty else { return [] }
        if let number = SectionHeadings.sectionNumber(of: cleaned) { return [.heading(number: number, text: cleaned)] }
        let pieces = SectionHeadings.splitInline(cleaned)
        guard pieces.count > 1 else { return [.text(cleaned)] }
        return pieces.flatMap { piece -> [ContentBlock] in
            guard let heading = SectionHeadings.leadingHeading(piece) else { return [.text(trimmedText(piece))] }
            let rest = trimmedText(heading.rest)
            return [.heading(number: heading.number, text: heading.heading)] + (rest.isEmpty ? [] : [.text(rest)])
        }
    }
}
