import CLibXML2

/// Turns a page's elements and text, in document order, into outline blocks as they arrive.
///
/// The reading order is the one the extractor has always used: text goes to the current line and block
/// elements end it; `<br>`/`<hr>` end it and hold nothing; scripts, styles, `<sup>` and the like are skipped;
/// the last `<title>` gives the title; a data table (one holding no other table) is emitted whole, and a layout
/// table is read cell by cell as running text. Tables are recorded (``RecordedTable``) until they end, because
/// which kind a table is shows only then; everything else streams.
struct OutlineFlow {
    private(set) var blocks: [HTMLBlock] = []
    private(set) var title = ""
    private var line = TextAccumulator()
    private var titleText = TextAccumulator()
    /// Open elements of running text: whether each is a block (its end ends the line).
    private var frames: [Bool] = []
    private var mode = Mode.flow
    /// Elements open inside the skipped, line-break or title element that set `mode`, itself included.
    private var modalDepth = 0
    private var recorded = RecordedTable()
    /// Classes the page's `<style>` elements so far hide (``StyleSheetHiding``), and the text of the one being read.
    private var hiddenClasses: Set<[UInt8]> = []
    private var styleText: [UInt8] = []

    private enum Mode { case flow, ignoring, title, recording, styleSheet }

    mutating func open(_ tag: ElementTag, attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?) {
        switch mode {
        case .ignoring, .title, .styleSheet:
            modalDepth += 1
        case .recording:
            recorded.open(tag, attributes: attributes, hiddenClasses: hiddenClasses)
        case .flow:
            switch tag.role {
            case .skipped:
                mode = tag == .styleSheet ? .styleSheet : .ignoring
                modalDepth = 1
            case .lineBreak:
                flushLine()
                mode = .ignoring
                modalDepth = 1
            case .title:
                mode = .title
                modalDepth = 1
            case .table:
                flushLine()
                mode = .recording
                recorded.open(tag, attributes: attributes, hiddenClasses: hiddenClasses)
            case .block:
                flushLine()
                frames.append(true)
            case .inline:
                frames.append(false)
            }
        }
    }

    mutating func close() {
        switch mode {
        case .ignoring:
            modalDepth -= 1
            if modalDepth == 0 { mode = .flow }
        case .styleSheet:
            modalDepth -= 1
            if modalDepth == 0 {
                hiddenClasses.formUnion(StyleSheetHiding.hiddenClasses(styleText))
                styleText.removeAll()
                mode = .flow
            }
        case .title:
            modalDepth -= 1
            if modalDepth == 0 {
                title = titleText.take()
                mode = .flow
            }
        case .recording:
            if recorded.close() {
                mode = .flow
                var table = RecordedTable()
                swap(&table, &recorded)   // read it while this flow takes the cells' text
                emitTable(table, at: 0)
                table.removeAll()
                swap(&table, &recorded)   // keep the arrays' capacity for the next table
            }
        case .flow:
            if frames.popLast() == true { flushLine() }
        }
    }

    mutating func append(_ piece: UnsafeBufferPointer<UInt8>, cdata: Bool) {
        switch mode {
        case .flow: line.append(utf8: piece)
        case .title: if !cdata { titleText.append(utf8: piece) }   // the title is its text nodes' text only
        case .recording: recorded.append(piece, cdata: cdata)
        case .styleSheet: styleText.append(contentsOf: piece)
        case .ignoring: break
        }
    }

    mutating func flushLine() {
        let text = line.take()
        if !text.isEmpty { blocks.append(.text(text)) }
    }

    // MARK: Recorded tables

    /// A table met in running text (the line already ended): a data table whole, a layout table cell by cell.
    private mutating func emitTable(_ table: RecordedTable, at index: Int) {
        if table.nodes[index].containsTable {
            walkLayout(table, childrenOf: index)
        } else {
            let rows = DataTableReader(table: table).rows(of: index)
            if !rows.isEmpty { blocks.append(.table(HTMLTable(rows: rows))) }
        }
    }

    /// A layout table's structure: each cell is a block of running text; text outside cells is not read.
    private mutating func walkLayout(_ table: RecordedTable, childrenOf parent: Int) {
        table.forEachChild(of: parent) { child in
            let node = table.nodes[child]
            guard node.kind == .element else { return }
            if node.tag == .cell {
                flushLine()
                replay(table, childrenOf: child)
                flushLine()
            } else if node.tag == .table {
                flushLine()
                emitTable(table, at: child)
            } else {
                walkLayout(table, childrenOf: child)
            }
        }
    }

    /// Feeds a layout cell's content to this flow as if it arrived now; tables inside it are already recorded.
    private mutating func replay(_ table: RecordedTable, childrenOf parent: Int) {
        table.forEachChild(of: parent) { child in
            let node = table.nodes[child]
            switch node.kind {
            case .text, .cdata:
                table.withText(of: child) { append($0, cdata: node.kind == .cdata) }
            case .element:
                if node.tag == .table, mode == .flow {
                    flushLine()
                    emitTable(table, at: child)
                    return
                }
                open(node.tag, attributes: nil)
                if mode != .ignoring { replay(table, childrenOf: child) }   // else all of it would be ignored
                close()
            }
        }
    }
}

/// Reads a data table's rows from its recording: rows are `tr` anywhere below the table (not inside a
/// caption, not inside another row), cells are a row's own `td`/`th` children that are not hidden.
struct DataTableReader {
    let table: RecordedTable

    func rows(of tableIndex: Int) -> [[HTMLCell]] {
        var rows: [[HTMLCell]] = []
        collectRows(childrenOf: tableIndex, into: &rows)
        return rows
    }

    private func collectRows(childrenOf parent: Int, into rows: inout [[HTMLCell]]) {
        table.forEachChild(of: parent) { child in
            let node = table.nodes[child]
            guard node.kind == .element else { return }
            if node.tag == .row {
                if !node.hidden { rows.append(cells(of: child)) }
            } else if node.tag != .caption {
                collectRows(childrenOf: child, into: &rows)   // thead, tbody, tfoot, stray wrappers
            }
        }
    }

    private func cells(of row: Int) -> [HTMLCell] {
        var cells: [HTMLCell] = []
        table.forEachChild(of: row) { child in
            let node = table.nodes[child]
            guard node.kind == .element, node.tag == .cell, !node.hidden else { return }
            var fragments = Fragments()
            fragments.walk(table, childrenOf: child)
            cells.append(HTMLCell(fragments: fragments.finish(), rowSpan: Int(node.rowSpan), colSpan: Int(node.colSpan)))
        }
        return cells
    }

    /// A cell's text as fragments split at paragraph and line-break boundaries.
    private struct Fragments {
        private var fragments: [String] = []
        private var current = TextAccumulator()

        mutating func walk(_ table: RecordedTable, childrenOf parent: Int) {
            table.forEachChild(of: parent) { child in
                let node = table.nodes[child]
                switch node.kind {
                case .text, .cdata:
                    table.withText(of: child) { current.append(utf8: $0) }
                case .element where node.hidden:
                    break
                case .element:
                    switch node.tag.role {
                    case .skipped, .title: break
                    case .lineBreak: endFragment()
                    case .block, .table:
                        endFragment()
                        walk(table, childrenOf: child)
                        endFragment()
                    case .inline:
                        walk(table, childrenOf: child)
                    }
                }
            }
        }

        private mutating func endFragment() {
            let text = current.take()
            if !text.isEmpty { fragments.append(text) }
        }

        mutating func finish() -> [String] {
            endFragment()
            return fragments
        }
    }
}
