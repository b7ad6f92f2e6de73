/// Decides a document's encoding: declared charset (HTTP) → BOM → `<meta>`/XML declaration in the first
/// 2 KB → UTF-8 validity → the configured fallback (GB18030).
///
/// Labels are mapped to what the bytes really hold: gb2312/gbk/x-gbk mean GB18030 (pages labelled gb2312
/// routinely carry GBK-only characters), latin1 means windows-1252.
///
/// ```swift
/// EncodingDetector(fallback: "GB18030").detect(bytes, declared: nil)   // ("GB18030", .fallback)
/// ```
public struct EncodingDetector: Sendable {
    /// How the encoding was decided; stored with the document.
    public enum Evidence: String, Sendable {
        case declared, bom, meta, utf8Valid = "utf8-valid", fallback
    }

    public var fallback: String

    public init(fallback: String = "GB18030") { self.fallback = fallback }

    public func detect(_ bytes: [UInt8], declared: String?) -> (encoding: String, evidence: Evidence, bomLength: Int) {
        let found = detection(bytes, declared: declared)
        return (found.encoding, found.evidence, found.bomLength)
    }

    /// ``detect(_:declared:)``, and whether the bytes were found valid UTF-8 on the way: the decoder then takes them
    /// as they are instead of checking every byte a second time.
    func detection(_ bytes: [UInt8], declared: String?) -> (encoding: String, evidence: Evidence, bomLength: Int, validUTF8: Bool) {
        if let declared, let encoding = Self.canonicalName(declared) {
            let (accepted, valid) = acceptable(encoding, bytes)
            if accepted { return (encoding, .declared, 0, valid) }
        }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return ("UTF-8", .bom, 3, false) }
        if bytes.starts(with: [0xFF, 0xFE]) { return ("UTF-16LE", .bom, 2, false) }
        if bytes.starts(with: [0xFE, 0xFF]) { return ("UTF-16BE", .bom, 2, false) }
        if let label = Self.metaCharset(bytes.prefix(2048)), let encoding = Self.canonicalName(label) {
            let (accepted, valid) = acceptable(encoding, bytes)
            if accepted { return (encoding, .meta, 0, valid) }
        }
        let profile = Self.utf8Profile(bytes)
        if Self.isMostlyUTF8(profile) { return ("UTF-8", .utf8Valid, 0, profile.invalid == 0) }
        return (Self.canonicalName(fallback) ?? "GB18030", .fallback, 0, false)
    }

    /// A label is trusted unless the bytes contradict it: it claims UTF-8 for bytes that are not UTF-8, or
    /// another encoding for bytes that are valid UTF-8 with many multi-byte characters (re-saved pages that
    /// kept their old gb2312 `<meta>`; GBK text is practically never valid UTF-8 at that length). `valid`: the
    /// bytes are valid UTF-8 throughout, where that was found out.
    private func acceptable(_ encoding: String, _ bytes: [UInt8]) -> (accepted: Bool, valid: Bool) {
        if encoding == "UTF-8" {
            let profile = Self.utf8Profile(bytes)
            return (Self.isMostlyUTF8(profile), profile.invalid == 0)
        }
        return (!(Self.multiByteCharacters(bytes) >= 8 && Self.isValidUTF8(bytes)), false)
    }

    /// UTF-8 judged by proportion, not by the first bad byte: valid, or with many valid multi-byte characters
    /// and at most one invalid sequence in a hundred (a stray byte in a UTF-8 page). Such a page decodes as
    /// UTF-8 with U+FFFD where the bad bytes were, and a `decode.invalid_bytes` warning; GBK text has far more
    /// invalid sequences than that when read as UTF-8.
    static func isMostlyUTF8(_ bytes: [UInt8]) -> Bool { isMostlyUTF8(utf8Profile(bytes)) }

    static func isMostlyUTF8(_ profile: (multiByte: Int, invalid: Int)) -> Bool {
        if profile.invalid == 0 { return true }
        return profile.multiByte >= 8 && profile.invalid * 100 <= profile.multiByte
    }

    /// Valid multi-byte UTF-8 sequences and invalid ones (each invalid byte or truncated sequence counted once).
    static func utf8Profile(_ bytes: [UInt8]) -> (multiByte: Int, invalid: Int) {
        var multiByte = 0, invalid = 0, index = 0
        while index < bytes.count {
            let run = validRun(bytes, from: index)
            multiByte += run.multiByte
            index = run.end
            if index < bytes.count {
                invalid += 1
                index += 1
            }
        }
        return (multiByte, invalid)
    }

    /// The valid UTF-8 from `start` on: where it ends (the first byte of an invalid or truncated sequence, or the
    /// end) and how many multi-byte characters it holds. ASCII is skipped eight bytes at a time and the common
    /// three-byte characters (CJK) checked in place; the rest through ``sequenceLength(_:at:)`` (walked a character
    /// at a time, the validity checks were a page's 1 M instructions, done twice).
    static func validRun(_ bytes: [UInt8], from start: Int) -> (end: Int, multiByte: Int) {
        bytes.withUnsafeBufferPointer { buffer -> (end: Int, multiByte: Int) in
            let count = buffer.count
            var at = start
            var multiByte = 0
            while at < count {
                at = endOfASCII(buffer, from: at)
                guard at < count else { break }
                let lead = buffer[at]
                // E1–EC and EE–EF take any two continuation bytes (E0 and ED restrict the second: overlongs, surrogates).
                if (lead >= 0xE1 && lead <= 0xEC) || lead == 0xEE || lead == 0xEF {
                    guard at + 2 < count, buffer[at + 1] & 0xC0 == 0x80, buffer[at + 2] & 0xC0 == 0x80 else { return (at, multiByte) }
                    at += 3
                    multiByte += 1
                    continue
                }
                let length = sequenceLength(bytes, at: at)
                guard length > 0 else { return (at, multiByte) }
                at += length
                multiByte += 1
            }
            return (count, multiByte)
        }
    }

    /// Lead bytes of multi-byte UTF-8 sequences (counted without validating).
    static func multiByteCharacters(_ bytes: [UInt8]) -> Int {
        var count = 0
        for byte in bytes where byte >= 0xC2 && byte <= 0xF4 { count += 1 }
        return count
    }

    /// Maps a charset label to the iconv name to decode with; nil for labels we do not know.
    public static func canonicalName(_ label: String) -> String? {
        let cleaned = label.lowercased().filter { !"\"' ;".contains($0) }
        switch cleaned {
        case "utf-8", "utf8", "unicode-1-1-utf-8", "us-ascii", "ascii": return "UTF-8"
        case "gb2312", "gbk", "x-gbk", "gb_2312-80", "gb_2312", "cp936", "ms936", "windows-936", "euc-cn", "csgb2312",
             "gb18030", "chinese", "iso-ir-58", "csiso58gb231280":
            return "GB18030"
        case "big5", "big5-hkscs", "x-x-big5", "cn-big5": return "BIG5-HKSCS"
        case "iso-8859-1", "latin1", "l1", "iso8859-1", "windows-1252", "cp1252", "x-cp1252": return "WINDOWS-1252"
        case "utf-16le": return "UTF-16LE"
        case "utf-16be": return "UTF-16BE"
        case "utf-16": return "UTF-16"
        default: return nil
        }
    }

    /// The charset named by `<meta charset=…>`, `<meta http-equiv … content="…; charset=…">` or
    /// `<?xml … encoding="…"?>`, read from ASCII bytes only.
    static func metaCharset(_ head: ArraySlice<UInt8>) -> String? {
        let lowered = head.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
        for marker in [Array("charset=".utf8), Array("encoding=".utf8)] {
            guard let start = find(marker, in: lowered) else { continue }
            var index = start + marker.count
            while index < lowered.count, lowered[index] == 0x22 || lowered[index] == 0x27 || lowered[index] == 0x20 {
                index += 1
            }
            var label: [UInt8] = []
            while index < lowered.count, label.count < 40 {
                let byte = lowered[index]
                let isLabelByte = (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x2D || byte == 0x5F
                guard isLabelByte else { break }
                label.append(byte)
                index += 1
            }
            if !label.isEmpty { return String(decoding: label, as: UTF8.self) }
        }
        return nil
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        var index = 0
        while index + needle.count <= haystack.count {
            if haystack[index] == needle[0], Array(haystack[index..<index + needle.count]) == needle { return index }
            index += 1
        }
        return nil
    }

    /// Strict UTF-8 validation (no overlongs, no surrogates).
    public static func isValidUTF8(_ bytes: [UInt8]) -> Bool { validRun(bytes, from: 0).end == bytes.count }

    /// The index of the first byte at or after `index` that is not ASCII (or `bytes.count`), eight bytes at a time:
    /// a page's markup is mostly ASCII, and the byte-by-byte walks over it were 4 % of a run's instructions.
    static func endOfASCII(_ bytes: [UInt8], from index: Int) -> Int {
        bytes.withUnsafeBufferPointer { endOfASCII($0, from: index) }
    }

    @inline(__always) static func endOfASCII(_ buffer: UnsafeBufferPointer<UInt8>, from index: Int) -> Int {
        guard let base = buffer.baseAddress else { return index }
        var at = index
        while at + 8 <= buffer.count, UnsafeRawPointer(base + at).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
            at += 8
        }
        while at < buffer.count, buffer[at] < 0x80 { at += 1 }
        return at
    }

    /// The length of the valid UTF-8 sequence starting at `index`, or 0 when none starts there.
    @inline(__always) static func sequenceLength(_ bytes: [UInt8], at index: Int) -> Int {
        let byte = bytes[index]
        if byte < 0x80 { return 1 }
        let length: Int
        let minimum: UInt32
        var scalar: UInt32
        switch byte {
        case 0xC2...0xDF: length = 2; minimum = 0x80; scalar = UInt32(byte & 0x1F)
        case 0xE0...0xEF: length = 3; minimum = 0x800; scalar = UInt32(byte & 0x0F)
        case 0xF0...0xF4: length = 4; minimum = 0x10000; scalar = UInt32(byte & 0x07)
        default: return 0
        }
        guard index + length <= bytes.count else { return 0 }
        for offset in 1..<length {
            let next = bytes[index + offset]
            guard next & 0xC0 == 0x80 else { return 0 }
            scalar = scalar << 6 | UInt32(next & 0x3F)
        }
        if scalar < minimum || scalar > 0x10FFFF || (0xD800...0xDFFF).contains(scalar) { return 0 }
        return length
    }
}
