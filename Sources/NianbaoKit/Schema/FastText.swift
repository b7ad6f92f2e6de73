#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte-level substring search for the hot paths. On Linux, Foundation's `String.contains(_:)` and
/// `replacingOccurrences(of:with:)` go through NSString with grapheme folding, which the profile showed
/// to cost more than parsing the page; labels are compared exactly, so UTF-8 bytes suffice.
extension String {
    /// Whether `needle` occurs in the string, compared byte for byte.
    ///
    /// memchr looks for the needle's last byte, and the needle is compared where it is found: in Chinese text that
    /// byte is a continuation byte (0x80–0xBF, 64 values), where the first is a lead byte (0xE4–0xE9 start most
    /// characters) that stopped the search at nearly every character, about 450 instructions a call on a page's
    /// lines. (The C library's memmem, tried, is not vectorized and clears a 256-byte table per call.)
    func includes(_ needle: String) -> Bool {
        if needle.isEmpty { return true }
        if needle.utf8.count > utf8.count { return false }
        var haystack = self
        var needle = needle
        return haystack.withUTF8 { hay in
            needle.withUTF8 { pin in
                guard let hayBase = hay.baseAddress, let pinBase = pin.baseAddress else { return false }
                let last = pin.count - 1
                let lastByte = Int32(pinBase[last])
                var start = hayBase + last   // where the needle's last byte may be
                let end = hayBase + hay.count
                while start < end {
                    guard let found = memchr(start, lastByte, end - start) else { return false }
                    let candidate = UnsafePointer(found.assumingMemoryBound(to: UInt8.self))
                    if last == 0 || memcmp(candidate - last, pinBase, last) == 0 { return true }
                    start = candidate + 1
                }
                return false
            }
        }
    }

    /// Whether the string has at most `limit` characters, without counting past `limit + 1` of them (`count` walks
    /// every grapheme cluster of a long line; length limits are asked of every line of a page).
    func hasAtMost(characters limit: Int) -> Bool {
        if utf8.count <= limit { return true }
        var count = 0
        for _ in self {
            count += 1
            if count > limit { return false }
        }
        return true
    }

    /// The string with every occurrence of `needle` removed.
    func removingAll(_ needle: String) -> String {
        guard !needle.isEmpty, includes(needle) else { return self }
        var output: [UInt8] = []
        let bytes = Array(utf8)
        let pin = Array(needle.utf8)
        var index = 0
        while index < bytes.count {
            if index + pin.count <= bytes.count, bytes[index] == pin[0], Array(bytes[index..<index + pin.count]) == pin {
                index += pin.count
            } else {
                output.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// The string with every occurrence of `needle` replaced by `replacement`.
    func replacingAll(_ needle: String, with replacement: String) -> String {
        guard includes(needle) else { return self }
        return split(separator: needle, omittingEmptySubsequences: false).joined(separator: replacement)
    }

    /// The lines of the string that contain `needle`, each once, in order.
    func lines(containing needle: String) -> [String] {
        let bytes = Array(utf8)
        let pin = Array(needle.utf8)
        guard !pin.isEmpty, pin.count <= bytes.count else { return [] }
        var lines: [String] = []
        var index = 0
        var lastLineEnd = -1
        while index + pin.count <= bytes.count {
            if bytes[index] == pin[0], bytes[index..<index + pin.count].elementsEqual(pin) {
                var start = index
                while start > 0, bytes[start - 1] != 0x0A { start -= 1 }
                var end = index + pin.count
                while end < bytes.count, bytes[end] != 0x0A { end += 1 }
                if start > lastLineEnd { lines.append(String(decoding: bytes[start..<end], as: UTF8.self)) }
                lastLineEnd = end
                index = end
                continue
            }
            index += 1
        }
        return lines
    }
}

extension Array where Element == UInt8 {
    /// Appends `value` in decimal ASCII (a "-" first when negative), as `String(value)` spells it, without a String:
    /// the writer's source positions and the content key's figures are written for every cell.
    mutating func appendDecimal(_ value: Int) {
        if value < 0 { append(0x2D) }
        let start = count
        var rest = value.magnitude
        repeat {
            append(UInt8(rest % 10) + 0x30)
            rest /= 10
        } while rest > 0
        self[start...].reverse()
    }
}
