import Foundation

/// Every fetched body, stored by the SHA-256 of its content, with what is known of its URL.
///
/// Layout: `bodies/ab/abcdef….body` and `urls/<sha256 of the URL>.json`. File names come from hashes only,
/// never from anything a server sent. Writes go to a temporary file renamed into place, so a killed run
/// never leaves a half-written entry.
public struct RawCache: Sendable {
    public struct Entry: Codable, Sendable, Equatable {
        public var url: String
        public var finalURL: String
        public var status: Int
        public var headers: [String: String]
        public var fetchedAt: String
        public var bodySHA256: String
    }

    public let directory: URL

    public init(directory: URL) { self.directory = directory }

    private func bodyURL(_ sha: String) -> URL {
        directory.appendingPathComponent("bodies/\(sha.prefix(2))/\(sha).body")
    }

    private func entryURL(_ url: String) -> URL {
        directory.appendingPathComponent("urls/\(SHA256.hex(Array(url.utf8))).json")
    }

    public func entry(for url: String) -> Entry? {
        guard let data = try? Data(contentsOf: entryURL(url)) else { return nil }
        return try? JSONDecoder().decode(Entry.self, from: data)
    }

    public func body(_ sha: String) -> [UInt8]? {
        guard let data = try? Data(contentsOf: bodyURL(sha)) else { return nil }
        let bytes = [UInt8](data)
        return SHA256.hex(bytes) == sha ? bytes : nil   // a damaged body is a miss, not a wrong document
    }

    /// Stores a body and its URL's metadata; returns the body's SHA-256.
    @discardableResult
    public func store(url: String, finalURL: String, status: Int, headers: [String: String], body: [UInt8]) throws -> String {
        let sha = SHA256.hex(body)
        let bodyFile = bodyURL(sha)
        if !FileManager.default.fileExists(atPath: bodyFile.path) { try atomicWrite(Data(body), to: bodyFile) }
        let kept = headers.filter { ["etag", "last-modified", "content-type", "content-length"].contains($0.key.lowercased()) }
        let entry = Entry(url: url, finalURL: finalURL, status: status, headers: kept,
                          fetchedAt: ISO8601DateFormatter().string(from: Date()), bodySHA256: sha)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try atomicWrite(try encoder.encode(entry), to: entryURL(url))
        return sha
    }

    private func atomicWrite(_ data: Data, to file: URL) throws {
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        let temporary = file.deletingLastPathComponent().appendingPathComponent(".\(UUID().uuidString).tmp")
        try data.write(to: temporary)
        _ = try? FileManager.default.removeItem(at: file)
        try FileManager.default.moveItem(at: temporary, to: file)
    }
}
