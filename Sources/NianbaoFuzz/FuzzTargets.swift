import Foundation
import NianbaoKit

/// libFuzzer entry point (`make fuzz`). The stage under test comes from `NIANBAO_FUZZ_TARGET` (one of
/// ``FuzzStages``: cell, label, split, decode, html, text, pipeline); each has its own corpus and input size.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    FuzzHarness.stage.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

enum FuzzHarness {
    static let stage: FuzzStages = {
        let name = ProcessInfo.processInfo.environment["NIANBAO_FUZZ_TARGET"] ?? "pipeline"
        guard let stage = FuzzStages(rawValue: name) else {
            FileHandle.standardError.write(Data("NIANBAO_FUZZ_TARGET must be one of \(FuzzStages.allCases.map(\.rawValue))\n".utf8))
            exit(2)
        }
        return stage
    }()
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
