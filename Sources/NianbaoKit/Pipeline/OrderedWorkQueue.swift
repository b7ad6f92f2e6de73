import Foundation

/// Hands out indices to workers and gives results back to one consumer in index order.
///
/// A worker may claim index `i` only while `i < next + window`, where `next` is the first result the
/// consumer has not taken: at most `window` results wait in memory (plus the batch the consumer holds).
final class OrderedWorkQueue<Result>: @unchecked Sendable {
    private let condition = NSCondition()
    private let count: Int
    private let window: Int
    private var nextClaim = 0
    private var nextTake = 0
    private var ready: [Int: Result] = [:]
    private var cancelled = false

    init(count: Int, window: Int) {
        self.count = count
        self.window = window
    }

    /// The next index to process, or nil when all are claimed (or the run was cancelled).
    func claim() -> Int? {
        condition.lock()
        defer { condition.unlock() }
        while !cancelled && nextClaim < count && nextClaim >= nextTake + window { condition.wait() }
        guard !cancelled, nextClaim < count else { return nil }
        defer { nextClaim += 1 }
        return nextClaim
    }

    func complete(_ index: Int, _ result: Result) {
        condition.lock()
        ready[index] = result
        condition.broadcast()
        condition.unlock()
    }

    /// Up to `limit` consecutive results; waits for at least one; nil when everything was taken.
    ///
    /// With a `linger`, the batch is filled as results arrive: it is handed over when it holds `limit`
    /// results, when every index was taken, when the run is cancelled, or `linger` seconds after its first
    /// result — whichever comes first. Taking what happens to be ready instead gives the writer batches of
    /// one or two documents (it is faster than the workers), so each transaction commits about one document.
    /// Results taken into the batch leave the window, so the workers keep going while it fills.
    func nextBatch(limit: Int, linger: TimeInterval = 0) -> [Result]? {
        condition.lock()
        defer { condition.unlock() }
        while nextTake < count && ready[nextTake] == nil && !(cancelled && nextTake >= nextClaim) { condition.wait() }
        guard nextTake < count, ready[nextTake] != nil else { return nil }
        var batch: [Result] = []
        let deadline = Date(timeIntervalSinceNow: linger)
        while true {
            while batch.count < limit, let result = ready.removeValue(forKey: nextTake) {
                batch.append(result)
                nextTake += 1
            }
            condition.broadcast()
            // Stop when full, when nothing more can come (all taken, or cancelled with all claimed ones in),
            // or when the batch has waited long enough.
            guard batch.count < limit, nextTake < count, !(cancelled && nextTake >= nextClaim),
                  condition.wait(until: deadline) || ready[nextTake] != nil else { break }
        }
        return batch
    }

    /// Stops handing out work; results of claimed indices are still delivered.
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }
}
