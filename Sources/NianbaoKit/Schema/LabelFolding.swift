import Foundation

/// Folds printed labels to a comparable form: NFKC (full-width digits, Kangxi radicals such as ⼀),
/// traditional → simplified, and only letters and digits kept (whitespace, quotes, brackets and
/// punctuation dropped).
///
/// ```swift
/// LabelFolding.fold("3.危及“三安全一稳定”")   // "3危及三安全一稳定"
/// LabelFolding.fold("不予公開")               // "不予公开"
/// ```
public enum LabelFolding {
    /// NFKC, traditional → simplified, letters and digits only.
    public static func fold(_ text: String) -> String {
        var folded = fastPath(text, keepAll: false) ?? {
            var result = String.UnicodeScalarView()
            for scalar in normalized(text).unicodeScalars where isKept(scalar) { result.append(scalar) }
            return String(result)
        }()
        for (variant, standard) in variantWords where folded.includes(variant) {
            folded = folded.replacingAll(variant, with: standard)
        }
        return folded
    }

    /// Variant spellings of the same word in simplified script ("其它" for "其他").
    static let variantWords: [(String, String)] = [("其它", "其他")]

    /// NFKC and traditional → simplified, keeping punctuation and spacing.
    public static func normalized(_ text: String) -> String {
        if let fast = fastPath(text, keepAll: true) { return fast }
        let compatible = String(String.UnicodeScalarView(text.unicodeScalars.filter { !isFootnoteMark($0) }))
            .precomposedStringWithCompatibilityMapping
        var result = String.UnicodeScalarView()
        for scalar in compatible.unicodeScalars {
            result.append(TraditionalChinese.simplify(scalar))
        }
        return String(result)
    }

    /// Most report text is ASCII, CJK ideographs and CJK punctuation, which NFKC leaves alone (full-width
    /// ASCII and the ideographic space map by a fixed offset): that text is folded here byte by byte, and
    /// only other text (Kangxi radicals, compatibility ideographs…) goes through Foundation. Returns nil then.
    @inline(__always)
    static func fastPath(_ text: String, keepAll: Bool) -> String? {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            var value = scalar.value
            switch fastKind(value) {
            case .kept:
                break
            case .ideograph:
                value = TraditionalChinese.simplify(scalar).value
            case .fullWidth:
                value -= 0xFEE0
            case .ideographicSpace:
                value = 0x20
            case .footnoteMark:
                // Circled numbers and ※ are footnote marks: NFKC would turn ① into a digit of the figure.
                continue
            case nil:
                return nil
            }
            if !keepAll && !isKept(Unicode.Scalar(value)!) { continue }
            switch value {
            case 0..<0x80:
                output.append(UInt8(value))
            case 0x80..<0x800:
                output.append(UInt8(0xC0 | (value >> 6)))
                output.append(UInt8(0x80 | (value & 0x3F)))
            default:
                output.append(UInt8(0xE0 | (value >> 12)))
                output.append(UInt8(0x80 | ((value >> 6) & 0x3F)))
                output.append(UInt8(0x80 | (value & 0x3F)))
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// What ``fastPath(_:keepAll:)`` does with a scalar, by range; nil where NFKC (Foundation) must decide.
    enum FastKind {
        /// ASCII, CJK punctuation and quotes: as they are.
        case kept
        /// A CJK ideograph: its simplified form.
        case ideograph
        /// Full-width ASCII: shifted to ASCII.
        case fullWidth
        /// U+3000: a space.
        case ideographicSpace
        /// Circled numbers and ※: dropped.
        case footnoteMark
    }

    @inline(__always)
    static func fastKind(_ value: UInt32) -> FastKind? {
        switch value {
        case 0..<0x80, 0x3001...0x303F, 0x2018, 0x2019, 0x201C, 0x201D, 0x2014, 0x2015, 0xB7: return .kept
        case 0x4E00...0x9FFF: return .ideograph
        case 0xFF01...0xFF5E: return .fullWidth
        case 0x3000: return .ideographicSpace
        case 0x2460...0x24FF, 0x2776...0x2793, 0x3251...0x325F, 0x32B1...0x32BF, 0x203B: return .footnoteMark
        default: return nil
        }
    }

    /// Whether ``fastPath(_:keepAll:)`` folds `text` by itself: every scalar of a ``FastKind``, none that Foundation's
    /// NFKC would have to map. Such a text folds to ideographs, ASCII and punctuation it holds, or to the simplified
    /// forms of its ideographs.
    static func foldsWithoutNormalization(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { fastKind($0.value) != nil }
    }

    /// ①…⑳, ❶…, ㉑…, ※: footnote marks printed after figures and labels.
    static func isFootnoteMark(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x2460...0x24FF, 0x2776...0x2793, 0x3251...0x325F, 0x32B1...0x32BF, 0x203B: return true
        default: return false
        }
    }

    static func isKept(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x4E00...0x9FFF: return true
        case 0..<0x80, 0x3000...0x3006, 0x3008...0x3020: return false
        default: break
        }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .otherLetter, .titlecaseLetter, .modifierLetter, .decimalNumber,
             .letterNumber, .otherNumber:
            return true
        default:
            return false
        }
    }

    /// Splits a label into its leading enumeration markers and the rest:
    /// "（三）不予公开" → ([.chinese(3)], "不予公开"); "1、属于国家秘密" → ([.arabic(1)], "属于国家秘密").
    public static func stripMarkers(_ text: String) -> (markers: [EnumerationMarker], body: String) {
        var scalars = Array(normalized(text).unicodeScalars)
        var markers: [EnumerationMarker] = []
        while true {
            while let first = scalars.first, CellValueParser.isSpace(first) { scalars.removeFirst() }
            guard let (marker, length) = leadingMarker(scalars) else { break }
            markers.append(marker)
            scalars.removeFirst(length)
        }
        var body = String.UnicodeScalarView()
        body.append(contentsOf: scalars)
        return (markers, String(body))
    }

    static let romanValues: [String: Int] = ["I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10]

    static let chineseNumerals: [Unicode.Scalar: Int] = [
        "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
    ]

    /// A marker at the start: "三、", "（三）", "(3)", "3.", "3、", "3．" (the last two after NFKC).
    static func leadingMarker(_ scalars: [Unicode.Scalar]) -> (EnumerationMarker, Int)? {
        guard let first = scalars.first else { return nil }
        if first == "(" || first == "（" {
            var index = 1
            var value = 0
            var chinese = false
            while index < scalars.count, index < 4 {
                let scalar = scalars[index]
                if let digit = scalar.properties.numericType != nil ? Int(String(scalar)) : nil, !chinese {
                    value = value * 10 + digit
                } else if let numeral = chineseNumerals[scalar] {
                    chinese = true
                    value = value * 10 + numeral
                } else {
                    break
                }
                index += 1
            }
            guard value > 0, index < scalars.count, scalars[index] == ")" || scalars[index] == "）" else { return nil }
            return (chinese ? .chinese(value) : .arabic(value), index + 1)
        }
        if let numeral = chineseNumerals[first], scalars.count > 1, ["、", ".", "．"].contains(scalars[1]) {
            return (.chinese(numeral), 2)
        }
        // Roman section numbers (Ⅱ. becomes "II." under NFKC): I…X, then . or 、.
        var romanLength = 0
        while romanLength < scalars.count, romanLength < 4, "IVX".unicodeScalars.contains(scalars[romanLength]) { romanLength += 1 }
        if romanLength > 0, romanLength < scalars.count, [".", "．", "、"].contains(scalars[romanLength]),
           let value = romanValues[String(String.UnicodeScalarView(scalars[..<romanLength]))] {
            return (.chinese(value), romanLength + 1)
        }
        var index = 0
        var value = 0
        while index < scalars.count, index < 2, let digit = Int(String(scalars[index])), scalars[index].isASCII {
            value = value * 10 + digit
            index += 1
        }
        if index > 0, index < scalars.count, ["、", ".", "．", "，", ","].contains(scalars[index]) {
            // "1.5" is a number, not a marker.
            if index + 1 < scalars.count, scalars[index + 1].isASCII, Int(String(scalars[index + 1])) != nil {
                return nil
            }
            return (.arabic(value), index + 1)
        }
        return nil
    }
}

/// A leading enumeration marker of a label: 三、 / （三） are Chinese, 1. / 1、 are Arabic.
public enum EnumerationMarker: Sendable, Equatable {
    case chinese(Int)
    case arabic(Int)
}
