import Foundation

/// Runs the Tesseract engine (Debian packages `tesseract-ocr`, `tesseract-ocr-chi-sim`) on a batch of image
/// crops in one process and reads its TSV output: each crop's text and its lowest word confidence.
///
/// One process per batch (a list file of crops, one "page" each) keeps the cost of starting the engine and
/// loading its Chinese model to once per page image, not once per table cell.
struct Tesseract: Sendable {
    var executable = "tesseract"
    var language = "chi_sim"
    var dpi = 300

    struct Reading: Equatable, Sendable {
        var text: String
        /// The lowest confidence (0–100) of the words read; nil when nothing was read.
        var confidence: Double?
    }

    /// Page segmentation: one line of text (a table cell), a block of lines (a wrapped cell, a band of prose), or a
    /// single word (a lone figure a line reading missed).
    enum Layout: String, Sendable {
        case line = "7"
        case block = "6"
        case word = "8"
    }

    /// Reads every crop (binary PGM bytes), in order. `figures`: with the engine's Latin model, digits and the
    /// marks of figures only (a figure the Chinese model misreads as a character, 2 as 多).
    func read(_ crops: [[UInt8]], layout: Layout, figures: Bool = false, limits: WorkLimits) throws -> [Reading] {
        guard !crops.isEmpty else { return [] }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nianbao-ocr-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        var list = ""
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for (index, crop) in crops.enumerated() {
                let file = folder.appendingPathComponent("\(index).pgm")
                try Data(crop).write(to: file)
                list += file.path + "\n"
            }
            try list.write(to: folder.appendingPathComponent("list.txt"), atomically: true, encoding: .utf8)
        } catch {
            throw StageFailure(stage: .decode, reason: "cannot stage page images for OCR: \(error.localizedDescription)")
        }
        let output: Subprocess.Output
        do {
            let model = figures ? ["-l", "eng", "-c", "tessedit_char_whitelist=0123456789.,+-"] : ["-l", language]
            output = try Subprocess.run(executable, [folder.appendingPathComponent("list.txt").path, "stdout"] + model
                                        + ["--psm", layout.rawValue, "--dpi", String(dpi), "tsv"],
                                        limits: .init(seconds: min(limits.remaining, 3600), maxOutput: 50_000_000,
                                                      cancellation: limits.cancellation, memoryBytes: 2 << 30,
                                                      environment: ["OMP_THREAD_LIMIT": "1"]))
        } catch let failure as Subprocess.Failure {
            switch failure {
            case .notFound, .exited(status: 126, _), .exited(status: 127, _):
                throw StageFailure(stage: .decode, reason: "a scanned document, and the OCR engine \(executable) is not installed (Debian packages tesseract-ocr and tesseract-ocr-chi-sim)")
            case let .timedOut(seconds):
                throw StageFailure(stage: .decode, reason: String(format: "OCR was stopped after %.0f s: the document's time budget ran out (limits.document_seconds, plus limits.ocr_page_seconds for each scanned page)", seconds))
            case let .exited(status, stderr):
                let message = String(stderr.prefix(300))
                if message.contains("Failed loading language") || message.contains(language) && message.contains("not") {
                    throw StageFailure(stage: .decode, reason: "a scanned document, and Tesseract's \(language) model is not installed (Debian package tesseract-ocr-chi-sim)")
                }
                throw StageFailure(stage: .decode, reason: "the OCR engine failed with status \(status): \(message)")
            default:
                throw StageFailure(stage: .decode, reason: "the OCR engine failed: \(failure)")
            }
        }
        return Self.parse(tsv: String(decoding: output.stdout, as: UTF8.self), pages: crops.count)
    }

    /// Words of Tesseract's TSV (level 5 rows) grouped by page (crop) and line; CJK words joined without spaces.
    static func parse(tsv: String, pages: Int) -> [Reading] {
        var lines: [Int: [String: [(text: String, confidence: Double)]]] = [:]
        var lineOrder: [Int: [String]] = [:]
        for row in tsv.split(separator: "\n").dropFirst() {
            let fields = row.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count >= 12, fields[0] == "5", let page = Int(fields[1]), let confidence = Double(fields[10]) else { continue }
            let text = String(fields[11]).trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else { continue }
            let key = "\(fields[2]).\(fields[3]).\(fields[4])"
            if lines[page]?[key] == nil { lineOrder[page, default: []].append(key) }
            lines[page, default: [:]][key, default: []].append((text, confidence))
        }
        return (1...max(1, pages)).prefix(pages).map { page in
            let words = (lineOrder[page] ?? []).compactMap { lines[page]?[$0] }
            let text = words.map { line in
                line.map(\.text).reduce("") { joined, word in
                    // Spaces only between two words of Latin letters or digits ("12 3" stays two figures).
                    guard let last = joined.last, let first = word.first else { return joined + word }
                    return joined + ((last.isASCII && first.isASCII) ? " " : "") + word
                }
            }.joined(separator: "\n")
            let confidence = words.flatMap { $0 }.map(\.confidence).min()
            return Reading(text: text, confidence: confidence)
        }
    }
}
