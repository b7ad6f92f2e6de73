#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension NavigationLists {
    /// Walks a page's markup from tag to tag, outside comments and raw-text elements, keeping the elements open.
    struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var position = 0
        /// The elements open at the position, as far as start and end tags tell (an end tag closes the innermost
        /// element of its name and those inside it, a stray one nothing; an item or a block closes an open
        /// paragraph, an item an open item). A list is only taken where every open element is a plain container
        /// (``containers``): there libxml2 reads it as a subtree of its own, and what follows the same with or
        /// without it. Inside anything else (a table, a paragraph, a link, an item, a form field, an unknown
        /// element) lists are kept.
        var open: [TagName] = []
        /// Whether the page's `<body>` has begun: lists are only taken inside it (a fragment without one is left whole).
        var inBody = false

        init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        /// The next navigation list, as the byte range of its `<ul>`…`</ul>`.
        mutating func nextList() -> (Int, Int)? {
            while let start = nextTagStart() {
                guard let tag = Tag.read(bytes, at: start) else {
                    position = start + 1
                    continue
                }
                if tag.isComment {
                    guard let end = find("-->", from: start + 4) else { return nil }
                    position = end + 3
                    continue
                }
                if !tag.closing, NavigationLists.rawTextElements.contains(tag.name) {
                    // To the element's end tag; a page that never closes it ends the scan (nothing after is touched).
                    guard let end = endTag(of: tag.name == .script ? "script" : "style", from: tag.end) else { return nil }
                    position = end
                    continue
                }
                position = tag.end
                if tag.closing {
                    // After the body's end (elements libxml2 then moves around), nothing is taken.
                    if tag.name == .body || tag.name == .html { return nil }
                    // An end tag closes the innermost element of its name, and inside it only elements whose end tag
                    // may be left out (an item, a paragraph). Anything else — a stray end tag, one that would close
                    // other elements too — is markup libxml2 repairs by rules of its own (priorities, moves): the
                    // rest of the page is left whole.
                    guard let index = open.lastIndex(of: tag.name),
                          open[(index + 1)...].allSatisfy(NavigationLists.optionalEnd.contains) else { return nil }
                    open.removeSubrange(index...)
                    continue
                }
                if inBody, NavigationLists.endOfTaking.contains(tag.name) { return nil }
                if tag.name == .body { inBody = true }
                if inBody, tag.name == .ul || tag.name == .ol, open.allSatisfy(NavigationLists.containers.contains),
                   let end = listEnd(from: tag.end, name: tag.name) {
                    position = end
                    return (start, end)
                }
                if NavigationLists.voidElements.contains(tag.name) || tag.selfClosing { continue }
                if tag.name == .li, open.last == .li { open.removeLast() }
                if NavigationLists.closesParagraph.contains(tag.name), open.last == .p { open.removeLast() }
                open.append(tag.name)
            }
            return nil
        }

        private func nextTagStart() -> Int? {
            guard position < bytes.count, let base = bytes.baseAddress,
                  let found = memchr(base + position, 0x3C, bytes.count - position) else { return nil }
            return UnsafePointer(found.assumingMemoryBound(to: UInt8.self)) - base
        }

        private func find(_ text: StaticString, from start: Int) -> Int? {
            let pin = UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount)
            var at = start
            while at + pin.count <= bytes.count {
                if (0..<pin.count).allSatisfy({ lower(bytes[at + $0]) == pin[$0] }) { return at }
                at += 1
            }
            return nil
        }

        /// The position after `</name …>`, from `start` on.
        private func endTag(of name: String, from start: Int) -> Int? {
            let pin = Array(("</" + name).utf8)
            var at = start
            // From one "<" to the next (memchr): a script is often kilobytes.
            while at + pin.count < bytes.count, let base = bytes.baseAddress,
                  let found = memchr(base + at, 0x3C, bytes.count - at) {
                at = UnsafePointer(found.assumingMemoryBound(to: UInt8.self)) - base
                guard at + pin.count < bytes.count else { return nil }
                if (0..<pin.count).allSatisfy({ lower(bytes[at + $0]) == pin[$0] }), Tag.isNameEnd(bytes[at + pin.count]) {
                    guard let close = Tag.read(bytes, at: at) else { return nil }
                    return close.end
                }
                at += 1
            }
            return nil
        }

        /// Closes the innermost level's open item; false when it held no link (or an inline element is still open).
        /// A function of its own, not one nested in ``listEnd(from:name:)``: capturing the levels, it put every access
        /// to them through Swift's run-time exclusivity checks.
        private static func closeItem(_ levels: inout [(name: TagName, itemOpen: Bool, itemHasLink: Bool)], inlineOpen: Bool) -> Bool {
            guard !inlineOpen else { return false }
            defer {
                levels[levels.count - 1].itemOpen = false
                levels[levels.count - 1].itemHasLink = false
            }
            let level = levels[levels.count - 1]
            return !level.itemOpen || level.itemHasLink
        }

        /// The end of a navigation list whose open tag ends at `start`, or nil when anything in it is not one.
        private func listEnd(from start: Int, name: TagName) -> Int? {
            // Per open list, innermost last: its name, whether an item is open, whether that holds a link (or a list).
            var levels: [(name: TagName, itemOpen: Bool, itemHasLink: Bool)] = [(name, false, false)]
            var items = 0
            var inLink = false
            // Inline elements open inside the list: an end tag must close the innermost of them (an end tag of an
            // element opened before the list closes the list with it in libxml2), and none may outlive its item.
            var inline: [TagName] = []
            var at = start
            while at < bytes.count, at - start < 262_144 {
                let byte = bytes[at]
                if byte != 0x3C {
                    // Text: words inside a link; outside one, only what a date or spacing is made of, inside an item.
                    if inLink {
                        // A link's words, whatever they are: on to the next tag.
                        guard let base = bytes.baseAddress, let found = memchr(base + at, 0x3C, bytes.count - at) else { return nil }
                        at = UnsafePointer(found.assumingMemoryBound(to: UInt8.self)) - base
                    } else {
                        guard let length = Self.dateOrSpace(bytes, at) else { return nil }
                        if !Self.isSpace(byte), !levels[levels.count - 1].itemOpen { return nil }
                        at += length
                    }
                    continue
                }
                guard let tag = Tag.read(bytes, at: at), !tag.isComment else { return nil }
                at = tag.end
                switch (tag.name, tag.closing) {
                case (.ul, false), (.ol, false):
                    // A list inside an item only: straight inside a list, libxml2 lets the new list close the open one.
                    guard !inLink, inline.isEmpty, levels[levels.count - 1].itemOpen else { return nil }
                    levels[levels.count - 1].itemHasLink = true
                    levels.append((tag.name, false, false))
                case (.ul, true), (.ol, true):
                    // Only the innermost list's own end tag (libxml2 passes over another, and the list goes on).
                    guard !inLink, levels[levels.count - 1].name == tag.name, Self.closeItem(&levels, inlineOpen: !inline.isEmpty) else { return nil }
                    levels.removeLast()
                    if levels.isEmpty { return items >= 3 ? at : nil }
                case (.li, false):
                    guard !inLink, Self.closeItem(&levels, inlineOpen: !inline.isEmpty) else { return nil }
                    levels[levels.count - 1].itemOpen = true
                    items += 1
                case (.li, true):
                    guard !inLink, Self.closeItem(&levels, inlineOpen: !inline.isEmpty) else { return nil }
                case (.a, false):
                    guard !inLink, levels[levels.count - 1].itemOpen else { return nil }
                    inLink = true
                    levels[levels.count - 1].itemHasLink = true
                case (.a, true):
                    guard inLink else { return nil }
                    inLink = false
                default:
                    guard NavigationLists.inlineElements.contains(tag.name), levels[levels.count - 1].itemOpen else { return nil }
                    if tag.closing {
                        guard inline.last == tag.name else { return nil }
                        inline.removeLast()
                    } else if !NavigationLists.voidElements.contains(tag.name), !tag.selfClosing {
                        inline.append(tag.name)
                    }
                }
            }
            return nil
        }

        private func lower(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte }

        /// ASCII whitespace.
        static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) }

        /// The length of one character of a date or of spacing at `at` (digits, - / . : [ ] ( ), 年 月 日, （ ）,
        /// a no-break space or `&nbsp;`), nil for anything else.
        static func dateOrSpace(_ bytes: UnsafeBufferPointer<UInt8>, _ at: Int) -> Int? {
            let byte = bytes[at]
            switch byte {
            case 0x30...0x39, 0x2D, 0x2F, 0x2E, 0x3A, 0x5B, 0x5D, 0x28, 0x29: return 1
            case _ where isSpace(byte): return 1
            case 0x26:
                let entity = Array("&nbsp;".utf8)
                guard at + entity.count <= bytes.count, (0..<entity.count).allSatisfy({ bytes[at + $0] | 0x20 == entity[$0] | 0x20 })
                else { return nil }
                return entity.count
            default:
                if byte == 0xC2, at + 1 < bytes.count, bytes[at + 1] == 0xA0 { return 2 }   // no-break space
                guard at + 2 < bytes.count else { return nil }
                let three = (bytes[at], bytes[at + 1], bytes[at + 2])
                switch three {
                case (0xE5, 0xB9, 0xB4), (0xE6, 0x9C, 0x88), (0xE6, 0x97, 0xA5),   // 年 月 日
                     (0xEF, 0xBC, 0x88), (0xEF, 0xBC, 0x89), (0xE3, 0x80, 0x80):   // （ ） and the ideographic space
                    return 3
                default: return nil
                }
            }
        }
    }
}
