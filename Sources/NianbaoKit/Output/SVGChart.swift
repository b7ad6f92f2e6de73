/// Small SVG bar charts, drawn by hand so that the HTML report needs no script or external asset.
enum SVGChart {
    struct Series {
        var name: String
        var color: String
        var values: [Double]
    }

    static func escape(_ text: String) -> String {
        text.replacingAll("&", with: "&amp;").replacingAll("<", with: "&lt;").replacingAll(">", with: "&gt;")
            .replacingAll("\"", with: "&quot;")
    }

    /// Vertical bars, one group per category; several series are stacked.
    static func stackedBars(categories: [String], series: [Series], title: String, width: Int = 640, height: Int = 260) -> String {
        let top = 30.0, bottom = 40.0, left = 56.0, right = 150.0
        let plotWidth = Double(width) - left - right, plotHeight = Double(height) - top - bottom
        let totals = categories.indices.map { index in series.reduce(0) { $0 + max(0, $1.values[index]) } }
        let maximum = max(totals.max() ?? 0, 1)
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"\(width)\" height=\"\(height)\" role=\"img\" aria-label=\"\(escape(title))\">"
        svg += "<text x=\"\(Int(left))\" y=\"18\" class=\"title\">\(escape(title))</text>"
        for tick in 0...4 {
            let value = maximum * Double(tick) / 4
            let y = top + plotHeight - plotHeight * Double(tick) / 4
            svg += "<line x1=\"\(left)\" x2=\"\(left + plotWidth)\" y1=\"\(y)\" y2=\"\(y)\" class=\"grid\"/>"
            svg += "<text x=\"\(left - 6)\" y=\"\(y + 4)\" text-anchor=\"end\" class=\"tick\">\(format(value.rounded()))</text>"
        }
        let slot = plotWidth / Double(max(categories.count, 1))
        let barWidth = max(4, slot * 0.6)
        for (index, category) in categories.enumerated() {
            let x = left + slot * Double(index) + (slot - barWidth) / 2
            var base = top + plotHeight
            for entry in series {
                let value = max(0, entry.values[index])
                let barHeight = plotHeight * value / maximum
                guard barHeight > 0 else { continue }
                base -= barHeight
                svg += "<rect x=\"\(x)\" y=\"\(base)\" width=\"\(barWidth)\" height=\"\(barHeight)\" fill=\"\(entry.color)\"><title>\(escape(category)) \(escape(entry.name)): \(format(value))</title></rect>"
            }
            svg += "<text x=\"\(x + barWidth / 2)\" y=\"\(top + plotHeight + 16)\" text-anchor=\"middle\" class=\"tick\">\(escape(category))</text>"
        }
        for (index, entry) in series.enumerated() {   // legend
            let y = top + Double(index) * 18
            svg += "<rect x=\"\(left + plotWidth + 14)\" y=\"\(y)\" width=\"12\" height=\"12\" fill=\"\(entry.color)\"/>"
            svg += "<text x=\"\(left + plotWidth + 32)\" y=\"\(y + 10)\" class=\"tick\">\(escape(entry.name))</text>"
        }
        return svg + "</svg>"
    }

    /// A sparkline of one figure over consecutive years (nil where a year has no figure: the line breaks there),
    /// with a dot per known year, for an agency's row of the report.
    static func sparkline(_ values: [Double?], title: String, width: Int = 120, height: Int = 28) -> String {
        let known = values.compactMap { $0 }
        let low = known.min() ?? 0, high = max(known.max() ?? 1, low + 1)
        let step = values.count > 1 ? Double(width - 8) / Double(values.count - 1) : 0
        func point(_ index: Int, _ value: Double) -> (x: Double, y: Double) {
            (4 + step * Double(index), Double(height - 4) - Double(height - 8) * (value - low) / (high - low))
        }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"spark\" width=\"\(width)\" height=\"\(height)\" role=\"img\" aria-label=\"\(escape(title))\"><title>\(escape(title))</title>"
        var run: [String] = []
        func flush() {
            if run.count > 1 { svg += "<polyline fill=\"none\" stroke=\"#1565c0\" stroke-width=\"1.5\" points=\"\(run.joined(separator: " "))\"/>" }
            run = []
        }
        for (index, value) in values.enumerated() {
            guard let value else { flush(); continue }
            let (x, y) = point(index, value)
            run.append("\(x),\(y)")
            svg += "<circle cx=\"\(x)\" cy=\"\(y)\" r=\"2\" fill=\"#1565c0\"/>"
        }
        flush()
        return svg + "</svg>"
    }

    /// Horizontal bars, one per label, largest first.
    static func horizontalBars(_ items: [(label: String, value: Double)], title: String, color: String, width: Int = 640) -> String {
        let rowHeight = 22.0, top = 30.0, left = 220.0, right = 60.0
        let height = Int(top + rowHeight * Double(max(items.count, 1)) + 10)
        let maximum = max(items.map(\.value).max() ?? 0, 1)
        let plotWidth = Double(width) - left - right
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"\(width)\" height=\"\(height)\" role=\"img\" aria-label=\"\(escape(title))\">"
        svg += "<text x=\"8\" y=\"18\" class=\"title\">\(escape(title))</text>"
        if items.isEmpty { svg += "<text x=\"8\" y=\"48\" class=\"tick\">none</text>" }
        for (index, item) in items.enumerated() {
            let y = top + rowHeight * Double(index)
            let barWidth = max(1, plotWidth * item.value / maximum)
            svg += "<text x=\"\(left - 8)\" y=\"\(y + 15)\" text-anchor=\"end\" class=\"tick\">\(escape(item.label))</text>"
            svg += "<rect x=\"\(left)\" y=\"\(y + 3)\" width=\"\(barWidth)\" height=\"\(rowHeight - 6)\" fill=\"\(color)\"><title>\(escape(item.label)): \(format(item.value))</title></rect>"
            svg += "<text x=\"\(left + barWidth + 6)\" y=\"\(y + 15)\" class=\"tick\">\(format(item.value))</text>"
        }
        return svg + "</svg>"
    }
}
