import Foundation

/// A text as a dictionary key by its UTF-8 bytes: hashed and compared as bytes, not as Unicode.
///
/// Swift hashes a String by its normalized form (NFC), worked out scalar by scalar for any text that is not ASCII,
/// and compares two such Strings the same way: the run-wide memos of labels and header texts, keyed by Chinese
/// text, spent more on hashing their keys than on the lookups they save (string hashing was 9 % of a run). Two
/// spellings of one text in different normal forms are two keys here — for a memo, a result worked out twice from
/// its own text, never another text's result.
///
/// ```swift
/// var codes: [ExactText: String?] = [:]
/// codes[ExactText("本年新收政府信息公开申请数量")] = "new"
/// ```
struct ExactText: Hashable {
    let text: String

    init(_ text: String) { self.text = text }

    static func == (left: ExactText, right: ExactText) -> Bool { Self.same(left.text, right.text) }

    func hash(into hasher: inout Hasher) { Self.hash(text, into: &hasher) }

    /// Whether two texts are the same bytes.
    static func same(_ left: String, _ right: String) -> Bool {
        let count = left.utf8.count
        guard count == right.utf8.count else { return false }
        let compared = left.utf8.withContiguousStorageIfAvailable { leftBytes in
            right.utf8.withContiguousStorageIfAvailable { rightBytes in
                count == 0 || memcmp(leftBytes.baseAddress!, rightBytes.baseAddress!, count) == 0
            }
        }
        return (compared ?? nil) ?? left.utf8.elementsEqual(right.utf8)
    }

    /// Feeds a text's bytes and length to `hasher` (the length ends it, so that texts hashed one after another
    /// cannot run into each other).
    static func hash(_ text: String, into hasher: inout Hasher) {
        let done: Void? = text.utf8.withContiguousStorageIfAvailable { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        if done == nil { for byte in text.utf8 { hasher.combine(byte) } }
        hasher.combine(text.utf8.count)
    }
}
