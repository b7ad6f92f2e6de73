/// Classes a page's style sheet hides: `.x{display:none}` (or `visibility:hidden`, `font-size:0`) in a `<style>`
/// element. A digit in `<span class="x">1</span>4135` is then not shown, and read it made 14135 (an anti-copy trick,
/// like the inline styles ``InlineHiding`` covers).
///
/// Only rules whose selectors are a class alone or a tag with one class (`.x`, `span.x`) are taken: what a longer
/// selector hides depends on where the element sits, and taking it wrongly would drop figures that are shown.
///
/// ```swift
/// StyleSheetHiding.hiddenClasses(Array("span.x{display:none} .y {color:red}".utf8))   // ["x"]
/// ```
enum StyleSheetHiding {
    static func hiddenClasses(_ css: [UInt8]) -> Set<[UInt8]> {
        var classes: Set<[UInt8]> = []
        var bytes = css
        stripComments(&bytes)
        var index = 0
        while index < bytes.count {
            guard let open = bytes[index...].firstIndex(of: 0x7B) else { break }          // {
            guard let close = bytes[open...].firstIndex(of: 0x7D) else { break }          // }
            // Statements before the rule ("@charset …;", "@import …;") end at their semicolon: the selectors follow it.
            let selectors = bytes[index..<open].split(separator: 0x3B, omittingEmptySubsequences: false).last ?? bytes[index..<open]
            // An at-rule (@media print { … }, @font-face) is skipped whole: what it hides is hidden only there (print).
            if selectors.contains(0x40) {
                var depth = 0
                var end = open
                while end < bytes.count {
                    if bytes[end] == 0x7B { depth += 1 } else if bytes[end] == 0x7D { depth -= 1; if depth == 0 { break } }
                    end += 1
                }
                index = end + 1
                continue
            }
            let declarations = Array(bytes[(open + 1)..<close])
            index = close + 1
            guard hides(declarations) else { continue }
            for selector in selectors.split(separator: 0x2C) {                           // ,
                if let name = simpleClass(Array(selector)) { classes.insert(name) }
            }
        }
        return classes
    }

    /// Whether a `class` attribute value names one of `hidden`'s classes. `value` is NUL-terminated.
    static func names(_ value: UnsafePointer<UInt8>, anyOf hidden: Set<[UInt8]>) -> Bool {
        guard !hidden.isEmpty else { return false }
        var token: [UInt8] = []
        var index = 0
        while true {
            let byte = value[index]
            if byte == 0 || byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) {
                if !token.isEmpty, hidden.contains(token) { return true }
                token.removeAll(keepingCapacity: true)
                if byte == 0 { return false }
            } else {
                token.append(byte)
            }
            index += 1
        }
    }

    /// `display:none`, `visibility:hidden` or `font-size:0` among the declarations (case and spaces aside).
    private static func hides(_ declarations: [UInt8]) -> Bool {
        InlineHiding.hidesLikeAStyleSheet(declarations.filter { !($0 == 0x20 || ($0 >= 0x09 && $0 <= 0x0D)) }
            .map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 })
    }

    /// ".x" or "span.x": the class name; nil for anything else (descendants, several classes, ids, pseudo-classes).
    private static func simpleClass(_ selector: [UInt8]) -> [UInt8]? {
        let trimmed = selector.drop { $0 == 0x20 || ($0 >= 0x09 && $0 <= 0x0D) }.reversed().drop { $0 == 0x20 || ($0 >= 0x09 && $0 <= 0x0D) }.reversed()
        let parts = Array(trimmed).split(separator: 0x2E, omittingEmptySubsequences: false)   // .
        guard parts.count == 2, let name = parts.last, !name.isEmpty else { return nil }
        let isNameByte = { (byte: UInt8) in (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
            || byte == 0x2D || byte == 0x5F || byte >= 0x80 }
        guard parts[0].allSatisfy(isNameByte), name.allSatisfy(isNameByte) else { return nil }
        return Array(name)
    }

    private static func stripComments(_ bytes: inout [UInt8]) {
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if index + 1 < bytes.count, bytes[index] == 0x2F, bytes[index + 1] == 0x2A {              // /*
                var end = index + 2
                while end + 1 < bytes.count, !(bytes[end] == 0x2A && bytes[end + 1] == 0x2F) { end += 1 }
                index = end + 2
                continue
            }
            out.append(bytes[index])
            index += 1
        }
        bytes = out
    }
}
