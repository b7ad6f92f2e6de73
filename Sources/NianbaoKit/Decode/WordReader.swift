import Foundation
import ZIPFoundation

/// Word documents, for the *decode* stage: `.docx` read natively, `.doc`, `.wps` and `.rtf` converted to
/// `.docx` by LibreOffice first (headless; Debian package `libreoffice-writer-nogui`).
///
/// A `.docx` is a zip archive; its `word/document.xml` is extracted with ZIPFoundation, counted as it is
/// inflated (a zip bomb stops at `maxBytes`), and handed to ``DOCXOutlineReader`` by the extract stage.
/// LibreOffice runs as a ``Subprocess`` under the document's time budget and the run's cancellation, in a
/// private profile and folder removed afterwards (and swept by later runs if a SIGKILL left them).
///
/// Why LibreOffice and not antiword/catdoc: on the composed `.doc` samples LibreOffice keeps every table cell
/// with its merges (the report reads exactly as its `.docx`), while antiword prints tables as text rows that
/// lose empty and merged cells (README, "Formats and the packages they need").
public struct WordReader: Sendable {
    /// The LibreOffice executable (`soffice`), or nil to refuse legacy Word formats.
    public var converter: String
    /// Largest `word/document.xml`, after inflating.
    public var maxBytes: Int

    public init(converter: String = "soffice", maxBytes: Int = 20_000_000) {
        self.converter = converter
        self.maxBytes = maxBytes
    }

    /// What a document's first bytes say it is.
    public enum Format: String, Sendable {
        case docx, doc, rtf
    }

    public static func format(of bytes: [UInt8]) -> Format? {
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return .docx }             // zip (OOXML)
        if bytes.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) { return .doc }   // OLE2: .doc, .wps
        if bytes.starts(with: Array("{\\rtf".utf8)) { return .rtf }
        return nil
    }

    /// The `word/document.xml` of a `.docx`.
    ///
    /// The archive is read from a temporary file, not from memory: the zip library's in-memory reader traps on
    /// damaged offsets (found by `make fuzz`), which would end the whole run; its file reader fails cleanly.
    public func documentXML(ofDOCX bytes: [UInt8]) throws -> [UInt8] {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("nianbao-docx-\(UUID().uuidString).zip")
        defer { try? FileManager.default.removeItem(at: file) }
        let archive: Archive
        do {
            try Data(bytes).write(to: file)
            archive = try Archive(url: file, accessMode: .read)
        } catch {
            throw StageFailure(stage: .decode, reason: "a zip file that cannot be opened: \(error)")
        }
        guard let entry = archive["word/document.xml"] else {
            throw StageFailure(stage: .decode, reason: "a zip file without word/document.xml: not a Word document")
        }
        guard entry.uncompressedSize <= UInt64(maxBytes) else {
            throw StageFailure(stage: .decode, reason: "word/document.xml is \(entry.uncompressedSize) bytes, over the limit of \(maxBytes)")
        }
        var xml: [UInt8] = []
        do {
            _ = try archive.extract(entry, skipCRC32: false) { chunk in
                guard xml.count + chunk.count <= maxBytes else { throw StageFailure(stage: .decode, reason: "word/document.xml inflates past \(maxBytes) bytes") }
                xml.append(contentsOf: chunk)
            }
        } catch let failure as StageFailure {
            throw failure
        } catch {
            throw StageFailure(stage: .decode, reason: "word/document.xml cannot be read: \(error)")
        }
        return xml
    }

    /// A `.doc`, `.wps` or `.rtf` converted to `.docx` bytes by LibreOffice.
    public func convertToDOCX(_ bytes: [UInt8], format: Format, limits: WorkLimits) throws -> [UInt8] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nianbao-convert-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("report.\(format == .rtf ? "rtf" : "doc")")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(bytes).write(to: input)
        } catch {
            throw StageFailure(stage: .decode, reason: "cannot stage the document for LibreOffice: \(error.localizedDescription)")
        }
        let arguments = ["--headless", "--norestore", "--nologo", "--nolockcheck", "--nodefault",
                         "-env:UserInstallation=file://\(folder.path)/profile", "--convert-to", "docx", "--outdir", folder.path, input.path]
        do {
            _ = try Subprocess.run(converter, arguments, limits: .init(seconds: min(limits.remaining, 300), maxOutput: 1 << 20,
                                                                     cancellation: limits.cancellation, ownProcessGroup: true))
        } catch let failure as Subprocess.Failure {
            switch failure {
            case .notFound, .exited(status: 126, _), .exited(status: 127, _):
                throw StageFailure(stage: .decode, reason: "a Word 97–2003/WPS/RTF document, and LibreOffice (\(converter)) is not installed (Debian package libreoffice-writer-nogui)")
            case let .timedOut(seconds):
                throw StageFailure(stage: .decode, reason: String(format: "LibreOffice was stopped after %.0f s: the document's time budget (limits.document_seconds) ran out", seconds))
            default:
                throw StageFailure(stage: .decode, reason: "LibreOffice could not convert the document: \(failure)")
            }
        }
        guard let converted = FileManager.default.contents(atPath: folder.appendingPathComponent("report.docx").path) else {
            throw StageFailure(stage: .decode, reason: "LibreOffice could not read the document (damaged, encrypted or not a Word file)")
        }
        return [UInt8](converted)
    }

    /// Removes conversion folders left by runs that were killed (older than an hour).
    public static func sweepStaleFolders() {
        let temporary = FileManager.default.temporaryDirectory
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: temporary.path) else { return }
        let limit = Date().addingTimeInterval(-3600)
        for name in names where name.hasPrefix("nianbao-convert-") {
            let url = temporary.appendingPathComponent(name)
            let modified = (try? url.resourceValues(forKeys: [.contentModificationDateKey]))?.contentModificationDate ?? .distantPast
            if modified < limit { try? FileManager.default.removeItem(at: url) }
        }
    }
}
