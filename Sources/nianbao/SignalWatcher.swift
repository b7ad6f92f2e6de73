import Dispatch
import Foundation

/// Turns SIGINT, SIGTERM and SIGHUP into calls on a queue instead of killing the process: the first asks the
/// run to stop (it cancels what is in flight and commits what is finished), a second one means "now" and
/// exits at once (the database is transactional and WAL, so it stays consistent).
final class SignalWatcher: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []
    private let lock = NSLock()
    private var signalNumber: Int32?
    private static let queue = DispatchQueue(label: "nianbao.signals", qos: .userInteractive)

    init(first: @escaping @Sendable (Int32) -> Void, second: @escaping @Sendable (Int32) -> Void) {
        for number in [SIGINT, SIGTERM, SIGHUP] {
            signal(number, SIG_IGN)
            // Its own queue: the global pool may be fully taken by the workers.
            let source = DispatchSource.makeSignalSource(signal: number, queue: Self.queue)
            source.setEventHandler { [weak self] in
                guard let self else { return }
                self.lock.lock()
                let earlier = self.signalNumber
                if earlier == nil { self.signalNumber = number }
                self.lock.unlock()
                if let earlier { second(earlier) } else { first(number) }
            }
            source.resume()
            sources.append(source)
        }
    }

    var received: Int32? {
        lock.lock()
        defer { lock.unlock() }
        return signalNumber
    }
}
