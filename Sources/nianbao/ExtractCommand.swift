import ArgumentParser
import Foundation
import NianbaoHTML
import NianbaoKit

struct ExtractCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Extract, normalize and validate one report and print it; writes nothing.",
        discussion: """
            Exit codes: 0 the report was read (a pre-2019 report prints "unsupported_format": true); \
            1 the file is not a readable report (empty, binary, no tables), with the reason on standard error; \
            2 usage error.
            """
    )

    @Argument(help: "The report file (HTML, text, markdown or PDF).")
    var file: String

    @Flag(help: "Print the SCHEMA.md JSON object instead of a table.")
    var json = false

    @Option(name: .long, help: "Encoding to assume when nothing declares one and the bytes are not UTF-8.")
    var fallbackEncoding = "GB18030"

    func run() throws {
        HTMLOutlineReader.prepare()
        var configuration = PipelineConfiguration(baseDirectory: URL(fileURLWithPath: "."))
        configuration.stages = [.read, .decode, .extract, .normalize, .validate]
        configuration.decode.fallbackEncoding = fallbackEncoding
        let outcome = DocumentProcessor(configuration: configuration).process(path: file)
        switch outcome {
        case let .failed(_, failure, _):
            FileHandle.standardError.write(Data("nianbao: \(file): not a readable report: \(failure)\n".utf8))
            throw ExitCode(1)
        case .unchanged, .cancelled:
            throw ExitCode(1)
        case let .report(info, report):
            if json {
                print(ReportJSON.encode(report, source: info.source, encoding: info.encoding).serialized(indent: 1))
            } else {
                print(ReportText.render(report))
            }
        }
    }
}
