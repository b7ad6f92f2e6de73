import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The *read* stage: a local path in, a ``SourceDocument`` (bytes and SHA-256) out.
///
/// Only regular files are read (a FIFO or a device named `*.html` fails at once instead of hanging or
/// filling memory), with the size limit applied while reading: a file that grows past `read.max_bytes` is
/// stopped there, never read to its end.
public struct DocumentReader: Sendable {
    public var maxBytes: Int

    public init(maxBytes: Int) { self.maxBytes = maxBytes }

    public func read(path: String) throws -> SourceDocument {
        // Non-blocking, so that opening a FIFO cannot wait for a writer; the type is checked on the open file.
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw StageFailure(stage: .read, reason: "cannot open the file: \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            throw StageFailure(stage: .read, reason: "cannot examine the file: \(String(cString: strerror(errno)))")
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw StageFailure(stage: .read, reason: "not a regular file (\(Self.describe(mode: info.st_mode))); only files are read")
        }
        if Int(info.st_size) > maxBytes {
            throw StageFailure(stage: .read, reason: "file is \(info.st_size) bytes, over the read.max_bytes limit of \(maxBytes)")
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(info.st_size))
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = Glibc.read(descriptor, &chunk, chunk.count)
            if count < 0 {
                if errno == EINTR { continue }
                throw StageFailure(stage: .read, reason: "cannot read the file: \(String(cString: strerror(errno)))")
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
            if bytes.count > maxBytes {
                throw StageFailure(stage: .read, reason: "file grew past the read.max_bytes limit of \(maxBytes) while read")
            }
        }
        return SourceDocument(source: path, bytes: bytes)
    }

    static func describe(mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFIFO: return "FIFO"
        case S_IFCHR, S_IFBLK: return "device"
        case S_IFDIR: return "folder"
        case S_IFSOCK: return "socket"
        default: return "special file"
        }
    }
}
