import Foundation

/// A page as 8-bit gray pixels (0 black … 255 white), as poppler's `pdftoppm -gray` and netpbm write it (binary
/// PGM, `P5`), with the few operations table reading needs: ink, crops, despeckling and deskewing.
///
/// ```swift
/// let page = try GrayImage(pgm: bytes)
/// let crop = page.pgm(of: Rect(x: 10, y: 10, width: 200, height: 60))   // P5 bytes for Tesseract
/// ```
struct GrayImage: Sendable {
    let width: Int
    let height: Int
    var pixels: [UInt8]

    /// Darker than this is ink: Otsu's threshold of the page (a light or compressed scan prints its rules in
    /// grays a fixed threshold would lose), kept between 120 and 220.
    let inkLevel: UInt8

    init(width: Int, height: Int, pixels: [UInt8]) {
        self.width = width
        self.height = height
        self.pixels = pixels
        inkLevel = Self.threshold(pixels)
    }

    static func threshold(_ pixels: [UInt8]) -> UInt8 {
        var histogram = [Int](repeating: 0, count: 256)
        for pixel in pixels { histogram[Int(pixel)] += 1 }
        let total = Double(pixels.count)
        let sum = histogram.enumerated().reduce(0.0) { $0 + Double($1.offset * $1.element) }
        var backgroundWeight = 0.0, backgroundSum = 0.0, best = 0.0, level = 160
        for value in 0..<256 {
            backgroundWeight += Double(histogram[value])
            guard backgroundWeight > 0, total - backgroundWeight > 0 else { continue }
            backgroundSum += Double(value * histogram[value])
            let meanDark = backgroundSum / backgroundWeight, meanLight = (sum - backgroundSum) / (total - backgroundWeight)
            let between = backgroundWeight * (total - backgroundWeight) * (meanDark - meanLight) * (meanDark - meanLight)
            if between > best { best = between; level = value + 1 }
        }
        return UInt8(min(220, max(120, level)))
    }

    struct FormatError: Error, CustomStringConvertible {
        let description: String
    }

    /// Reads a binary PGM (`P5`, maxval ≤ 255).
    init(pgm bytes: [UInt8]) throws {
        var index = 0
        func token() -> String? {
            while index < bytes.count {
                if bytes[index] == UInt8(ascii: "#") {
                    while index < bytes.count, bytes[index] != 0x0A { index += 1 }
                } else if [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) {
                    index += 1
                } else {
                    break
                }
            }
            let start = index
            while index < bytes.count, ![0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
            return start < index ? String(decoding: bytes[start..<index], as: UTF8.self) : nil
        }
        guard token() == "P5", let width = token().flatMap(Int.init), let height = token().flatMap(Int.init),
              let maxValue = token().flatMap(Int.init), width > 0, height > 0, maxValue > 0, maxValue <= 255,
              width <= 20_000, height <= 20_000 else {
            throw FormatError(description: "not a binary 8-bit PGM image")
        }
        index += 1   // the single whitespace after maxval
        guard bytes.count - index >= width * height else { throw FormatError(description: "PGM image cut short") }
        var pixels = Array(bytes[index..<(index + width * height)])
        if maxValue != 255 { pixels = pixels.map { UInt8(min(255, Int($0) * 255 / maxValue)) } }
        self.init(width: width, height: height, pixels: pixels)
    }

    struct Rect: Hashable, Sendable {
        var x: Int, y: Int, width: Int, height: Int
        var maxX: Int { x + width }
        var maxY: Int { y + height }
    }

    @inline(__always) func isInk(_ x: Int, _ y: Int) -> Bool { pixels[y * width + x] < inkLevel }

    /// Ink pixels inside `rect`.
    func inkCount(in rect: Rect) -> Int {
        var count = 0
        for y in max(0, rect.y)..<min(height, rect.maxY) {
            let row = y * width
            for x in max(0, rect.x)..<min(width, rect.maxX) where pixels[row + x] < inkLevel { count += 1 }
        }
        return count
    }

    /// Lines of text in `rect`: runs of pixel rows holding ink, separated by white rows.
    func textLines(in rect: Rect) -> Int {
        var lines = 0, inLine = false, white = 0
        for y in max(0, rect.y)..<min(height, rect.maxY) {
            var ink = false
            let row = y * width
            for x in max(0, rect.x)..<min(width, rect.maxX) where pixels[row + x] < inkLevel { ink = true; break }
            if ink {
                if !inLine { lines += 1; inLine = true }
                white = 0
            } else {
                white += 1
                if white >= 3 { inLine = false }
            }
        }
        return lines
    }

    /// The pixels of `rect` as a binary PGM, for Tesseract.
    func pgm(of rect: Rect) -> [UInt8] {
        let x0 = max(0, rect.x), y0 = max(0, rect.y), x1 = min(width, rect.maxX), y1 = min(height, rect.maxY)
        var output = Array("P5\n\(max(0, x1 - x0)) \(max(0, y1 - y0))\n255\n".utf8)
        output.reserveCapacity(output.count + max(0, x1 - x0) * max(0, y1 - y0))
        for y in y0..<max(y0, y1) { output += pixels[(y * width + x0)..<(y * width + x1)] }
        return output
    }

    /// A table cell's text as a binary PGM for Tesseract: what is left of the ruling lines along the cell's edges
    /// (pixel columns or rows near an edge that are mostly ink) is whitened, the crop is cut to the text's ink
    /// and given a white margin — the engine reads a figure touching a rule as "]1]", and a figure with a clean
    /// border as "11". Text at least ``halvingHeight`` tall is halved, margin and all. A cell without ink comes back
    /// as it is.
    func textPGM(of rect: Rect, margin: Int = 16) -> [UInt8] {
        let x0 = max(0, rect.x), y0 = max(0, rect.y), x1 = min(width, rect.maxX), y1 = min(height, rect.maxY)
        guard x1 - x0 > 2, y1 - y0 > 2 else { return pgm(of: rect) }
        let band = max(4, min(12, (x1 - x0) / 6)), rowBand = max(4, min(12, (y1 - y0) / 4))
        var ruledColumns = Set<Int>(), ruledRows = Set<Int>()
        for x in Array(x0..<min(x1, x0 + band)) + Array(max(x0, x1 - band)..<x1) {
            var ink = 0
            for y in y0..<y1 where pixels[y * width + x] < inkLevel { ink += 1 }
            if ink * 2 >= y1 - y0 { ruledColumns.insert(x) }
        }
        for y in Array(y0..<min(y1, y0 + rowBand)) + Array(max(y0, y1 - rowBand)..<y1) {
            var ink = 0
            for x in x0..<x1 where pixels[y * width + x] < inkLevel { ink += 1 }
            if ink * 2 >= x1 - x0 { ruledRows.insert(y) }
        }
        var minX = x1, maxX = x0 - 1, minY = y1, maxY = y0 - 1
        for y in y0..<y1 where !ruledRows.contains(y) {
            let row = y * width
            for x in x0..<x1 where pixels[row + x] < inkLevel && !ruledColumns.contains(x) {
                minX = min(minX, x); maxX = max(maxX, x); minY = min(minY, y); maxY = max(maxY, y)
            }
        }
        guard maxX >= minX, maxY >= minY else { return pgm(of: rect) }
        // The text's box, a pixel wider for its antialiased edges.
        minX = max(x0, minX - 1); maxX = min(x1 - 1, maxX + 1); minY = max(y0, minY - 1); maxY = min(y1 - 1, maxY + 1)
        let outWidth = maxX - minX + 1 + 2 * margin, outHeight = maxY - minY + 1 + 2 * margin
        var output = [UInt8](repeating: 255, count: outWidth * outHeight)
        for y in minY...maxY where !ruledRows.contains(y) {
            let source = y * width, target = (y - minY + margin) * outWidth + margin - minX
            for x in minX...maxX where !ruledColumns.contains(x) { output[target + x] = pixels[source + x] }
        }
        let crop = GrayImage(width: outWidth, height: outHeight, pixels: output)
        let text = maxY - minY + 1 >= Self.halvingHeight ? crop.halved() : crop
        return text.pgm(of: Rect(x: 0, y: 0, width: text.width, height: text.height))
    }

    /// Text at least this tall (pixels) is read at half size. Tesseract reads the printed figures best at about
    /// 20 pixels: at the 40 of a 300 dpi page the Chinese model read 5 as "D", 6 as "b" and 26 as "20", and the
    /// Latin one many lone digits as nothing; halved, both read them (bench/ocr.sh, 300 dpi: 756 → 896 of 1194
    /// cells exact).
    static let halvingHeight = 30

    /// Twice the size, each pixel interpolated from its neighbours (a small web image made readable).
    func doubled() -> GrayImage {
        let newWidth = width * 2, newHeight = height * 2
        var output = [UInt8](repeating: 255, count: newWidth * newHeight)
        for y in 0..<newHeight {
            let sy = min(height - 1, y / 2), ny = min(height - 1, sy + (y & 1))
            for x in 0..<newWidth {
                let sx = min(width - 1, x / 2), nx = min(width - 1, sx + (x & 1))
                let sum = Int(pixels[sy * width + sx]) + Int(pixels[sy * width + nx]) + Int(pixels[ny * width + sx]) + Int(pixels[ny * width + nx])
                output[y * newWidth + x] = UInt8(sum / 4)
            }
        }
        return GrayImage(width: newWidth, height: newHeight, pixels: output)
    }

    /// Half the size, each pixel the mean of the four it replaces.
    func halved() -> GrayImage {
        let newWidth = max(1, width / 2), newHeight = max(1, height / 2)
        var output = [UInt8](repeating: 255, count: newWidth * newHeight)
        for y in 0..<newHeight {
            let sy = min(height - 1, 2 * y), ny = min(height - 1, 2 * y + 1)
            for x in 0..<newWidth {
                let sx = min(width - 1, 2 * x), nx = min(width - 1, 2 * x + 1)
                let sum = Int(pixels[sy * width + sx]) + Int(pixels[sy * width + nx]) + Int(pixels[ny * width + sx]) + Int(pixels[ny * width + nx])
                output[y * newWidth + x] = UInt8(sum / 4)
            }
        }
        return GrayImage(width: newWidth, height: newHeight, pixels: output)
    }

    /// Isolated ink pixels (no ink among their 8 neighbours) made white: scanner dust and noise.
    func despeckled() -> GrayImage {
        var output = pixels
        for y in 1..<max(1, height - 1) {
            for x in 1..<max(1, width - 1) where isInk(x, y) {
                var neighbours = 0
                for dy in -1...1 { for dx in -1...1 where (dx != 0 || dy != 0) && isInk(x + dx, y + dy) { neighbours += 1 } }
                if neighbours == 0 { output[y * width + x] = 255 }
            }
        }
        return GrayImage(width: width, height: height, pixels: output)
    }

    /// The small rotation (within ±3°, for ``rotated(by:)``) that makes the page's lines horizontal: the angle
    /// whose horizontal projection of ink is sharpest (largest sum of squared row counts), on a reduced sample.
    func skewAngle() -> Double {
        let step = max(1, width / 600)
        var points: [(Double, Double)] = []
        for y in Swift.stride(from: 0, to: height, by: step) {
            for x in Swift.stride(from: 0, to: width, by: step) where isInk(x, y) { points.append((Double(x), Double(y))) }
        }
        guard points.count > 100 else { return 0 }
        func sharpness(_ degrees: Double) -> Double {
            let slope = tan(degrees * .pi / 180)
            var bins: [Int: Int] = [:]
            for (x, y) in points { bins[Int((y - x * slope) / Double(step)), default: 0] += 1 }
            return bins.values.reduce(0) { $0 + Double($1 * $1) }
        }
        var best = 0.0, bestScore = sharpness(0)
        for tenth in -30...30 where tenth != 0 {
            let score = sharpness(Double(tenth) / 10)
            if score > bestScore * 1.0001 { best = Double(tenth) / 10; bestScore = score }
        }
        return best
    }

    /// The page rotated about its centre by `degrees` as ``skewAngle()`` measures them (nearest neighbour), white
    /// where nothing maps.
    func rotated(by degrees: Double) -> GrayImage {
        guard degrees != 0 else { return self }
        let angle = degrees * .pi / 180, cosine = cos(angle), sine = sin(angle)
        let cx = Double(width) / 2, cy = Double(height) / 2
        var output = [UInt8](repeating: 255, count: width * height)
        for y in 0..<height {
            for x in 0..<width {
                let dx = Double(x) - cx, dy = Double(y) - cy
                let sx = Int((dx * cosine - dy * sine + cx).rounded()), sy = Int((dx * sine + dy * cosine + cy).rounded())
                if sx >= 0, sx < width, sy >= 0, sy < height { output[y * width + x] = pixels[sy * width + sx] }
            }
        }
        return GrayImage(width: width, height: height, pixels: output)
    }
}
