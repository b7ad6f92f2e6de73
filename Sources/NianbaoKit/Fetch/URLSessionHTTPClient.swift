import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// ``HTTPClient`` over one long-lived `URLSession`.
///
/// The session decodes gzip/deflate bodies itself; the delegate counts the decoded bytes and cancels a
/// transfer as soon as it passes the request's limit, so a compressed bomb cannot fill memory. Redirects
/// are handed back as responses (the fetcher decides whether to follow them).
public final class URLSessionHTTPClient: NSObject, HTTPClient, URLSessionDataDelegate, @unchecked Sendable {
    private final class Transfer {
        var body: [UInt8] = []
        var response: HTTPURLResponse?
        var limit: Int
        var overLimit = false
        var redirect: HTTPURLResponse?
        let done = DispatchSemaphore(value: 0)
        var error: Error?
        init(limit: Int) { self.limit = limit }
    }

    private let lock = NSLock()
    private var transfers: [Int: Transfer] = [:]
    private var session: URLSession!
    public let userAgent: String

    public init(userAgent: String, maxConnectionsPerHost: Int = 4) {
        self.userAgent = userAgent
        super.init()
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = maxConnectionsPerHost
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        session = URLSession(configuration: configuration, delegate: self, delegateQueue: nil)
    }

    deinit { session.invalidateAndCancel() }

    public func send(_ request: HTTPRequest) -> Result<HTTPResponse, HTTPClientError> {
        guard let scheme = request.url.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            return .failure(.invalid("only http and https URLs are fetched"))
        }
        var urlRequest = URLRequest(url: request.url, timeoutInterval: request.timeout)
        urlRequest.setValue(userAgent, forHTTPHeaderField: "User-Agent")
        for (name, value) in request.headers { urlRequest.setValue(value, forHTTPHeaderField: name) }
        let task = session.dataTask(with: urlRequest)
        let transfer = Transfer(limit: request.maxBytes)
        lock.lock()
        transfers[task.taskIdentifier] = transfer
        lock.unlock()
        let token = request.cancellation?.onCancel { task.cancel() }
        defer { request.cancellation?.remove(token) }
        task.resume()
        // The session's own timeout only covers idle time, and not reliably on every platform: the deadline
        // here bounds the whole transfer. After a cancel the session gets two seconds to report back; the
        // request is given up either way.
        if transfer.done.wait(timeout: .now() + request.timeout) == .timedOut {
            task.cancel()
            _ = transfer.done.wait(timeout: .now() + 2)
        }
        lock.lock()
        transfers[task.taskIdentifier] = nil
        lock.unlock()
        if request.cancellation?.isCancelled == true { return .failure(.cancelled) }
        if transfer.overLimit { return .failure(.tooLarge(limit: request.maxBytes)) }
        if let response = transfer.redirect ?? transfer.response, transfer.error == nil || transfer.redirect != nil {
            var headers: [String: String] = [:]
            for (key, value) in response.allHeaderFields {
                if let key = key as? String, let value = value as? String { headers[key] = value }
            }
            return .success(HTTPResponse(status: response.statusCode, headers: headers, body: transfer.redirect == nil ? transfer.body : []))
        }
        let error = transfer.error.map { $0 as NSError }
        if error?.code == NSURLErrorTimedOut || error?.code == NSURLErrorCancelled { return .failure(.timeout) }
        return .failure(.connection(error?.localizedDescription ?? "no response"))
    }

    private func transfer(_ task: URLSessionTask) -> Transfer? {
        lock.lock()
        defer { lock.unlock() }
        return transfers[task.taskIdentifier]
    }

    public func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                           completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        let transfer = transfer(dataTask)
        transfer?.response = response as? HTTPURLResponse
        if let length = transfer?.response?.expectedContentLength, let limit = transfer?.limit, length > Int64(limit),
           transfer?.response?.value(forHTTPHeaderField: "Content-Encoding") == nil {
            transfer?.overLimit = true
            completionHandler(.cancel)
            return
        }
        completionHandler(.allow)
    }

    public func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        guard let transfer = transfer(dataTask) else { return }
        if transfer.body.count + data.count > transfer.limit {
            transfer.overLimit = true
            dataTask.cancel()
            return
        }
        transfer.body.append(contentsOf: data)
    }

    public func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                           newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void) {
        transfer(task)?.redirect = response
        completionHandler(nil)
    }

    public func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        guard let transfer = transfer(task) else { return }
        transfer.error = error
        transfer.done.signal()
    }
}
