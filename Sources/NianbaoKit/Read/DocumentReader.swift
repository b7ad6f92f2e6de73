import Foundation

/// The *read* stage: a file path in, a ``SourceDocument`` out.
///
/// Refuses files over `max_bytes` before reading them whole, so one huge file cannot exhaust memory.
public struct DocumentReader: Sendable {
    public var maxBytes: Int

    public init(maxBytes: Int) { self.maxBytes = maxBytes }

    public func read(path: String) throws -> SourceDocument {
        let attributes: [FileAttributeKey: Any]
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: path)
        } catch {
            throw StageFailure(stage: .read, reason: "cannot open the file: \(error.localizedDescription)")
        }
        let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        if size > maxBytes {
            throw StageFailure(stage: .read, reason: "file is \(size) bytes, over the read.max_bytes limit of \(maxBytes)")
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw StageFailure(stage: .read, reason: "cannot open the file for reading")
        }
        defer { try? handle.close() }
        let data = (try? handle.readToEnd()) ?? Data()
        if data.count > maxBytes {
            throw StageFailure(stage: .read, reason: "file grew past the read.max_bytes limit of \(maxBytes) while read")
        }
        return SourceDocument(source: path, bytes: [UInt8](data))
    }
}
