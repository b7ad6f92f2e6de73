import Foundation
import Logging
import NianbaoKit

/// Shows a run's progress: a live line on a terminal (done/total, documents/s, ETA, failures), or — off a
/// terminal, as under cron — a log line every few seconds.
final class ProgressReporter: @unchecked Sendable {
    private let logger: Logger
    private let lock = NSLock()
    private var lastShown = Date.distantPast
    static let isTerminal = isatty(STDERR_FILENO) == 1

    init(logger: Logger) { self.logger = logger }

    func report(_ progress: Pipeline.Progress) {
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        let interval: TimeInterval = Self.isTerminal ? 0.2 : 5
        guard now.timeIntervalSince(lastShown) >= interval || progress.done == progress.total else { return }
        lastShown = now
        let rate = progress.seconds > 0 ? Double(progress.done) / progress.seconds : 0
        let remaining = rate > 0 ? Double(progress.total - progress.done) / rate : 0
        let line = String(format: "%d/%d documents  %.0f/s  ETA %@  failed %d", progress.done, progress.total, rate,
                          Self.duration(remaining), progress.failed)
        if Self.isTerminal {
            FileHandle.standardError.write(Data("\r\u{1B}[K\(line)".utf8))
        } else {
            logger.info("\(line)")
        }
    }

    static func finishLine(quiet: Bool) {
        if isTerminal && !quiet { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }

    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        return total >= 3600 ? String(format: "%dh%02dm", total / 3600, total % 3600 / 60) : String(format: "%dm%02ds", total / 60, total % 60)
    }
}
