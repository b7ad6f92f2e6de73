import Foundation

/// One HTTP GET as the fetch stage sends it. Redirects are not followed by the client: the fetcher
/// follows them itself, to check their scheme and count them.
public struct HTTPRequest: Sendable {
    public var url: URL
    public var headers: [String: String]
    public var timeout: TimeInterval
    /// The body is cut off (and the request fails) past this many bytes, after content decoding.
    public var maxBytes: Int
    /// Cancelling it aborts the transfer at once (a signal stopping the run).
    public var cancellation: Cancellation?

    public init(url: URL, headers: [String: String] = [:], timeout: TimeInterval = 30, maxBytes: Int = 20_000_000,
                cancellation: Cancellation? = nil) {
        self.url = url
        self.headers = headers
        self.timeout = timeout
        self.maxBytes = maxBytes
        self.cancellation = cancellation
    }
}

/// A response with header names lower-cased.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: [String: String]
    public var body: [UInt8]

    public init(status: Int, headers: [String: String], body: [UInt8]) {
        self.status = status
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        self.body = body
    }

    public func header(_ name: String) -> String? { headers[name.lowercased()] }
}

/// Why a request got no response.
public enum HTTPClientError: Error, Sendable, Equatable {
    case timeout
    case connection(String)
    case tooLarge(limit: Int)
    case invalid(String)
    /// The run was cancelled while the request was in flight.
    case cancelled
}

/// The network behind the fetch stage; tests and offline runs substitute their own.
public protocol HTTPClient: Sendable {
    func send(_ request: HTTPRequest) -> Result<HTTPResponse, HTTPClientError>
}
