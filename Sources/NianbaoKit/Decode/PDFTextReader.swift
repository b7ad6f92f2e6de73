import Foundation

/// Reads a PDF's text layer with poppler's `pdftotext -layout`, which keeps table rows on one line.
///
/// The document's bytes go through a private temporary file; the command line holds only that file's
/// name, never anything taken from the document. A PDF without a text layer (a scan) is a failure.
public struct PDFTextReader: Sendable {
    public var executable: String

    public init(executable: String = "pdftotext") { self.executable = executable }

    public func text(of document: SourceDocument) throws -> [UInt8] {
        let temporary = FileManager.default.temporaryDirectory
            .appendingPathComponent("nianbao-\(document.sha256.prefix(16))-\(UUID().uuidString).pdf")
        defer { try? FileManager.default.removeItem(at: temporary) }
        do {
            try Data(document.bytes).write(to: temporary)
        } catch {
            throw StageFailure(stage: .decode, reason: "cannot stage the PDF for pdftotext: \(error.localizedDescription)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable, "-layout", "-enc", "UTF-8", "-q", temporary.path, "-"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw StageFailure(stage: .decode, reason: "PDF document, and \(executable) could not be started: \(error.localizedDescription)")
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        if process.terminationStatus == 127 {
            throw StageFailure(stage: .decode, reason: "PDF document, and \(executable) is not installed (Debian package poppler-utils)")
        }
        guard process.terminationStatus == 0 else {
            throw StageFailure(stage: .decode, reason: "\(executable) failed with status \(process.terminationStatus): damaged or encrypted PDF")
        }
        let text = String(decoding: data, as: UTF8.self)
        if text.unicodeScalars.filter({ !$0.properties.isWhitespace && $0 != "\u{0C}" }).count < 20 {
            throw StageFailure(stage: .decode, reason: "PDF without a text layer (scanned pages); OCR is not supported")
        }
        return [UInt8](data)
    }
}
