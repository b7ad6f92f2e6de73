/// Whether a `style` attribute hides its cell: `display:none`, in any case, with any whitespace inside.
///
/// The rule has always been `String(cString: value).lowercased().filter { !$0.isWhitespace }
/// .contains("display:none")`. Word-exported pages put a long style on every `<td>`, and building that
/// lowercased String per cell cost as much as parsing the page; this reads the bytes instead, with the same
/// answers:
///
/// - A match in the String implies the twelve letters in the bytes, in either case, with only whitespace or
///   non-ASCII bytes between them (lowercasing turns no other character into these ASCII letters, and the
///   whitespace removed is whitespace characters, with any marks attached to them). So where the bytes hold no
///   such *loose* match, the answer is no.
/// - In an all-ASCII value every byte is a character of its own (CR LF aside, which is whitespace), and the
///   whitespace is bytes 9–13 and 32: a loose match is a match.
/// - A loose match in a value with non-ASCII bytes is decided the String way (grapheme clusters can join a
///   letter to a mark next to it). Word's styles are ASCII; such values are rare.
enum HiddenStyle {
    private static let pattern: [UInt8] = Array("display:none".utf8)

    /// `value` is a NUL-terminated attribute value in UTF-8.
    static func displaysNone(_ value: UnsafePointer<UInt8>) -> Bool {
        var ascii = true
        var index = 0
        var looseMatch = false
        while value[index] != 0 {
            let byte = value[index]
            if byte >= 0x80 { ascii = false }
            if !looseMatch, lowercased(byte) == pattern[0], matchesLoosely(value, from: index) { looseMatch = true }
            index += 1
        }
        guard looseMatch else { return false }
        if ascii { return true }
        let compact = String(cString: value).lowercased().filter { !$0.isWhitespace }
        return compact.contains("display:none")
    }

    /// The pattern from `start`, skipping ASCII whitespace and non-ASCII bytes between its letters.
    private static func matchesLoosely(_ value: UnsafePointer<UInt8>, from start: Int) -> Bool {
        var index = start
        var matched = 0
        while matched < pattern.count {
            let byte = value[index]
            if byte == 0 { return false }
            if lowercased(byte) == pattern[matched] {
                matched += 1
            } else if !(byte >= 0x80 || byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)) {
                return false
            }
            index += 1
        }
        return true
    }

    @inline(__always) private static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
    }
}
