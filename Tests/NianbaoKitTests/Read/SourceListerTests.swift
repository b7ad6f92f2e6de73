import XCTest
@testable import NianbaoKit

final class SourceListerTests: XCTestCase {
    func testDirectoriesGlobsAndFilters() throws {
        let root = temporaryDirectory()
        let sub = root.appendingPathComponent("a/b")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        for name in ["a/one.html", "a/b/two.txt", "a/b/two.txt.expected.json", "a/README.md", "a/notes.docx", "x.md"] {
            try Data("x".utf8).write(to: root.appendingPathComponent(name))
        }
        let lister = SourceLister(options: ReadOptions())
        let listed = try lister.list(["a", "*.md", "a/one.html"], relativeTo: root).map { $0.replacingOccurrences(of: root.path + "/", with: "") }
        XCTAssertEqual(listed, ["a/b/two.txt", "a/one.html", "x.md"])
    }

    func testMissingPathIsAConfigurationError() {
        XCTAssertThrowsError(try SourceLister(options: ReadOptions()).list(["nope"], relativeTo: temporaryDirectory())) { error in
            XCTAssertTrue("\(error)".contains("sources"))
        }
    }

    func testReaderRefusesOversizedFiles() throws {
        let file = temporaryDirectory().appendingPathComponent("big.txt")
        try Data(repeating: 0x41, count: 2048).write(to: file)
        XCTAssertThrowsError(try DocumentReader(maxBytes: 1024).read(path: file.path)) { error in
            XCTAssertEqual((error as? StageFailure)?.stage, .read)
        }
        XCTAssertEqual(try DocumentReader(maxBytes: 4096).read(path: file.path).size, 2048)
    }
}
