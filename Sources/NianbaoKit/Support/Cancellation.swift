import Foundation

/// A run's stop request, shared by everything that waits: fetches in flight, waits between retries, the lock,
/// external converters. Cancelling wakes every sleeper and runs every registered handler once, at once, so
/// that a signal stops a run within moments instead of after its downloads and retries.
///
/// ```swift
/// let cancellation = Cancellation()
/// let token = cancellation.onCancel { task.cancel() }
/// defer { cancellation.remove(token) }
/// if !cancellation.sleep(2) { throw CancelledError() }
/// ```
public final class Cancellation: @unchecked Sendable {
    private let condition = NSCondition()
    private var cancelled = false
    private var handlers: [Int: @Sendable () -> Void] = [:]
    private var nextToken = 0

    public init() {}

    public var isCancelled: Bool {
        condition.lock()
        defer { condition.unlock() }
        return cancelled
    }

    /// Marks the run cancelled, wakes sleepers and runs the handlers (outside the lock).
    public func cancel() {
        condition.lock()
        guard !cancelled else { return condition.unlock() }
        cancelled = true
        let pending = handlers.values
        handlers.removeAll()
        condition.broadcast()
        condition.unlock()
        for handler in pending { handler() }
    }

    /// Registers a handler run once on cancellation; when already cancelled it runs now and nil is returned.
    @discardableResult
    public func onCancel(_ handler: @escaping @Sendable () -> Void) -> Int? {
        condition.lock()
        if cancelled {
            condition.unlock()
            handler()
            return nil
        }
        nextToken += 1
        handlers[nextToken] = handler
        condition.unlock()
        return nextToken
    }

    public func remove(_ token: Int?) {
        guard let token else { return }
        condition.lock()
        handlers[token] = nil
        condition.unlock()
    }

    /// Sleeps up to `seconds`; returns false as soon as the run is cancelled.
    public func sleep(_ seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(max(0, seconds))
        condition.lock()
        defer { condition.unlock() }
        while !cancelled {
            if !condition.wait(until: deadline) { return !cancelled }
        }
        return false
    }

    /// Throws ``CancelledError`` when the run was cancelled.
    public func check() throws {
        if isCancelled { throw CancelledError() }
    }
}

/// A stage stopped because the run was cancelled (a signal): the document is not a failure, it is left for the
/// next run.
public struct CancelledError: Error, Sendable, CustomStringConvertible {
    public init() {}
    public var description: String { "cancelled: the run is stopping" }
}

/// The limits one document works under: when its time budget runs out, and the run's cancellation.
/// Stages that wait (fetch retries, converters) take the smaller of their own limit and what is left here.
public struct WorkLimits: Sendable {
    public var deadline: Date
    public var cancellation: Cancellation?

    public init(deadline: Date = .distantFuture, cancellation: Cancellation? = nil) {
        self.deadline = deadline
        self.cancellation = cancellation
    }

    public init(seconds: Double, cancellation: Cancellation? = nil) {
        self.init(deadline: Date().addingTimeInterval(seconds), cancellation: cancellation)
    }

    /// Seconds left before the deadline (never negative).
    public var remaining: Double { max(0, deadline.timeIntervalSinceNow) }

    public static let none = WorkLimits()
}
