import Foundation

/// Results of a pure function remembered across the documents of a run, shared by the workers.
///
/// The national template's labels and header texts recur in nearly every report, and working one out (label
/// matching by longest common subsequence, header codes) costs tens of thousands of instructions where a lookup
/// costs hundreds. Only functions whose result depends on the key alone may be remembered here. The memo holds at
/// most `capacity` entries and starts over when full, so a run over many unusual documents stays bounded in memory.
///
/// ```swift
/// static let memo = SharedMemo<String, Int>(capacity: 10_000)
/// let value = memo.value(for: label) { expensive($0) }
/// ```
final class SharedMemo<Key: Hashable, Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [Key: Value] = [:]
    private let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    /// The remembered value for `key`, else `compute(key)` (worked out outside the lock) remembered.
    func value(for key: Key, compute: (Key) -> Value) -> Value {
        lock.lock()
        let known = entries[key]
        lock.unlock()
        if let known { return known }
        let computed = compute(key)
        lock.lock()
        if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
        entries[key] = computed
        lock.unlock()
        return computed
    }
}
