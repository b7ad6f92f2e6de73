import Foundation
import XCTest

/// Where the package, its samples, the shared corpus and the built binary are.
enum Paths {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let samples = packageRoot.appendingPathComponent("samples")
    static let regression = packageRoot.appendingPathComponent("Tests/Support/regression")
    static let shared = packageRoot.deletingLastPathComponent().appendingPathComponent("shared")
    static let corpus = shared.appendingPathComponent("corpus/real")
    static let binary = packageRoot.appendingPathComponent(".build/debug/nianbao")

    /// Skips the calling test when `../shared` is absent (a user's fresh clone).
    static func requireCorpus() throws -> URL {
        guard FileManager.default.fileExists(atPath: corpus.path) else {
            throw XCTSkip("../shared/corpus/real is not beside the project")
        }
        return corpus
    }

    /// poppler's pdftotext, which the PDF documents of the corpus need (`make test` installs it).
    static var hasPdftotext: Bool {
        ["/usr/bin/pdftotext", "/usr/local/bin/pdftotext"].contains { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// LibreOffice, which Word 97–2003 documents need (`make test` installs it).
    static var hasLibreOffice: Bool {
        ["/usr/bin/soffice", "/usr/local/bin/soffice", "/usr/bin/libreoffice"].contains { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The sample documents (every file of samples/ but the expected files and the README), and how many of them
    /// load with tables (all but the one pre-2019 report).
    static var sampleDocuments: Int {
        ((try? FileManager.default.contentsOfDirectory(atPath: samples.path)) ?? [])
            .filter { !$0.hasSuffix(".json") && !$0.hasPrefix("README") }.count
    }
    static var loadableSamples: Int { sampleDocuments - 1 }

    static func requireBinary() throws -> URL {
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw XCTSkip("the nianbao binary is not built (run `swift build` first)")
        }
        return binary
    }

    static func temporary() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("nianbao-e2e-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Runs the binary; returns exit status, standard output and standard error.
    static func run(_ arguments: [String], in directory: URL? = nil) throws -> (status: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = try requireBinary()
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }

    /// One document copied into a new folder's `in/` and loaded by `nianbao run` into DATABASE there.
    static func loaded(_ source: URL, as name: String, database: String = "db.sqlite") throws -> (directory: URL, config: URL, database: String) {
        _ = try requireBinary()
        let directory = temporary()
        let inbox = directory.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: source, to: inbox.appendingPathComponent(name))
        let config = directory.appendingPathComponent("p.json")
        try Data(#"{"sources": [{"path": "in"}], "database": "\#(database)"}"#.utf8).write(to: config)
        XCTAssertEqual(try run(["run", "--config", config.path, "--quiet"]).status, 0)
        return (directory, config, directory.appendingPathComponent(database).path)
    }
}
