import CCrypto

/// SHA-256 (FIPS 180-4), used to identify a document's content.
///
/// libcrypto's, through a one-function C seam: it runs on the CPU's SHA extensions (SHA-NI) where there are
/// any, and hashing each file was 8 % of the pipeline's instructions with the portable Swift version this
/// replaced. swift-crypto would do the same but adds BoringSSL to every clean build (BENCHMARKS.md, issue 18).
///
/// ```swift
/// SHA256.hex(Array("abc".utf8))   // "ba7816bf…15ad"
/// ```
public enum SHA256 {
    /// The digest of `bytes` as 64 lowercase hex digits.
    public static func hex(_ bytes: [UInt8]) -> String {
        let table = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in digest(bytes) {
            out.append(table[Int(byte >> 4)])
            out.append(table[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    public static func digest(_ bytes: [UInt8]) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: 32)
        let status = bytes.withUnsafeBytes { input in
            result.withUnsafeMutableBufferPointer { output in
                nianbao_sha256(input.baseAddress, input.count, output.baseAddress)
            }
        }
        // Only a missing or broken libcrypto fails here, and no document may go unidentified.
        precondition(status == 1, "libcrypto's SHA-256 failed")
        return result
    }
}
