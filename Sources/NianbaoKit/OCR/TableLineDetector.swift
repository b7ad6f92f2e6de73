/// Finds ruled tables on a page image and their cells, merged cells included, from the ruling lines.
///
/// Horizontal lines are long runs of ink along a pixel row (gaps of a few pixels, from noise or a light scan,
/// bridged); consecutive horizontal lines joined by a vertical line belong to one table. Within a table, vertical
/// lines are columns of ink crossing a row band. The bands and columns make a grid of elementary cells; two
/// neighbouring cells are one merged cell where the line between them is missing (a colspan or a rowspan, as in
/// the template's group labels). The lines themselves are never read: each cell is cropped inside them.
struct TableLineDetector {
    struct Cell: Equatable, Sendable {
        var frame: GrayImage.Rect
        var row: Int, column: Int, rowSpan: Int, columnSpan: Int
    }

    struct Table: Equatable, Sendable {
        var frame: GrayImage.Rect
        var rows: Int
        var columns: Int
        var cells: [Cell]
    }

    let image: GrayImage
    /// Rules are thin and often lighter than text (a light scan, JPEG compression): a lighter level than ink's
    /// counts for them — noise does not make runs a fifth of the page long.
    private let lineLevel: UInt8

    init(image: GrayImage) {
        self.image = image
        lineLevel = UInt8(min(235, Int(image.inkLevel) + 40))
    }

    @inline(__always) private func isLine(_ x: Int, _ y: Int) -> Bool { image.pixels[y * image.width + x] < lineLevel }

    /// Pixels of white tolerated inside a line, and the share of a segment that must be ink.
    private var gap: Int { max(2, image.width / 800) }
    private let coverage = 0.8

    func tables() -> [Table] {
        let rows = horizontalLines()
        guard rows.count >= 2 else { return [] }
        // Split the lines into tables where no vertical line joins two consecutive ones.
        var groups: [[Int]] = [[rows[0]]]
        for (upper, lower) in zip(rows, rows.dropFirst()) {
            if !verticalLines(between: upper, and: lower, from: 0, to: image.width).isEmpty {
                groups[groups.count - 1].append(lower)
            } else {
                groups.append([lower])
            }
        }
        return groups.filter { $0.count >= 2 }.compactMap(table)
    }

    // MARK: Lines

    /// Centres of horizontal lines: pixel rows with a run of ink (small gaps bridged) over 15 % of the width.
    func horizontalLines() -> [Int] {
        let minimum = image.width * 15 / 100
        var lineRows: [Int] = []
        for y in 0..<image.height where longestRun(alongRow: y, from: 0, to: image.width) >= minimum { lineRows.append(y) }
        return Self.centres(of: lineRows, tolerance: max(3, image.height / 1000))
    }

    private func longestRun(alongRow y: Int, from x0: Int, to x1: Int) -> Int {
        var best = 0, current = 0, white = 0
        for x in x0..<x1 {
            if isLine(x, y) {
                current += white + 1
                white = 0
            } else if current > 0 {
                white += 1
                if white > gap { best = max(best, current); current = 0; white = 0 }
            }
        }
        return max(best, current)
    }

    /// Centres of vertical lines crossing the band between two horizontal lines, within [x0, x1).
    private func verticalLines(between upper: Int, and lower: Int, from x0: Int, to x1: Int) -> [Int] {
        let top = upper + thickness, bottom = lower - thickness
        guard bottom - top >= 6 else { return [] }
        var columns: [Int] = []
        for x in x0..<x1 where inkShare(column: x, from: top, to: bottom) >= coverage { columns.append(x) }
        return Self.centres(of: columns, tolerance: max(3, image.width / 800))
    }

    /// Ink in a column segment, a pixel either side included (a line one pixel off, a slight skew).
    private func inkShare(column x: Int, from y0: Int, to y1: Int) -> Double {
        guard y1 > y0 else { return 1 }
        var ink = 0
        for y in y0..<y1 where isLine(x, y) || (x > 0 && isLine(x - 1, y)) || (x + 1 < image.width && isLine(x + 1, y)) {
            ink += 1
        }
        return Double(ink) / Double(max(1, y1 - y0))
    }

    private func inkShare(row y: Int, from x0: Int, to x1: Int) -> Double {
        guard x1 > x0 else { return 1 }
        var ink = 0
        for x in x0..<x1 where isLine(x, y) || (y > 0 && isLine(x, y - 1)) || (y + 1 < image.height && isLine(x, y + 1)) {
            ink += 1
        }
        return Double(ink) / Double(max(1, x1 - x0))
    }

    private var thickness: Int { max(3, image.width / 500) }

    static func centres(of positions: [Int], tolerance: Int) -> [Int] {
        var groups: [[Int]] = []
        for position in positions {
            if let last = groups.last?.last, position - last <= tolerance { groups[groups.count - 1].append(position) } else { groups.append([position]) }
        }
        return groups.map { ($0.first! + $0.last!) / 2 }
    }

    // MARK: Cells

    private func table(_ ys: [Int]) -> Table? {
        // The columns: every vertical line crossing any band of the table.
        var candidates: [Int] = []
        for (upper, lower) in zip(ys, ys.dropFirst()) { candidates += verticalLines(between: upper, and: lower, from: 0, to: image.width) }
        // Lines closer than a cell's inset on both sides are one rule printed double (a Word table's border inside
        // a layout table's): there is no cell between them.
        let xs = Self.centres(of: candidates.sorted(), tolerance: max(4, image.width / 400, 2 * thickness))
        guard xs.count >= 2 else { return nil }
        let rowCount = ys.count - 1, columnCount = xs.count - 1
        var parent = Array(0..<(rowCount * columnCount))
        func find(_ index: Int) -> Int {
            var index = index
            while parent[index] != index { parent[index] = parent[parent[index]]; index = parent[index] }
            return index
        }
        let inset = thickness
        for row in 0..<rowCount {
            for column in 0..<columnCount {
                let here = row * columnCount + column
                if column + 1 < columnCount,
                   inkShare(column: xs[column + 1], from: ys[row] + inset, to: ys[row + 1] - inset) < coverage {
                    parent[find(here + 1)] = find(here)
                }
                if row + 1 < rowCount,
                   inkShare(row: ys[row + 1], from: xs[column] + inset, to: xs[column + 1] - inset) < coverage {
                    parent[find(here + columnCount)] = find(here)
                }
            }
        }
        var groups: [Int: [Int]] = [:]
        for index in parent.indices { groups[find(index), default: []].append(index) }
        var cells: [Cell] = []
        for members in groups.values {
            let rows = members.map { $0 / columnCount }, columns = members.map { $0 % columnCount }
            let top = rows.min()!, bottom = rows.max()!, left = columns.min()!, right = columns.max()!
            // A merged region that is not a rectangle (lines missing in an odd pattern): not a table we can read.
            guard members.count == (bottom - top + 1) * (right - left + 1) else { return nil }
            let frame = GrayImage.Rect(x: xs[left] + inset, y: ys[top] + inset,
                                       width: xs[right + 1] - xs[left] - 2 * inset, height: ys[bottom + 1] - ys[top] - 2 * inset)
            guard frame.width > 0, frame.height > 0 else { return nil }
            cells.append(Cell(frame: frame, row: top, column: left, rowSpan: bottom - top + 1, columnSpan: right - left + 1))
        }
        cells.sort { ($0.row, $0.column) < ($1.row, $1.column) }
        let frame = GrayImage.Rect(x: xs.first!, y: ys.first!, width: xs.last! - xs.first!, height: ys.last! - ys.first!)
        return Table(frame: frame, rows: rowCount, columns: columnCount, cells: cells)
    }
}
