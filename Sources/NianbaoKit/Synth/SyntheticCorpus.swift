import Foundation

/// Writes a deterministic corpus of realistic reports with their expected cells (`nianbao synth`).
///
/// Layouts rotate through HTML with merged cells, Word-style HTML (labels split over runs, tables nested in
/// a layout table), tab-separated, space-aligned and markdown text; a third of the HTML pages are GBK with a
/// `<meta>` saying gb2312. HTML pages carry 50–100 KB of site navigation, scripts and footer, as served.
///
/// ```swift
/// try SyntheticCorpus(seed: 1).write(count: 1000, to: URL(fileURLWithPath: "out/synth"))
/// ```
public struct SyntheticCorpus: Sendable {
    public var seed: UInt64
    /// Only HTML pages (what the benchmark compares with pandas.read_html).
    public var htmlOnly: Bool

    public init(seed: UInt64, htmlOnly: Bool = false) {
        self.seed = seed
        self.htmlOnly = htmlOnly
    }

    /// The file name and content (bytes) of document `index`, and its expected JSON.
    public func document(_ index: Int) throws -> (name: String, bytes: [UInt8], expected: String) {
        var random = SeededGenerator(seed: seed &* 1_000_003 &+ UInt64(index))
        let layouts: [SyntheticRenderer.Layout] = htmlOnly ? [.html, .wordHTML] : SyntheticRenderer.Layout.allCases
        let layout = layouts[index % layouts.count]
        let report = SyntheticReport.generate(&random, onlyTotals: layout != .spaces && Int.random(in: 0..<4, using: &random) == 0)
        let chromeBytes = Int.random(in: 45_000...90_000, using: &random)
        let gbk = (layout == .html || layout == .wordHTML) && index % 3 == 0
        let name = String(format: "synth-%06d", index) + (gbk ? "-gbk" : "") + ".\(layout.fileExtension)"
        var text = SyntheticRenderer.render(report, layout: layout, chromeBytes: chromeBytes, random: &random)
        var bytes = Array(text.utf8)
        if gbk {
            text = text.replacingOccurrences(of: "charset=utf-8", with: "charset=gb2312")
            bytes = try IconvConverter.convert(Array(text.utf8), from: "UTF-8", to: "GB18030").utf8
        }
        return (name, bytes, report.expectedJSON(file: name).serialized(indent: 1))
    }

    public func write(count: Int, to directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for index in 0..<count {
            let document = try document(index)
            try Data(document.bytes).write(to: directory.appendingPathComponent(document.name))
            try Data(document.expected.utf8).write(to: directory.appendingPathComponent(document.name + ".expected.json"))
        }
    }
}
