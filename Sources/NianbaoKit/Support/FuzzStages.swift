import NianbaoHTML

/// Entry points for `make fuzz`: each stage on its own, on small inputs, so each fuzz target runs thousands
/// of inputs a second. Every function must return — never crash, hang or read out of bounds — whatever the
/// bytes; the fuzzer (Sources/NianbaoFuzz) calls them.
public enum FuzzStages: String, CaseIterable, Sendable {
    /// CellValueParser and label folding on one cell's text.
    case cell
    /// The label matcher on one row's label cells (split at `|`), for each table.
    case label
    /// The digit-run splitter on a run of figures, into 1–15 cells.
    case split
    /// Encoding detection, iconv conversion and control-byte marking.
    case decode
    /// The libxml2 outline walk of an HTML page.
    case html
    /// Text and markdown extraction, then normalize and validate.
    case text
    /// The whole document path: decode, extract, normalize, validate.
    case pipeline
    /// A page image drawn from the bytes (ruled lines, blocks of ink): ruling-line and cell detection, deskew,
    /// and the crops handed to the OCR engine (no engine runs).
    case image

    /// The longest input worth generating for the stage.
    public var maxLength: Int {
        switch self {
        case .cell, .split: return 64
        case .label: return 256
        case .decode, .html, .text: return 8192
        case .image: return 512
        case .pipeline: return 300_000
        }
    }

    /// A white page (its size from the first two bytes) with a rectangle of ink per five bytes after them:
    /// position, size and gray level — thin ones are rules, close ones doubled rules, thick ones text.
    static func page(_ bytes: [UInt8]) -> GrayImage {
        let width = 16 + Int(bytes.first ?? 0) * 3, height = 16 + Int(bytes.dropFirst().first ?? 0) * 3
        var pixels = [UInt8](repeating: 255, count: width * height)
        var index = 2
        while index + 5 <= bytes.count {
            let x0 = Int(bytes[index]) * width / 256, y0 = Int(bytes[index + 1]) * height / 256
            let long = bytes[index + 4] & 1 == 0
            let w = long ? max(1, Int(bytes[index + 2]) * width / 256) : Int(bytes[index + 2] % 8) + 1
            let h = long ? Int(bytes[index + 3] % 8) + 1 : max(1, Int(bytes[index + 3]) * height / 256)
            let level = bytes[index + 4] & 0xF0
            for y in y0..<min(height, y0 + h) { for x in x0..<min(width, x0 + w) { pixels[y * width + x] = level } }
            index += 5
        }
        return GrayImage(width: width, height: height, pixels: pixels)
    }

    public func run(_ bytes: [UInt8]) {
        switch self {
        case .cell:
            let text = String(decoding: bytes, as: UTF8.self)
            for kind in [ColumnDefinition.Kind.count, .money, .signed] {
                _ = CellValueParser.parse(text, kind: kind, headerUnit: bytes.first.map { $0 & 1 == 1 } ?? false ? .yuan : .hundredMillion)
            }
            _ = LabelFolding.fold(text)
        case .label:
            let labels = String(decoding: bytes, as: UTF8.self).split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            for table in TableCode.allCases {
                var matcher = LabelMatcher(table: table)
                _ = matcher.match(labels)
                _ = matcher.match(labels.reversed())
            }
        case .split:
            guard let count = bytes.first else { return }
            _ = DigitRunSplitter.splits(String(decoding: bytes.dropFirst(), as: UTF8.self), into: Int(count % 15) + 1)
        case .decode:
            let detected = EncodingDetector().detect(bytes, declared: nil)
            if let converted = try? IconvConverter.toUTF8(bytes, from: detected.encoding) { _ = Decoder.markControlBytes(converted.utf8) }
            _ = IconvConverter.repairUTF8(bytes)
        case .html:
            HTMLOutlineReader.prepare()
            _ = HTMLOutlineReader.read(utf8: bytes)
            _ = HTMLLinkReader.links(utf8: bytes)
        case .image:
            let image = Self.page(bytes)
            for table in TableLineDetector(image: image).tables() {
                for cell in table.cells.prefix(40) {
                    _ = image.textPGM(of: cell.frame)
                    _ = image.textLines(in: cell.frame)
                }
            }
            let angle = image.skewAngle()
            _ = TableLineDetector(image: image.rotated(by: angle)).tables()
            _ = image.halved().doubled().despeckled()
        case .text, .pipeline:
            HTMLOutlineReader.prepare()
            let name = self == .text ? (bytes.first.map { $0 & 1 == 1 } ?? false ? "fuzz.md" : "fuzz.txt") : "fuzz.html"
            let document = SourceDocument(source: name, bytes: self == .text ? Array(bytes.dropFirst()) : bytes)
            guard let decoded = try? Decoder().decode(document),
                  let extracted = try? Extractor().extract(decoded) else { return }
            if let report = try? Normalizer().normalize(extracted) { _ = Validator().validate(report) }
        }
    }
}
