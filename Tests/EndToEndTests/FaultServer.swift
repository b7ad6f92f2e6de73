import Foundation
import XCTest
@testable import NianbaoKit

/// The fault-injecting HTTP server of Tests/Support/fault_server.py, on 127.0.0.1.
final class FaultServer: @unchecked Sendable {
    let process = Process()
    let port: Int

    /// - Parameter site: the folder `/site/NAME` serves (the samples when nil).
    init(port requested: Int = 0, site: URL? = nil) throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") else { throw XCTSkip("python3 is not installed") }
        let script = Paths.packageRoot.appendingPathComponent("Tests/Support/fault_server.py").path
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [script, Paths.samples.path, String(requested)] + (site.map { [$0.path] } ?? [])
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        while let byte = try output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) {
            line += byte
        }
        guard let port = Int(String(decoding: line, as: UTF8.self)) else {
            process.terminate()
            throw XCTSkip("the test server did not start")
        }
        self.port = port
    }

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    struct LoggedRequest: Decodable {
        let path: String
        let start: Double
        let end: Double?
        let if_none_match: String?
        let if_modified_since: String?
        let in_flight_at_start: Int
    }

    /// Sets what `/site/NAME` answers: ok, 503, maintenance or 404.
    func setMode(_ mode: String) throws {
        let answer = String(decoding: try get("/_mode?set=\(mode)"), as: UTF8.self)
        XCTAssertEqual(answer, mode)
    }

    func log() throws -> [LoggedRequest] {
        try JSONDecoder().decode([LoggedRequest].self, from: Data(try get("/_log")))
    }

    /// A body from the server, through the client the fetch stage uses.
    func get(_ path: String) throws -> [UInt8] {
        let request = HTTPRequest(url: URL(string: url(path))!, timeout: 10, maxBytes: 50_000_000)
        return try CurlHTTPClient(userAgent: "nianbao-tests").send(request).get().body
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    deinit { stop() }
}
