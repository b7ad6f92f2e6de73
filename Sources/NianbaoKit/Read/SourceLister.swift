import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Expands the `{"path": …}` sources of `pipeline.json` into a sorted, de-duplicated list of files.
///
/// A source path may be a file, a directory (walked recursively, files filtered by the read stage's
/// `include`/`exclude` patterns) or a glob (`reports/*.html`, whose matches are filtered by `exclude` too).
/// Relative paths are resolved against the configuration file's folder. Symbolic links are followed — to
/// files and to folders — with loop protection (a folder is entered once, by device and inode).
///
/// Every file found is either listed or skipped with a reason: a name that is not UTF-8, a broken link or a
/// link loop, something that is not a regular file (a FIFO, a device). Skipped files whose names the include
/// patterns accept are recorded as failures by the run; nothing is dropped silently.
///
/// ```swift
/// let listing = try SourceLister(options: config.read).list("samples", relativeTo: root)
/// listing.files     // ["/…/samples/a.html", …]
/// listing.skipped   // [("/…/samples/pipe.html", "not a regular file (FIFO)")]
/// ```
public struct SourceLister: Sendable {
    public var options: ReadOptions

    public struct Listing: Sendable {
        public var files: [String] = []
        public var skipped: [(path: String, reason: String)] = []
        /// The path itself does not exist (an unmounted share, a moved folder): the source gives nothing.
        public var missing = false
    }

    public init(options: ReadOptions) { self.options = options }

    /// The files of several paths, merged (for tools that take a list).
    public func list(_ paths: [String], relativeTo base: URL) throws -> [String] {
        var seen = Set<String>()
        return try paths.flatMap { try list($0, relativeTo: base).files }.filter { seen.insert($0).inserted }.sorted()
    }

    public func list(_ path: String, relativeTo base: URL) throws -> Listing {
        let absolute = path.hasPrefix("/") ? path : base.appendingPathComponent(path).path
        var listing = Listing()
        var visited = Set<FileIdentity>()
        if Self.isGlob(path) {
            for match in try globPaths(absolute) {
                switch Self.kind(of: match) {
                case .directory: walk(match, into: &listing, visited: &visited)
                case .regular: if !options.excludes(fileName: (match as NSString).lastPathComponent) { listing.files.append(match) }
                case let .other(reason): listing.skipped.append((match, reason))
                }
            }
        } else {
            switch Self.kind(of: absolute) {
            case .directory: walk(absolute, into: &listing, visited: &visited)
            case .regular: listing.files.append(absolute)   // named explicitly: no include filter
            case .other("no such file or directory"):
                listing.missing = true
            case let .other(reason): listing.skipped.append((absolute, reason))
            }
        }
        var seen = Set<String>()
        var folders: [String: String] = [:]
        listing.files = listing.files.map { Self.standardized($0, folders: &folders) }.filter { seen.insert($0).inserted }.sorted()
        listing.skipped.sort { $0.path < $1.path }
        return listing
    }

    /// `NSString.standardizingPath` of a file (on Linux it resolves every symbolic link, one `readlink` per
    /// component): a regular file that is no link is its folder's standardized path and its name, the folder worked out
    /// once (`folders`) — 5,000 files each standardized whole took 0.1 s before any document was read.
    static func standardized(_ file: String, folders: inout [String: String]) -> String {
        var info = stat()
        let name = (file as NSString).lastPathComponent
        guard lstat(file, &info) == 0, info.st_mode & S_IFMT == S_IFREG, name != ".", name != "..", !file.hasSuffix("/") else {
            return (file as NSString).standardizingPath
        }
        let folder = (file as NSString).deletingLastPathComponent
        let standardFolder = folders[folder] ?? (folder as NSString).standardizingPath
        folders[folder] = standardFolder
        return (standardFolder as NSString).appendingPathComponent(name)
    }

    static func isGlob(_ path: String) -> Bool { path.contains { "*?[".contains($0) } }

    struct FileIdentity: Hashable {
        var device: UInt64
        var inode: UInt64
    }

    enum Kind: Equatable {
        case regular, directory
        case other(String)
    }

    /// What a path is, following symbolic links.
    static func kind(of path: String) -> Kind {
        var info = stat()
        guard stat(path, &info) == 0 else {
            switch errno {
            case ELOOP: return .other("symbolic link loop")
            case ENOENT: return lstat(path, &info) == 0 ? .other("broken symbolic link") : .other("no such file or directory")
            default: return .other("cannot be examined: \(String(cString: strerror(errno)))")
            }
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .regular
        case S_IFDIR: return .directory
        case S_IFIFO: return .other("not a regular file (FIFO)")
        case S_IFCHR, S_IFBLK: return .other("not a regular file (device)")
        case S_IFSOCK: return .other("not a regular file (socket)")
        default: return .other("not a regular file")
        }
    }

    static func identity(_ path: String) -> FileIdentity? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }

    private func walk(_ directory: String, into listing: inout Listing, visited: inout Set<FileIdentity>) {
        guard let identity = Self.identity(directory), visited.insert(identity).inserted else { return }
        guard let handle = opendir(directory) else {
            listing.skipped.append((directory, "folder cannot be read: \(String(cString: strerror(errno)))"))
            return
        }
        var names: [[UInt8]] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }) }
            if name != Array(".".utf8) && name != Array("..".utf8) { names.append(name) }
        }
        closedir(handle)
        for bytes in names.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            guard let name = String(validating: bytes, as: UTF8.self) else {
                // The name cannot be a source key; it is reported (as GB18030 shows it, as Windows zips write it).
                let shown = String(decoding: (try? IconvConverter.toUTF8(bytes, from: "GB18030").utf8) ?? bytes, as: UTF8.self)
                if options.accepts(fileName: shown) {
                    // Its key names the bytes, so that it can never be taken for a real file named `shown`.
                    let hex = bytes.map { String(format: "%02x", $0) }.joined()
                    listing.skipped.append(((directory as NSString).appendingPathComponent("\(shown) [name bytes \(hex), not UTF-8]"),
                                            "file name is not UTF-8 (bytes \(hex), shown as GB18030 \"\(shown)\"); rename it to read it"))
                }
                continue
            }
            let full = (directory as NSString).appendingPathComponent(name)
            switch Self.kind(of: full) {
            case .directory: walk(full, into: &listing, visited: &visited)
            case .regular: if options.accepts(fileName: name) { listing.files.append(full) }
            case let .other(reason): if options.accepts(fileName: name) { listing.skipped.append((full, reason)) }
            }
        }
    }

    private func globPaths(_ pattern: String) throws -> [String] {
        var result = glob_t()
        defer { globfree(&result) }
        let status = glob(pattern, 0, nil, &result)
        if status == GLOB_NOMATCH { return [] }
        guard status == 0 else {
            throw NianbaoError.configuration(key: "sources", message: "cannot expand the pattern \(pattern)")
        }
        return (0..<Int(result.gl_pathc)).compactMap { index in result.gl_pathv[index].map { String(cString: $0) } }
    }
}

extension ReadOptions {
    /// Whether a file found in a directory walk is a document to read.
    func accepts(fileName: String) -> Bool {
        !excludes(fileName: fileName) && include.contains { fnmatch($0, fileName, 0) == 0 }
    }

    func excludes(fileName: String) -> Bool {
        exclude.contains { fnmatch($0, fileName, 0) == 0 }
    }
}
