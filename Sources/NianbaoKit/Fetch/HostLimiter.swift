import Foundation

/// Politeness per host: at most `concurrency` requests in flight and at least `delay` seconds between the
/// starts of two requests, on top of the pipeline's global worker count.
final class HostLimiter: @unchecked Sendable {
    private let condition = NSCondition()
    private let concurrency: Int
    private let delay: TimeInterval
    private var inFlight: [String: Int] = [:]
    private var nextStart: [String: Date] = [:]

    init(concurrency: Int, delay: TimeInterval) {
        self.concurrency = max(1, concurrency)
        self.delay = max(0, delay)
    }

    /// Runs `body` once the host has a free slot and its delay has passed.
    func run<T>(host: String, _ body: () -> T) -> T {
        condition.lock()
        while (inFlight[host] ?? 0) >= concurrency { condition.wait() }
        inFlight[host, default: 0] += 1
        let start = max(Date(), nextStart[host] ?? .distantPast)
        nextStart[host] = start.addingTimeInterval(delay)
        condition.unlock()
        let wait = start.timeIntervalSinceNow
        if wait > 0 { Thread.sleep(forTimeInterval: wait) }
        defer {
            condition.lock()
            inFlight[host, default: 1] -= 1
            condition.broadcast()
            condition.unlock()
        }
        return body()
    }
}
