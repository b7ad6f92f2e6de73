import Foundation

/// Expands the `sources` of `pipeline.json` into a sorted, de-duplicated list of files.
///
/// A source path may be a file, a directory (walked recursively, files filtered by the read stage's
/// `include`/`exclude` patterns) or a glob (`reports/*.html`). Relative paths are resolved against the
/// configuration file's folder.
///
/// ```swift
/// let files = try SourceLister(options: config.read).list(["samples"], relativeTo: root)
/// ```
public struct SourceLister: Sendable {
    public var options: ReadOptions

    public init(options: ReadOptions) { self.options = options }

    public func list(_ paths: [String], relativeTo base: URL) throws -> [String] {
        var found: [String] = []
        for path in paths {
            let absolute = path.hasPrefix("/") ? path : base.appendingPathComponent(path).path
            if Self.isGlob(path) {
                found += try globFiles(absolute)
            } else {
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: absolute, isDirectory: &isDirectory) else {
                    throw NianbaoError.configuration(key: "sources", message: "no such file or directory: \(path)")
                }
                if isDirectory.boolValue {
                    found += walk(absolute)
                } else {
                    found.append(absolute)  // named explicitly: no include filter
                }
            }
        }
        var seen = Set<String>()
        return found.map { ($0 as NSString).standardizingPath }.filter { seen.insert($0).inserted }.sorted()
    }

    static func isGlob(_ path: String) -> Bool { path.contains { "*?[".contains($0) } }

    private func walk(_ directory: String) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else { return [] }
        var files: [String] = []
        while let relative = enumerator.nextObject() as? String {
            let full = (directory as NSString).appendingPathComponent(relative)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            if options.accepts(fileName: (relative as NSString).lastPathComponent) { files.append(full) }
        }
        return files
    }

    private func globFiles(_ pattern: String) throws -> [String] {
        var result = glob_t()
        defer { globfree(&result) }
        let status = glob(pattern, 0, nil, &result)
        if status == GLOB_NOMATCH { return [] }
        guard status == 0 else {
            throw NianbaoError.configuration(key: "sources", message: "cannot expand the pattern \(pattern)")
        }
        var files: [String] = []
        for index in 0..<Int(result.gl_pathc) {
            guard let pointer = result.gl_pathv[index] else { continue }
            let path = String(cString: pointer)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
                files += isDirectory.boolValue ? walk(path) : [path]
            }
        }
        return files
    }
}

extension ReadOptions {
    /// Whether a file found in a directory walk is a document to read.
    func accepts(fileName: String) -> Bool {
        if exclude.contains(where: { fnmatch($0, fileName, 0) == 0 }) { return false }
        return include.contains { fnmatch($0, fileName, 0) == 0 }
    }
}
