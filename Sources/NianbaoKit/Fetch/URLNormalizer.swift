/// The one spelling a report URL is stored and fetched under, and the key it is compared under, so that one page
/// listed twice — raw and percent-encoded, with and without its default port or `index.html`, with a fragment —
/// is one document.
///
/// - scheme and host lower-cased; the default port (80 for http, 443 for https) dropped;
/// - the fragment dropped (it never reaches the server);
/// - percent-encoding made canonical: escapes of unreserved characters decoded (`%41` → `A`), other escapes
///   upper-cased, and characters a URL cannot carry (Chinese, spaces) encoded as UTF-8 (`平潭` → `%E5%B9%B3%E6%BD%AD`);
/// - `.` and `..` path segments resolved; an empty path is `/`.
///
/// Two differences are left to ``identity(_:)``, the comparison key, and kept in the stored (fetched) URL because
/// a server may answer them differently: the scheme (a site may serve only one of http and https), and a last
/// segment `index.html`, `index.htm`, `index.shtml`, `index.jsp`, `index.php`, `default.htm` or `default.html`,
/// which identity treats as its folder (`/dir/`) while the fetch asks for the page listed (a folder address can
/// be a 403 where its index page is not). A run lists the page once, under the spelling it met first.
///
/// ```swift
/// URLNormalizer.normalize("HTTP://WWW.Example.gov.cn:80/zwgk/年报/index.html#top")
/// // "http://www.example.gov.cn/zwgk/%E5%B9%B4%E6%8A%A5/index.html"
/// URLNormalizer.identity("https://www.example.gov.cn/zwgk/%E5%B9%B4%E6%8A%A5/")
/// // "www.example.gov.cn/zwgk/%E5%B9%B4%E6%8A%A5/" — the same key
/// ```
public enum URLNormalizer {
    static let indexPages: Set<String> = ["index.html", "index.htm", "index.shtml", "index.jsp", "index.php", "default.htm", "default.html"]

    public static func normalize(_ address: String) -> String {
        var text = Substring(address.trimmingCharacters(in: .whitespacesAndNewlines))
        if let hash = text.firstIndex(of: "#") { text = text[..<hash] }
        guard let schemeEnd = text.range(of: "://") else { return String(text) }
        let scheme = text[..<schemeEnd.lowerBound].lowercased()
        var rest = text[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        var authority = rest[..<authorityEnd].lowercased()
        rest = rest[authorityEnd...]
        if (scheme == "http" && authority.hasSuffix(":80")) || (scheme == "https" && authority.hasSuffix(":443")) {
            authority = String(authority[..<authority.lastIndex(of: ":")!])
        }
        let queryStart = rest.firstIndex(of: "?")
        let rawPath = queryStart.map { rest[..<$0] } ?? rest
        let query = queryStart.map { rest[rest.index(after: $0)...] }
        var segments: [String] = []
        let parts = rawPath.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map { canonicalEscapes(String($0), keep: "") }
        for part in parts {
            switch part {
            case ".": continue
            case "..": _ = segments.popLast()
            default: segments.append(part)
            }
        }
        if (parts.last == "." || parts.last == "..") && segments.last != "" { segments.append("") }
        var path = "/" + segments.joined(separator: "/")
        if segments.isEmpty { path = "/" }
        var result = "\(scheme)://\(authority)\(path)"
        if let query { result += "?" + canonicalEscapes(String(query), keep: "&=?/:;,+@!$'()*") }
        return result
    }

    /// The comparison key: the normalized URL without its scheme, a last index-page segment as its folder.
    public static func identity(_ address: String) -> String {
        let normalized = normalize(address)
        guard let schemeEnd = normalized.range(of: "://") else { return normalized }
        var key = normalized[schemeEnd.upperBound...]
        let queryStart = key.firstIndex(of: "?") ?? key.endIndex
        if let slash = key[..<queryStart].lastIndex(of: "/"),
           indexPages.contains(key[key.index(after: slash)..<queryStart].lowercased()) {
            key = key[...slash] + key[queryStart...]
        }
        return String(key)
    }

    /// Decodes escapes of unreserved characters, upper-cases the others, and encodes what a URL cannot carry.
    /// Path segments keep sub-delimiters as they are; `keep` lists further characters left alone.
    static func canonicalEscapes(_ part: String, keep: String) -> String {
        let bytes = Array(part.utf8)
        var output = ""
        var index = 0
        let allowed = Set(("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@" + keep).utf8)
        func isUnreserved(_ byte: UInt8) -> Bool {
            (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || "-._~".utf8.contains(byte)
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x25, index + 2 < bytes.count, let value = UInt8(String(decoding: bytes[index + 1...index + 2], as: UTF8.self), radix: 16) {
                output += isUnreserved(value) ? String(UnicodeScalar(value)) : String(format: "%%%02X", value)
                index += 3
                continue
            }
            output += allowed.contains(byte) ? String(UnicodeScalar(byte)) : String(format: "%%%02X", byte)
            index += 1
        }
        return output
    }
}
