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

/// Text inside a table cell that a reader of the page does not see as part of the figure beside it.
///
/// Figures were read with such text glued on: a `display:none` or `mso-hide:all` span ("1" + 2863 = 12863), a
/// `font-size:0` span (an anti-copy trick), a struck-through figure taken back (`text-decoration:line-through`), a
/// raised or lowered mark (`vertical-align:super/sub`, Word's
/// `MsoFootnoteReference`), a `<sub>`. Elements inside a data table's cells with such a `style` or `class` are
/// not read. (Hidden cells are ``HiddenStyle/displaysNone(_:)``; `<sup>` and `<sub>` are skipped by name.)
enum InlineHiding {
    /// Whether a `style` value hides or raises the element's text. `value` is NUL-terminated UTF-8.
    static func hides(style value: UnsafePointer<UInt8>) -> Bool {
        var compact: [UInt8] = []
        var index = 0
        while value[index] != 0 {
            let byte = value[index]
            if !(byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)) { compact.append(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte) }
            index += 1
        }
        for pattern in patterns where contains(compact, pattern) { return true }
        // font-size:0, 0pt, 0px… but not 0.5pt or 05pt.
        var start = 0
        while let found = find(compact, fontSizeZero, from: start) {
            let next = found + fontSizeZero.count
            if next >= compact.count || !(compact[next] == 0x2E || (compact[next] >= 0x30 && compact[next] <= 0x39)) { return true }
            start = found + 1
        }
        return false
    }

    /// Whether a style sheet rule's declarations (compact, lower-cased) hide text: `display:none`,
    /// `visibility:hidden` or `font-size:0` — not the raising or striking styles an inline `style` is read for.
    static func hidesLikeAStyleSheet(_ bytes: [UInt8]) -> Bool {
        for pattern in ["display:none", "visibility:hidden", "mso-hide:all"].map({ Array($0.utf8) }) where contains(bytes, pattern) { return true }
        var start = 0
        while let found = find(bytes, fontSizeZero, from: start) {
            let next = found + fontSizeZero.count
            if next >= bytes.count || !(bytes[next] == 0x2E || (bytes[next] >= 0x30 && bytes[next] <= 0x39)) { return true }
            start = found + 1
        }
        return false
    }

    /// Whether a `class` value names Word's footnote or endnote reference.
    static func hides(class value: UnsafePointer<UInt8>) -> Bool {
        var lowered: [UInt8] = []
        var index = 0
        while value[index] != 0 {
            let byte = value[index]
            lowered.append(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)
            index += 1
        }
        return contains(lowered, Array("msofootnotereference".utf8)) || contains(lowered, Array("msoendnotereference".utf8))
    }

    private static let patterns: [[UInt8]] = ["display:none", "visibility:hidden", "mso-hide:all", "vertical-align:super",
                                              "vertical-align:sub", "line-through"].map { Array($0.utf8) }
    private static let fontSizeZero = Array("font-size:0".utf8)

    private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool { find(haystack, needle, from: 0) != nil }

    private static func find(_ haystack: [UInt8], _ needle: [UInt8], from start: Int) -> Int? {
        guard haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        for offset in start...(haystack.count - needle.count) where haystack[offset] == needle[0] {
            if haystack[offset..<(offset + needle.count)].elementsEqual(needle) { return offset }
        }
        return nil
    }
}
