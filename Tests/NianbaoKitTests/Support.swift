import Foundation
import NianbaoHTML
@testable import NianbaoKit

/// Runs the stages from decode to validate on an in-memory document.
func processText(_ text: String, name: String = "report.txt", encoding: [UInt8]? = nil) -> DocumentOutcome {
    HTMLOutlineReader.prepare()
    var configuration = PipelineConfiguration(baseDirectory: URL(fileURLWithPath: "."))
    configuration.stages = [.read, .decode, .extract, .normalize, .validate]
    let document = SourceDocument(source: name, bytes: encoding ?? Array(text.utf8))
    var info = DocumentInfo(source: name, sha256: document.sha256, size: document.size)
    return DocumentProcessor(configuration: configuration).process(document, info: &info)
}

func report(_ outcome: DocumentOutcome, file: StaticString = #filePath, line: UInt = #line) -> Report? {
    if case let .report(_, report) = outcome { return report }
    return nil
}

func temporaryDirectory() -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("nianbao-tests-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
