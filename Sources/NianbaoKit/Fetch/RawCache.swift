import Foundation

/// Every fetched body, stored by the SHA-256 of its content, with what is known of its URL.
///
/// Layout: `bodies/ab/abcdef….body` and `urls/<sha256 of the URL>.json`. File names come from hashes only,
/// never from anything a server sent. Writes go to a uniquely named temporary file renamed into place, so a
/// killed run never leaves a half-written entry (and a sweep removes its leftover temporary files).
///
/// Bodies are never deleted or overwritten. Each URL's entry names its latest body and, separately, the last
/// body that produced a good report (``markGood(url:sha256:)``): a maintenance page or a redesign that
/// replaces the latest body never loses the good one, so `fetch.offline` can always rebuild what was loaded.
public struct RawCache: Sendable {
    public struct Entry: Codable, Sendable, Equatable {
        public var url: String
        public var finalURL: String
        public var status: Int
        public var headers: [String: String]
        public var fetchedAt: String
        public var bodySHA256: String
        /// The last body of this URL that produced a stored report, and its Content-Type.
        public var goodBodySHA256: String?
        public var goodContentType: String?
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

    /// The last body of `url` that produced a stored report, when it is still intact.
    public func lastGoodBody(for url: String) -> SourceDocument? {
        guard let entry = entry(for: url), let sha = entry.goodBodySHA256, let bytes = body(sha) else { return nil }
        return SourceDocument(source: url, bytes: bytes, declaredCharset: entry.goodContentType.flatMap(Fetcher.charset))
    }

    /// Stores a body and its URL's metadata; returns the body's SHA-256. The URL's good body is kept.
    @discardableResult
    public func store(url: String, finalURL: String, status: Int, headers: [String: String], body: [UInt8]) throws -> String {
        let sha = SHA256.hex(body)
        let bodyFile = bodyURL(sha)
        if !FileManager.default.fileExists(atPath: bodyFile.path) { try atomicWrite(Data(body), to: bodyFile) }
        let kept = headers.filter { ["etag", "last-modified", "content-type", "content-length"].contains($0.key.lowercased()) }
        let previous = entry(for: url)
        let entry = Entry(url: url, finalURL: finalURL, status: status, headers: kept,
                          fetchedAt: ISO8601DateFormatter().string(from: Date()), bodySHA256: sha,
                          goodBodySHA256: previous?.goodBodySHA256, goodContentType: previous?.goodContentType)
        try write(entry, for: url)
        return sha
    }

    /// Remembers `sha256` as the body of `url` that produced the stored report (called once it is committed).
    public func markGood(url: String, sha256: String) throws {
        guard var entry = entry(for: url), entry.goodBodySHA256 != sha256, body(sha256) != nil else { return }
        entry.goodBodySHA256 = sha256
        entry.goodContentType = entry.bodySHA256 == sha256
            ? entry.headers.first { $0.key.lowercased() == "content-type" }?.value : entry.goodContentType
        try write(entry, for: url)
    }

    /// Removes temporary files left by killed runs (older than `age` seconds, so a concurrent writer's are safe).
    public func sweepTemporaryFiles(olderThan age: TimeInterval = 3600) {
        guard let walker = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.contentModificationDateKey]) else { return }
        let limit = Date().addingTimeInterval(-age)
        for case let file as URL in walker where file.lastPathComponent.hasSuffix(".tmp") {
            let modified = (try? file.resourceValues(forKeys: [.contentModificationDateKey]))?.contentModificationDate ?? .distantPast
            if modified < limit { try? FileManager.default.removeItem(at: file) }
        }
    }

    private func write(_ entry: Entry, for url: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try atomicWrite(try encoder.encode(entry), to: entryURL(url))
    }

    private func atomicWrite(_ data: Data, to file: URL) throws {
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        let temporary = file.deletingLastPathComponent().appendingPathComponent(".\(UUID().uuidString).tmp")
        try data.write(to: temporary)
        // rename(2) replaces the target atomically; two writers of the same content both succeed.
        guard rename(temporary.path, file.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw StageFailure(stage: .fetch, reason: "cannot write the raw cache at \(file.path): \(reason)")
        }
    }
}
