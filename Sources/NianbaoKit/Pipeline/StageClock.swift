import Dispatch
import Foundation

/// Time spent in each stage, summed over all workers (so it can exceed the run's wall time).
public final class StageClock: @unchecked Sendable {
    private let lock = NSLock()
    private var nanoseconds: [StageName: UInt64] = [:]

    public init() {}

    /// Runs `body`, adding its duration to `stage`.
    @inline(__always)
    public func measure<T>(_ stage: StageName, _ body: () throws -> T) rethrows -> T {
        let start = DispatchTime.now().uptimeNanoseconds
        defer { add(stage, DispatchTime.now().uptimeNanoseconds - start) }
        return try body()
    }

    public func add(_ stage: StageName, _ elapsed: UInt64) {
        lock.lock()
        nanoseconds[stage, default: 0] += elapsed
        lock.unlock()
    }

    public var seconds: [StageName: Double] {
        lock.lock()
        defer { lock.unlock() }
        return nanoseconds.mapValues { Double($0) / 1e9 }
    }
}
