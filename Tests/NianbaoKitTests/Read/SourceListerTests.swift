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
        XCTAssertEqual(listed, ["a/b/two.txt", "a/notes.docx", "a/one.html", "x.md"])
    }

    /// Globs used to ignore read.exclude (`*` picked up the expected-cells files).
    func testGlobsHonourExclude() throws {
        let root = temporaryDirectory()
        for name in ["a.txt", "a.txt.expected.json", ".hidden.txt"] { try Data("x".utf8).write(to: root.appendingPathComponent(name)) }
        let listed = try SourceLister(options: ReadOptions()).list(["*"], relativeTo: root).map { ($0 as NSString).lastPathComponent }
        XCTAssertEqual(listed, ["a.txt"])
    }

    /// Files that cannot be documents used to be skipped silently (non-UTF-8 names) or to hang the run (a FIFO) or
    /// fill memory (a link to /dev/zero): each is now listed with its reason.
    func testEveryFileIsListedOrSkippedWithAReason() throws {
        let root = temporaryDirectory()
        try Data("x".utf8).write(to: root.appendingPathComponent("good.html"))
        XCTAssertEqual(mkfifo(root.appendingPathComponent("pipe.html").path, 0o644), 0)
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("zero.html").path, withDestinationPath: "/dev/zero")
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("broken.html").path, withDestinationPath: "/nonexistent")
        // 汉字.html in GBK, as Windows zips write names (not valid UTF-8).
        var name: [CChar] = (root.path + "/").utf8CString.dropLast() + [0xBA, 0xBA, 0xD7, 0xD6].map { CChar(bitPattern: $0) } + ".html".utf8CString
        let descriptor = open(&name, O_CREAT | O_WRONLY, 0o644)
        XCTAssertGreaterThanOrEqual(descriptor, 0)
        close(descriptor)
        let listing = try SourceLister(options: ReadOptions()).list(root.path, relativeTo: root)
        XCTAssertEqual(listing.files.map { ($0 as NSString).lastPathComponent }, ["good.html"])
        let skipped = Dictionary(uniqueKeysWithValues: listing.skipped.map { (($0.path as NSString).lastPathComponent, $0.reason) })
        XCTAssertEqual(skipped["pipe.html"], "not a regular file (FIFO)")
        XCTAssertEqual(skipped["zero.html"], "not a regular file (device)")
        XCTAssertEqual(skipped["broken.html"], "broken symbolic link")
        XCTAssertTrue(skipped["汉字.html [name bytes babad7d62e68746d6c, not UTF-8]"]?.contains("not UTF-8") == true, "\(skipped)")
        // Named directly, the FIFO and the device fail at once instead of blocking or reading forever.
        for special in ["pipe.html", "zero.html"] {
            XCTAssertThrowsError(try DocumentReader(maxBytes: 1000).read(path: root.appendingPathComponent(special).path)) { error in
                XCTAssertTrue((error as? StageFailure)?.reason.contains("not a regular file") == true, "\(error)")
            }
        }
    }

    /// Files are named by their standardized path, their folder's worked out once: the same names as Foundation's
    /// `standardizingPath` of each file gives, through linked folders, linked files, `..` and `.` alike.
    func testStandardizedNamesAreFoundationsWithTheFolderWorkedOutOnce() throws {
        let root = temporaryDirectory()
        let manager = FileManager.default
        try manager.createDirectory(at: root.appendingPathComponent("real/deeper"), withIntermediateDirectories: true)
        try Data("x".utf8).write(to: root.appendingPathComponent("real/a.html"))
        try Data("x".utf8).write(to: root.appendingPathComponent("real/deeper/b.html"))
        try manager.createSymbolicLink(atPath: root.appendingPathComponent("linked").path, withDestinationPath: root.appendingPathComponent("real").path)
        try manager.createSymbolicLink(atPath: root.appendingPathComponent("real/c.html").path, withDestinationPath: "deeper/b.html")
        try manager.createSymbolicLink(atPath: root.appendingPathComponent("relative").path, withDestinationPath: "real/deeper")
        let paths = ["real/a.html", "linked/a.html", "linked/deeper/b.html", "real/c.html", "linked/c.html", "real/deeper/../a.html",
                     "./real/./a.html", "relative/b.html", "relative/../a.html", "real/missing.html", "real/deeper", "real//a.html",
                     "linked/deeper/../c.html"].map { root.path + "/" + $0 }
        var folders: [String: String] = [:]
        for path in paths + paths {
            XCTAssertEqual(SourceLister.standardized(path, folders: &folders), (path as NSString).standardizingPath, path)
        }
        XCTAssertFalse(folders.isEmpty)
        // A walk through the linked folder lists the files under the real one, each once (a linked file under its own name).
        let listed = try SourceLister(options: ReadOptions()).list(["linked", "real"], relativeTo: root)
        XCTAssertEqual(listed.map { $0.replacingOccurrences(of: (root.path as NSString).standardizingPath + "/", with: "") },
                       ["real/a.html", "real/c.html", "real/deeper/b.html"])
    }

    /// A missing source path (an unmounted share) used to abort the whole run as a configuration error: it is an
    /// empty source now (exit 4 in a run), and the other sources are read.
    func testMissingPathIsAnEmptySource() throws {
        let listing = try SourceLister(options: ReadOptions()).list("nope", relativeTo: temporaryDirectory())
        XCTAssertTrue(listing.missing)
        XCTAssertEqual(listing.files, [])
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
