#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Converts bytes to UTF-8 with the C library's iconv (several times faster than Foundation for GB18030).
///
/// Invalid or truncated sequences become U+FFFD, one per bad byte, and are counted, so a damaged page
/// still decodes and the damage is reported rather than hidden.
public enum IconvConverter {
    public struct Result: Sendable {
        public var utf8: [UInt8]
        public var replacedBytes: Int
    }

    public enum ConversionError: Error { case unsupportedEncoding(String) }

    public static func toUTF8(_ bytes: [UInt8], from encoding: String) throws -> Result {
        if encoding == "UTF-8" { return repairUTF8(bytes) }
        return try convert(bytes, from: encoding, to: "UTF-8")
    }

    /// UTF-8 as it is when valid; otherwise every byte that starts no valid sequence becomes U+FFFD, counted.
    static func repairUTF8(_ bytes: [UInt8]) -> Result {
        var index = EncodingDetector.validRun(bytes, from: 0).end
        guard index < bytes.count else { return Result(utf8: bytes, replacedBytes: 0) }
        var output = Array(bytes[..<index])
        output.reserveCapacity(bytes.count + 16)
        var replaced = 0
        while index < bytes.count {
            let length = EncodingDetector.sequenceLength(bytes, at: index)
            if length == 0 {
                output += [0xEF, 0xBF, 0xBD]
                replaced += 1
                index += 1
            } else {
                output += bytes[index..<index + length]
                index += length
            }
        }
        return Result(utf8: output, replacedBytes: replaced)
    }

    /// Converts between any two encodings iconv knows; `utf8` then holds bytes in `target`.
    public static func convert(_ bytes: [UInt8], from encoding: String, to target: String) throws -> Result {
        let descriptor = iconv_open(target, encoding)
        guard descriptor != iconv_t(bitPattern: -1) else { throw ConversionError.unsupportedEncoding(encoding) }
        defer { iconv_close(descriptor) }
        var output = [UInt8](repeating: 0, count: bytes.count * 2 + 16)
        var written = 0
        var replaced = 0
        var input = bytes
        input.withUnsafeMutableBufferPointer { inBuffer in
            var inPointer = UnsafeMutableRawPointer(inBuffer.baseAddress!).assumingMemoryBound(to: CChar.self)
            var inLeft = inBuffer.count
            while inLeft > 0 {
                if output.count - written < 16 { output += [UInt8](repeating: 0, count: output.count) }
                var outLeft = output.count - written
                let result: Int = output.withUnsafeMutableBufferPointer { outBuffer in
                    var outPointer: UnsafeMutablePointer<CChar>? =
                        UnsafeMutableRawPointer(outBuffer.baseAddress! + written).assumingMemoryBound(to: CChar.self)
                    var inOptional: UnsafeMutablePointer<CChar>? = inPointer
                    let status = iconv(descriptor, &inOptional, &inLeft, &outPointer, &outLeft)
                    inPointer = inOptional!
                    written = outBuffer.count - outLeft
                    return status
                }
                if result != -1 { break }
                switch errno {
                case E2BIG:
                    output += [UInt8](repeating: 0, count: output.count)
                case EILSEQ, EINVAL:
                    // Skip one bad byte and mark it; EINVAL is a sequence cut off at the end of the input.
                    if output.count - written < 3 { output += [UInt8](repeating: 0, count: output.count) }
                    output[written] = 0xEF; output[written + 1] = 0xBF; output[written + 2] = 0xBD
                    written += 3
                    replaced += 1
                    inPointer += 1
                    inLeft -= 1
                default:
                    inLeft = 0
                }
            }
        }
        output.removeSubrange(written...)
        return Result(utf8: output, replacedBytes: replaced)
    }
}
