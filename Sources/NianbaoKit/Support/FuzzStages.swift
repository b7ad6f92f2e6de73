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

    /// The longest input worth generating for the stage.
    public var maxLength: Int {
        switch self {
        case .cell, .split: return 64
        case .label: return 256
        case .decode, .html, .text: return 8192
        case .pipeline: return 300_000
        }
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
