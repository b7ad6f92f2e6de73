import ArgumentParser
import Foundation
import NianbaoKit

struct ParseFloorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse-floor",
        abstract: "Benchmark helper: read and parse the HTML files of a folder with libxml2, nothing else."
    )

    @Argument(help: "A folder of HTML files.")
    var directory: String

    @Option(help: "Concurrent workers (0 = one per core).")
    var workers = 0

    func run() throws {
        var options = ReadOptions()
        options.include = ["*.html", "*.htm"]
        let paths = try SourceLister(options: options).list([directory], relativeTo: URL(fileURLWithPath: "."))
        let result = ParseFloor.run(paths: paths, workers: workers > 0 ? workers : ProcessInfo.processInfo.activeProcessorCount)
        print(String(format: "documents: %d  bytes: %d  time: %.3f s", result.documents, result.bytes, result.seconds))
    }
}
