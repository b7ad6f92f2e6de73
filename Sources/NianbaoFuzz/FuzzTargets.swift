import NianbaoHTML
import NianbaoKit

/// libFuzzer entry point (`make fuzz`). The first byte picks the stage under test, the rest is its input:
/// 0 decode, 1 HTML extract, 2 text extract, 3 normalize (from text), 4 cell parser. Every stage must
/// return or throw a StageFailure — never crash, hang or read out of bounds.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size > 0 else { return 0 }
    let selector = data[0] % 5
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    FuzzHarness.run(selector: selector, bytes: bytes)
    return 0
}

enum FuzzHarness {
    static let prepared: Bool = {
        HTMLOutlineReader.prepare()
        return true
    }()

    static func run(selector: UInt8, bytes: [UInt8]) {
        _ = prepared
        let name: String
        switch selector {
        case 1: name = "fuzz.html"
        case 2: name = "fuzz.txt"
        case 3: name = "fuzz.md"
        default: name = "fuzz.bin"
        }
        if selector == 4 {
            let text = String(decoding: bytes, as: UTF8.self)
            _ = CellValueParser.parse(text, kind: .money, headerUnitIsYuan: bytes.first.map { $0 & 1 == 1 } ?? false)
            _ = LabelFolding.fold(text)
            return
        }
        let document = SourceDocument(source: name, bytes: bytes)
        guard let decoded = try? Decoder().decode(document) else { return }
        if selector == 0 { return }
        guard let extracted = try? Extractor().extract(decoded) else { return }
        if let report = try? Normalizer().normalize(extracted) { _ = Validator().validate(report) }
    }
}

#if NIANBAO_FUZZ
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> Int32) -> Int32

/// SwiftPM links executables with their entry renamed to `<module>_main`; hand control to libFuzzer's driver.
@_cdecl("NianbaoFuzz_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in fuzzOneInput(data, size) }
}
#else
/// Without libFuzzer (a plain `swift build`) the target only says how to build it.
@_cdecl("NianbaoFuzz_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    print("NianbaoFuzz: build and run it with `make fuzz` (libFuzzer, -sanitize=fuzzer -DNIANBAO_FUZZ)")
    return 2
}
#endif
