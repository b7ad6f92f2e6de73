/// A document as read from its source: the raw bytes and their identity. Output of the *read* stage.
public struct SourceDocument: Sendable {
    /// Where it came from: a file path (as listed) or a URL.
    public var source: String
    public var bytes: [UInt8]
    /// SHA-256 of `bytes`, hex.
    public var sha256: String
    /// A charset declared outside the content (an HTTP header), which decode trusts first.
    public var declaredCharset: String?

    public init(source: String, bytes: [UInt8], declaredCharset: String? = nil) {
        self.source = source
        self.bytes = bytes
        self.sha256 = SHA256.hex(bytes)
        self.declaredCharset = declaredCharset
    }

    public var size: Int { bytes.count }
}
