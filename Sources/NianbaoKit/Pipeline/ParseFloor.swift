import Dispatch
import Foundation
import NianbaoHTML

/// The physical floor of the pipeline: reading the same HTML files and parsing them with libxml2, nothing
/// else (the encoding is detected as the decode stage does, and handed to libxml2 to convert).
public enum ParseFloor {
    public struct Result: Sendable {
        public var documents: Int
        public var bytes: Int
        public var seconds: Double
    }

    public static func run(paths: [String], workers: Int) -> Result {
        HTMLOutlineReader.prepare()
        final class Counter: @unchecked Sendable {
            let lock = NSLock()
            var next = 0
            var bytes = 0
            func claim() -> Int { lock.lock(); defer { next += 1; lock.unlock() }; return next }
            func add(_ count: Int) { lock.lock(); bytes += count; lock.unlock() }
        }
        let counter = Counter()
        let detector = EncodingDetector()
        let start = DispatchTime.now().uptimeNanoseconds
        DispatchQueue.concurrentPerform(iterations: max(1, workers)) { _ in
            while true {
                let index = counter.claim()
                guard index < paths.count else { return }
                guard let data = FileManager.default.contents(atPath: paths[index]) else { continue }
                let bytes = [UInt8](data)
                let encoding = detector.detect(bytes, declared: nil).encoding
                _ = HTMLOutlineReader.parseOnly(bytes, encoding: encoding)
                counter.add(bytes.count)
            }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return Result(documents: paths.count, bytes: counter.bytes, seconds: seconds)
    }
}
