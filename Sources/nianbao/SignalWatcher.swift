import Dispatch
import Foundation

/// Turns SIGINT and SIGTERM into a call on a queue (instead of killing the process), remembering which came.
final class SignalWatcher: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []
    private let lock = NSLock()
    private var signalNumber: Int32?
    private static let queue = DispatchQueue(label: "nianbao.signals", qos: .userInteractive)

    init(_ handler: @escaping @Sendable (Int32) -> Void) {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            // Its own queue: the global pool may be fully taken by the workers.
            let source = DispatchSource.makeSignalSource(signal: number, queue: Self.queue)
            source.setEventHandler { [weak self] in
                self?.lock.lock()
                self?.signalNumber = self?.signalNumber ?? number
                self?.lock.unlock()
                handler(number)
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
