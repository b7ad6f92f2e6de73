/// Options of the *fetch* stage (`"fetch"` in pipeline.json).
public struct FetchOptions: Sendable, Equatable {
    /// Seconds a request may take, whole transfer included, before it times out.
    public var timeoutSeconds: Double = 30
    /// Further attempts after a timeout, a connection error, 429 or 5xx (never after another 4xx).
    public var retries: Int = 3
    /// First backoff delay; it doubles each attempt, with up to 50 % random jitter added.
    public var backoffSeconds: Double = 1
    /// Longest wait for one retry, whatever Retry-After says.
    public var maxBackoffSeconds: Double = 60
    /// Requests in flight to one host at most.
    public var perHostConcurrency: Int = 2
    /// Minimum time between the starts of two requests to one host.
    public var perHostDelaySeconds: Double = 1
    public var userAgent: String = "nianbao/1 (government report archiver)"
    /// Redirects followed at most (only to http and https).
    public var maxRedirects: Int = 5
    /// Largest body accepted, after gzip/deflate decoding.
    public var maxBytes: Int = 20_000_000
    /// Folder of the raw cache (bodies by SHA-256, metadata by URL).
    public var cacheDirectory: String = "out/cache"
    /// Re-run everything from the cache without touching the network.
    public var offline: Bool = false
    /// Regular expression a link's text must match to be taken from an index page.
    public var linkPattern: String = "年度报告|年报"
    /// Index pages followed at most per index source (pagination).
    public var maxIndexPages: Int = 20
    /// When not empty, only these hosts are fetched.
    public var allowedHosts: [String] = []
    /// Index pages may list reports on other hosts of the same registrable domain (`www.` and `xxgk.` of one site).
    public var siblingHosts: Bool = false

    public init() {}
}
