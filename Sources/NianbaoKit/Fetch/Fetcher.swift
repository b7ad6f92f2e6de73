import Foundation

/// The *fetch* stage: a report URL in, a ``SourceDocument`` out, through the raw cache.
///
/// Follows redirects itself (only to http/https, at most `maxRedirects`, never in a loop), retries what is
/// worth retrying (``RetryPolicy``), keeps to each host's politeness limits (``HostLimiter``), sends
/// conditional requests when the cache holds the URL (a 304 reuses the cached body), and in offline mode
/// reads the cache alone. Every failure is a ``StageFailure`` of stage `fetch` with the reason.
public final class Fetcher: @unchecked Sendable {
    public let options: FetchOptions
    public let cache: RawCache
    let client: HTTPClient
    let limiter: HostLimiter
    let retry: RetryPolicy

    /// Serves each URL's last good body from the cache, and nothing else (``servingLastGoodBodies()``).
    let lastGoodOnly: Bool

    public init(options: FetchOptions, cacheDirectory: URL, client: HTTPClient? = nil) {
        self.options = options
        self.cache = RawCache(directory: cacheDirectory)
        self.client = client ?? CurlHTTPClient(userAgent: options.userAgent)
        self.limiter = HostLimiter(concurrency: options.perHostConcurrency, delay: options.perHostDelaySeconds)
        self.retry = RetryPolicy(retries: options.retries, backoff: options.backoffSeconds, maxBackoff: options.maxBackoffSeconds)
        self.lastGoodOnly = false
    }

    private init(lastGoodOf fetcher: Fetcher) {
        options = fetcher.options
        cache = fetcher.cache
        client = fetcher.client
        limiter = fetcher.limiter
        retry = fetcher.retry
        lastGoodOnly = true
    }

    /// A fetcher that answers every URL with the last body of it that gave a stored report (never the network):
    /// to read a page's last good report again with its attachment or images as they were then.
    public func servingLastGoodBodies() -> Fetcher { Fetcher(lastGoodOf: self) }

    /// A fetched body, and whether it came from the cache unchanged (304 or offline).
    public struct Fetched: Sendable {
        public var document: SourceDocument
        public var finalURL: String
        public var fromCache: Bool
    }

    /// - Parameter limits: the document's time budget (a wait for a retry that would outlast it fails at once)
    ///   and the run's cancellation (which aborts the transfer and any wait at once, throwing ``CancelledError``).
    public func fetch(_ address: String, limits: WorkLimits = .none) throws -> Fetched {
        guard let url = URL(string: address), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              url.host != nil else {
            throw StageFailure(stage: .fetch, reason: "not an http(s) URL: \(address)")
        }
        try checkHost(url)
        if lastGoodOnly {
            guard let good = cache.lastGoodBody(for: address) else {
                throw StageFailure(stage: .fetch, reason: "no body of this URL gave a stored report (raw cache)")
            }
            return Fetched(document: good, finalURL: address, fromCache: true)
        }
        let cached = cache.entry(for: address)
        let cachedBody = cached.flatMap { cache.body($0.bodySHA256) }
        if options.offline {
            guard let cached, let cachedBody else { throw StageFailure(stage: .fetch, reason: "offline, and the URL is not in the cache") }
            return Fetched(document: document(address, cachedBody, cached.headers), finalURL: cached.finalURL, fromCache: true)
        }
        var headers: [String: String] = [:]
        if cachedBody != nil, let cached {
            if let etag = cached.headers["etag"] { headers["If-None-Match"] = etag }
            if let modified = cached.headers["last-modified"] { headers["If-Modified-Since"] = modified }
        }
        var current = url
        var visited: Set<String> = [url.absoluteString]
        for _ in 0...options.maxRedirects {
            let response = try send(current, headers: headers, limits: limits)
            switch response.status {
            case 300...399 where response.status != 304:
                guard let location = response.header("location"), let next = URL(string: location, relativeTo: current)?.absoluteURL else {
                    throw StageFailure(stage: .fetch, reason: "HTTP \(response.status) without a usable Location")
                }
                guard let nextScheme = next.scheme?.lowercased(), nextScheme == "http" || nextScheme == "https" else {
                    throw StageFailure(stage: .fetch, reason: "redirect to a non-http(s) URL refused: \(next.absoluteString)")
                }
                guard visited.insert(next.absoluteString).inserted else {
                    throw StageFailure(stage: .fetch, reason: "redirect loop at \(next.absoluteString)")
                }
                try checkHost(next)
                current = next
            case 304:
                guard let cached, let cachedBody else { throw StageFailure(stage: .fetch, reason: "HTTP 304 for a URL not in the cache") }
                return Fetched(document: document(address, cachedBody, cached.headers), finalURL: cached.finalURL, fromCache: true)
            case 200...299:
                do {
                    try cache.store(url: address, finalURL: current.absoluteString, status: response.status,
                                    headers: response.headers, body: response.body)
                } catch {
                    throw (error as? StageFailure) ?? StageFailure(stage: .fetch, reason: "cannot write the raw cache: \(error.localizedDescription)")
                }
                return Fetched(document: document(address, response.body, response.headers), finalURL: current.absoluteString,
                               fromCache: false)
            default:
                throw StageFailure(stage: .fetch, reason: "HTTP \(response.status) from \(current.absoluteString)")
            }
        }
        throw StageFailure(stage: .fetch, reason: "more than \(options.maxRedirects) redirects")
    }

    private func checkHost(_ url: URL) throws {
        guard !options.allowedHosts.isEmpty else { return }
        let host = url.host?.lowercased() ?? ""
        guard options.allowedHosts.contains(where: { host == $0.lowercased() || host.hasSuffix("." + $0.lowercased()) }) else {
            throw StageFailure(stage: .fetch, reason: "host \(host) is not in fetch.allowed_hosts")
        }
    }

    /// One request with retries and politeness; returns a response or throws the last failure.
    private func send(_ url: URL, headers: [String: String], limits: WorkLimits) throws -> HTTPResponse {
        let host = "\(url.host ?? ""):\(url.port ?? 0)"
        var attempt = 0
        while true {
            try limits.cancellation?.check()
            let timeout = min(options.timeoutSeconds, limits.remaining)
            guard timeout > 0 else {
                throw StageFailure(stage: .fetch, reason: "the document's time budget (limits.document_seconds) ran out after \(attempt) attempts")
            }
            let request = HTTPRequest(url: url, headers: headers, timeout: timeout, maxBytes: options.maxBytes,
                                      cancellation: limits.cancellation)
            let result = limiter.run(host: host) { client.send(request) }
            if RetryPolicy.isRetryable(result), attempt < retry.retries {
                attempt += 1
                let retryAfter = (try? result.get())?.header("retry-after")
                let wait = retry.delay(attempt: attempt, retryAfter: retryAfter)
                // A wait that would outlast the document's budget is not waited for: the attempt fails now.
                guard wait < limits.remaining else {
                    throw StageFailure(stage: .fetch, reason: String(format: "%@; the next attempt would start after %.0f s, beyond the %.0f s left of the time budget (limits.document_seconds)",
                                                                     Self.describe(result), wait, limits.remaining))
                }
                if let cancellation = limits.cancellation {
                    guard cancellation.sleep(wait) else { throw CancelledError() }
                } else {
                    Thread.sleep(forTimeInterval: wait)
                }
                continue
            }
            switch result {
            case let .success(response):
                return response
            case .failure(.timeout):
                throw StageFailure(stage: .fetch, reason: "timed out after \(attempt + 1) attempts (\(options.timeoutSeconds) s each)")
            case let .failure(.connection(message)):
                throw StageFailure(stage: .fetch, reason: "connection failed after \(attempt + 1) attempts: \(message)")
            case let .failure(.tooLarge(limit)):
                throw StageFailure(stage: .fetch, reason: "body larger than fetch.max_bytes (\(limit) bytes)")
            case let .failure(.invalid(message)):
                throw StageFailure(stage: .fetch, reason: message)
            case .failure(.cancelled):
                throw CancelledError()
            }
        }
    }

    private static func describe(_ result: Result<HTTPResponse, HTTPClientError>) -> String {
        switch result {
        case let .success(response): return "HTTP \(response.status)"
        case let .failure(error): return "\(error)"
        }
    }

    private func document(_ address: String, _ body: [UInt8], _ headers: [String: String]) -> SourceDocument {
        let contentType = headers.first { $0.key.lowercased() == "content-type" }?.value
        return SourceDocument(source: address, bytes: body, declaredCharset: contentType.flatMap(Self.charset))
    }

    /// The charset parameter of a Content-Type header.
    static func charset(_ contentType: String) -> String? {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2, pair[0].lowercased() == "charset" { return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"'")) }
        }
        return nil
    }
}
