import CNianbaoHTTP
import Foundation

/// ``HTTPClient`` over libcurl (through the thin C seam `CNianbaoHTTP`), the fetch stage's network.
///
/// Why not FoundationNetworking's URLSession: it decodes gzip and buffers ahead of its delegate, so a 4 MB gzip
/// bomb reached 4.6 GB of memory before a byte limit could act, and a cancelled task could block its caller.
/// Here libcurl's own decoding is off; the C seam inflates gzip/deflate in 64 KB steps and counts the decoded
/// bytes as they are produced, aborting the transfer past `maxBytes` — so memory stays within the limit plus a
/// few buffers (RELIABILITY.md has the measurement). The whole transfer is bounded by the request's timeout,
/// and the run's ``Cancellation`` stops it within 50 ms. Redirects are returned as responses (the fetcher
/// follows them itself, to check their scheme and count them).
public final class CurlHTTPClient: HTTPClient, @unchecked Sendable {
    public let userAgent: String

    public init(userAgent: String) {
        self.userAgent = userAgent
        nianbao_http_global_init()
    }

    /// What the C callbacks fill in.
    private final class Collector {
        var statusLines: [String] = []
        var headers: [String: String] = [:]
        /// The body as it arrived, in pieces: joined once at the end, so that memory never holds a doubled
        /// buffer while bytes arrive (a body stopped at the limit costs the limit, not twice it).
        var pieces: [[UInt8]] = []
        var size = 0

        var body: [UInt8] {
            var joined: [UInt8] = []
            joined.reserveCapacity(size)
            for piece in pieces { joined += piece }
            return joined
        }

        func header(_ line: String) {
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.hasPrefix("HTTP/") {
                statusLines.append(trimmed)
                headers = [:]   // a new response (after 100 Continue): its headers only
            } else if let colon = trimmed.firstIndex(of: ":") {
                let name = trimmed[..<colon].lowercased()
                let value = trimmed[trimmed.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                headers[name] = headers[name].map { "\($0), \(value)" } ?? value
            }
        }
    }

    public func send(_ request: HTTPRequest) -> Result<HTTPResponse, HTTPClientError> {
        guard let scheme = request.url.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            return .failure(.invalid("only http and https URLs are fetched"))
        }
        let collector = Collector()
        let flag = CancelFlag()
        let cancelFlag = flag.pointer
        let token = request.cancellation?.onCancel { flag.raise() }
        defer { request.cancellation?.remove(token) }

        let headerLines = request.headers.map { "\($0.key): \($0.value)" }
        let outcome: Int32
        var status = 0
            var message = ""
        let context = Unmanaged.passUnretained(collector).toOpaque()
        outcome = withCStrings(headerLines) { headerPointers in
            request.url.absoluteString.withCString { url in
                userAgent.withCString { agent in
                    var call = nianbao_http_request()
                    call.url = url
                    call.headers = headerPointers
                    call.header_count = Int32(headerLines.count)
                    call.user_agent = agent
                    call.timeout_seconds = max(0.001, request.timeout)
                    call.max_bytes = Int64(request.maxBytes)
                    call.cancel = UnsafePointer(OpaquePointer(cancelFlag))
                    call.context = context
                    call.on_header = { context, line, length in
                        guard let context, let line else { return 0 }
                        let text = String(decoding: UnsafeRawBufferPointer(start: line, count: length), as: UTF8.self)
                        Unmanaged<Collector>.fromOpaque(context).takeUnretainedValue().header(text)
                        return 0
                    }
                    call.on_body = { context, data, length in
                        guard let context, let data else { return 0 }
                        let collector = Unmanaged<Collector>.fromOpaque(context).takeUnretainedValue()
                        collector.pieces.append(Array(UnsafeBufferPointer(start: data, count: length)))
                        collector.size += length
                        return 0
                    }
                    let result = nianbao_http_get(&call)
                    status = call.status
                    message = withUnsafeBytes(of: call.error) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                    return result
                }
            }
        }
        switch UInt32(outcome) {
        case NIANBAO_HTTP_OK.rawValue:
            return .success(HTTPResponse(status: status, headers: collector.headers, body: collector.body))
        case NIANBAO_HTTP_TIMEOUT.rawValue: return .failure(.timeout)
        case NIANBAO_HTTP_TOO_LARGE.rawValue: return .failure(.tooLarge(limit: request.maxBytes))
        case NIANBAO_HTTP_CANCELLED.rawValue: return .failure(.cancelled)
        case NIANBAO_HTTP_BAD_ENCODING.rawValue: return .failure(.invalid("HTTP body could not be decoded: \(message)"))
        case NIANBAO_HTTP_INVALID.rawValue: return .failure(.invalid(message))
        default: return .failure(.connection(message.isEmpty ? "no response" : message))
        }
    }

    /// The word the C side polls; raised from the cancelling thread.
    private final class CancelFlag: @unchecked Sendable {
        let pointer = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
        init() { pointer.initialize(to: 0) }
        func raise() { pointer.pointee = 1 }
        deinit { pointer.deallocate() }
    }

    /// Calls `body` with a C array of C strings that lives for the call.
    private func withCStrings<T>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>?) -> T) -> T {
        let copies = strings.map { strdup($0) }
        defer { copies.forEach { free($0) } }
        let pointers = copies.map { UnsafePointer($0) }
        return pointers.withUnsafeBufferPointer { body($0.baseAddress) }
    }
}
