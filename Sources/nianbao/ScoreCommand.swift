import ArgumentParser
import Foundation
import NianbaoKit

struct ScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Score extraction against the D.expected.json files of a folder.",
        discussion: "Prints per document and in total: cells exact / abstained / wrong, expected findings reported, false alarms."
    )

    @Argument(help: "A folder of documents with D.expected.json beside them.")
    var directory: String

    @Flag(name: .shortAndLong, help: "List every wrong cell, missed finding and false alarm.")
    var verbose = false

    @Flag(help: "Exit 1 unless every document is clean (no wrong cell, no false alarm, no missed finding).")
    var strict = false

    func run() throws {
        let scores = try CorpusScorer().score(directory: directory)
        print(CorpusScorer.table(scores, verbose: verbose))
        if strict && !scores.allSatisfy(\.isClean) { throw ExitCode(1) }
    }
}
