import ArgumentParser
import Foundation
import NianbaoKit

struct SynthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Write a deterministic corpus of realistic synthetic reports, each with its expected cells."
    )

    @Option(help: "How many documents.")
    var count = 1000

    @Option(help: "Seed: the same seed writes the same files.")
    var seed: UInt64 = 1

    @Option(help: "Output folder.")
    var out: String

    @Flag(help: "HTML pages only (what the benchmark compares with pandas.read_html).")
    var htmlOnly = false

    func run() throws {
        try SyntheticCorpus(seed: seed, htmlOnly: htmlOnly).write(count: count, to: URL(fileURLWithPath: out))
        print("wrote \(count) documents to \(out)")
    }
}
