#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension NavigationLists {
    /// A tag read from `<` to its `>` (quoted attribute values may hold `>`), with its name as a number.
    struct Tag {
        var name: TagName
        var closing: Bool
        var isComment: Bool
        /// Written `<… />`.
        var selfClosing = false
        /// The position after the tag's `>`.
        var end: Int

        static func isNameEnd(_ byte: UInt8) -> Bool {
            byte == 0x3E || byte == 0x2F || byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
        }

        /// Nil where `<` opens no tag (a lone `<` in text, `<!DOCTYPE`, `<?…`) or the tag never ends.
        static func read(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Tag? {
            var at = start + 1
            guard at < bytes.count else { return nil }
            if bytes[at] == 0x21 {
                if at + 2 < bytes.count, bytes[at + 1] == 0x2D, bytes[at + 2] == 0x2D {
                    return Tag(name: TagName(value: 0), closing: false, isComment: true, end: at + 3)
                }
                return nil
            }
            let closing = bytes[at] == 0x2F
            if closing { at += 1 }
            var hash = TagName.seed
            var length = 0
            while at < bytes.count, length <= 32 {
                let byte = bytes[at]
                let letter = (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                let inner = byte >= 0x30 && byte <= 0x39 || byte == 0x3A || byte == 0x2D || byte == 0x5F || byte == 0x2E
                guard letter || (inner && length > 0) else { break }
                hash = TagName.mix(hash, byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)
                length += 1
                at += 1
            }
            guard length > 0, at < bytes.count, isNameEnd(bytes[at]) else { return nil }
            while at < bytes.count {
                let byte = bytes[at]
                if byte == 0x22 || byte == 0x27 {
                    // A quoted value (an address, a title): to its closing quote at once.
                    guard let base = bytes.baseAddress, let found = memchr(base + at + 1, Int32(byte), bytes.count - at - 1) else { return nil }
                    at = UnsafePointer(found.assumingMemoryBound(to: UInt8.self)) - base + 1
                    continue
                } else if byte == 0x3E {
                    return Tag(name: TagName(value: hash), closing: closing, isComment: false, selfClosing: bytes[at - 1] == 0x2F, end: at + 1)
                } else if byte == 0x3C {
                    return nil   // a tag cut by the next one: left to libxml2's recovery, and the list kept
                }
                at += 1
            }
            return nil
        }
    }
}

/// A tag's name as a number: its lower-case bytes hashed (FNV-1a, 64 bits). Every tag of a page is read; building
/// a String per name and looking it up in sets of Strings cost more than the parse it saves.
struct TagName: Equatable {
    let value: UInt64

    static let seed: UInt64 = 0xCBF2_9CE4_8422_2325
    static func mix(_ hash: UInt64, _ byte: UInt8) -> UInt64 { (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }

    init(value: UInt64) { self.value = value }

    /// The number of a lower-case ASCII name.
    init(_ name: String) { value = name.utf8.reduce(Self.seed, Self.mix) }

    static func list(_ names: [String]) -> [TagName] { names.map(TagName.init) }

    static let html = TagName("html"), body = TagName("body"), ul = TagName("ul"), ol = TagName("ol"), li = TagName("li"),
               a = TagName("a"), p = TagName("p"), script = TagName("script"), style = TagName("style")
}
