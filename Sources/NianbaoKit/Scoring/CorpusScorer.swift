import Foundation
import NianbaoHTML

/// Scores every document of a folder that has a `D.expected.json` beside it.
///
/// ```swift
/// let scores = try CorpusScorer().score(directory: "../shared/corpus/real")
/// ```
public struct CorpusScorer: Sendable {
    public var processor: DocumentProcessor

    public init(configuration: PipelineConfiguration? = nil) {
        var config = configuration ?? PipelineConfiguration(baseDirectory: URL(fileURLWithPath: "."))
        config.stages = [.read, .decode, .extract, .normalize, .validate]
        processor = DocumentProcessor(configuration: config)
    }

    public func score(directory: String) throws -> [DocumentScore] {
        HTMLOutlineReader.prepare()
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        return try names.filter { $0.hasSuffix(".expected.json") }.map { name in
            let document = (directory as NSString).appendingPathComponent(String(name.dropLast(".expected.json".count)))
            let expected = try ExpectedReport.load(path: (directory as NSString).appendingPathComponent(name))
            return Scorer.score(processor.process(path: document), expected: expected)
        }
    }

    /// The per-document lines and the total line printed by `nianbao score`.
    public static func table(_ scores: [DocumentScore], verbose: Bool) -> String {
        var lines: [String] = []
        var total = DocumentScore(file: "TOTAL")
        for score in scores {
            lines.append("\(score.file): cells exact \(score.exact)/\(score.total), abstained \(score.abstained), wrong \(score.wrong) (silent \(score.silentErrors)); "
                + "findings \(score.reportedFindings)/\(score.expectedFindings), false alarms \(score.falseAlarms)"
                + (score.problems.isEmpty ? "" : "; " + score.problems.joined(separator: "; ")))
            if verbose { lines += score.details.map { "    " + $0 } }
            // Every abstention is explained, verbose or not: an abstained cell is a doubt the score owns up to.
            lines += score.abstentions.map { "    " + $0.line }
            total.exact += score.exact
            total.abstained += score.abstained
            total.wrong += score.wrong
            total.expectedFindings += score.expectedFindings
            total.reportedFindings += score.reportedFindings
            total.falseAlarms += score.falseAlarms
            total.silentErrors += score.silentErrors
        }
        let percent = total.total == 0 ? 0 : Double(total.exact) * 100 / Double(total.total)
        lines.append(String(format: "TOTAL: cells exact %d/%d (%.1f%%), abstained %d, wrong %d, silent errors %d; findings %d/%d, false alarms %d; clean documents %d/%d",
                            total.exact, total.total, percent, total.abstained, total.wrong, total.silentErrors, total.reportedFindings,
                            total.expectedFindings, total.falseAlarms, scores.filter(\.isClean).count, scores.count))
        return lines.joined(separator: "\n")
    }
}
