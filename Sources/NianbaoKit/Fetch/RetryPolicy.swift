import Foundation

/// When to try a request again, and how long to wait first.
///
/// Retried: timeouts, connection errors, 429 and 5xx. Not retried: other 4xx, redirects, bodies over the
/// limit. The wait doubles from `backoff` with up to 50 % jitter, and honours Retry-After (seconds or an
/// HTTP date), capped at `maxBackoff`.
struct RetryPolicy: Sendable {
    var retries: Int
    var backoff: TimeInterval
    var maxBackoff: TimeInterval

    static func isRetryable(_ result: Result<HTTPResponse, HTTPClientError>) -> Bool {
        switch result {
        case let .success(response): return response.status == 429 || (500...599).contains(response.status)
        case .failure(.timeout), .failure(.connection): return true
        case .failure(.cancelled): return false
        case .failure: return false
        }
    }

    /// Seconds to wait before attempt `attempt` (1 for the first retry).
    func delay(attempt: Int, retryAfter: String?, jitter: Double = Double.random(in: 0...0.5)) -> TimeInterval {
        if let retryAfter, let seconds = Self.parseRetryAfter(retryAfter) { return min(max(0, seconds), maxBackoff) }
        let exponential = backoff * pow(2, Double(attempt - 1))
        return min(exponential * (1 + jitter), maxBackoff)
    }

    static func parseRetryAfter(_ value: String, now: Date = Date()) -> TimeInterval? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(trimmed) { return seconds }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: trimmed).map { $0.timeIntervalSince(now) }
    }
}
