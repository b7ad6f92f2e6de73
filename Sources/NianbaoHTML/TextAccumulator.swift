/// Accumulates text with whitespace runs (including `&nbsp;`, the ideographic space, zero-width space and
/// BOM) collapsed to one space, and trimmed at both ends. Works on UTF-8 bytes: page chrome is large.
///
/// The SAX reader appends a text node in the pieces libxml2 hands over (at most about 1,000 bytes each, and one
/// piece per entity). libxml2 cuts those pieces between characters, never inside one, so a multi-byte space is
/// always whole within a piece and the result is the same as appending the whole node at once.
struct TextAccumulator {
    private var bytes: [UInt8] = []
    private var pendingSpace = false

    mutating func append(_ piece: String) {
        var piece = piece
        piece.withUTF8 { append(utf8: $0) }
    }

    mutating func append(cString pointer: UnsafePointer<UInt8>) {
        var end = pointer
        while end.pointee != 0 { end += 1 }
        append(utf8: UnsafeBufferPointer(start: pointer, count: end - pointer))
    }

    mutating func append(utf8: UnsafeBufferPointer<UInt8>) {
        var index = 0
        let count = utf8.count
        // Bytes other than spaces are copied a run at a time (appended one by one, each append checked the buffer's
        // uniqueness: 1.5 M instructions a page).
        var runStart = 0
        func flushRun(upTo end: Int) {
            guard end > runStart else { return }
            if pendingSpace {
                bytes.append(0x20)
                pendingSpace = false
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<end]))
        }
        while index < count {
            let byte = utf8[index]
            var spaceLength = 0
            switch byte {
            case 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20: spaceLength = 1
            case 0xC2 where index + 1 < count && utf8[index + 1] == 0xA0: spaceLength = 2
            case 0xE3 where index + 2 < count && utf8[index + 1] == 0x80 && utf8[index + 2] == 0x80: spaceLength = 3
            case 0xE2 where index + 2 < count && utf8[index + 1] == 0x80 && utf8[index + 2] == 0x8B: spaceLength = 3
            case 0xEF where index + 2 < count && utf8[index + 1] == 0xBB && utf8[index + 2] == 0xBF: spaceLength = 3
            default: break
            }
            if spaceLength > 0 {
                flushRun(upTo: index)
                pendingSpace = !bytes.isEmpty
                index += spaceLength
                runStart = index
                continue
            }
            index += 1
        }
        flushRun(upTo: count)
    }

    mutating func take() -> String {
        defer {
            bytes.removeAll(keepingCapacity: true)
            pendingSpace = false
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
