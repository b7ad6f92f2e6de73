import Foundation

/// Reads one published cell into a state and a value.
///
/// Handles thousands separators, full-width digits (via NFKC), signs, units written in the cell or its header
/// (元, 千元, 万元, 百万元, 千万元, 亿元 converted exactly to 万元: "251000元" is 25.1; a unit it does not know
/// leaves the cell as text) and notes ("22（其中修订16件）" is 22 with the note kept).
///
/// ```swift
/// CellValueParser.parse("1,234")            // .number 1234
/// CellValueParser.parse("251000元", kind: .money)   // .number 25.1
/// CellValueParser.parse("1.2563", kind: .money, headerUnit: .hundredMillion)   // .number 12563
/// CellValueParser.parse("/")                // .na
/// ```
public enum CellValueParser {
    public struct Parsed: Equatable, Sendable {
        public var state: CellState
        public var value: Double?
        public var note: String?
        /// The money unit that kept the figure from being read (美元…), when that was the reason.
        public var unknownUnit: String?

        init(state: CellState, value: Double?, note: String?, unknownUnit: String? = nil) {
            self.state = state
            self.value = value
            self.note = note
            self.unknownUnit = unknownUnit
        }
    }

    /// Texts that publishers print for "not applicable" or "none".
    static let notApplicable: Set<String> = ["/", "／", "\\", "-", "--", "—", "——", "–", "－", "―", "─", "无", "空",
                                              "不适用", "暂无", "×", "N/A", "n/a", "NA", "不涉及", "未涉及", "无此项",
                                              "未发生", "无数据", "未统计", "此项无", "没有"]

    /// Whether a printed cell is a figure (or a "/"-like mark) in some column: what layout decisions ask before
    /// the column, and so the unit it may carry (元 or 件), is known.
    public static func isFigure(_ raw: String) -> Bool {
        // Asked of every cell, labels included: a cell without a digit of any form is a figure only as a "/"-like
        // mark or a word such as 不涉及, three visible characters at most — longer ones are no figure without parsing.
        var visible = 0
        var digit = false
        for scalar in raw.unicodeScalars {
            if mayBeDigit(scalar) {
                digit = true
                break
            }
            if !isSpace(scalar) { visible += 1 }
        }
        guard digit || visible <= 4 else { return false }
        // Without a digit, only a mark or word of `notApplicable` is one (what `parse` would find, without its
        // number reading).
        if !digit {
            guard !raw.isEmpty else { return false }
            // Ideographs (U+4E00–U+9FFF) are their own normalized form: a short label of them ("合计", "其他") is a
            // "none"-like word only if it starts as one does, which is known without normalizing and hashing it.
            if raw.unicodeScalars.allSatisfy({ (0x4E00...0x9FFF).contains($0.value) || isSpace($0) }) {
                guard let first = raw.unicodeScalars.first(where: { !isSpace($0) }), noneWordStarts.contains(first) else { return false }
            }
            return notApplicable.contains(compact(LabelFolding.normalized(raw)))
        }
        // Plain whole numbers are read at once; the rest (labels with item numbers, figures with separators or
        // notes) recur from report to report and are remembered.
        if isPlainWholeNumber(raw) { return true }
        return figures.value(for: ExactText(raw)) { parseIsFigure($0.text) }
    }

    /// Digits only, at most 15 (exact in a Double), no leading zero but for "0": most cells, read without the
    /// general path.
    @inline(__always) static func isPlainWholeNumber(_ raw: String) -> Bool {
        raw.utf8.count <= 15 && !raw.isEmpty && raw.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
            && (raw.utf8.first != 0x30 || raw.utf8.count == 1)
    }

    private static func parseIsFigure(_ raw: String) -> Bool {
        let state = parse(raw, kind: .signed).state
        return state == .number || state == .na
    }

    /// ``isFigure(_:)`` of the cells that need the number reader, met in this run's reports.
    private static let figures = SharedMemo<ExactText, Bool>(capacity: 50_000)

    /// The first characters of the ideograph words of ``notApplicable`` (无, 不适用, 暂无, 未涉及, 此项无, 没有…).
    static let noneWordStarts: Set<Unicode.Scalar> = Set(notApplicable.compactMap { word in
        word.unicodeScalars.allSatisfy { (0x4E00...0x9FFF).contains($0.value) } ? word.unicodeScalars.first : nil
    })

    /// ¹ ² ³ ⁰ ⁴…⁹: footnote marks when they follow a figure.
    @inline(__always) static func isSuperscriptDigit(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0xB9, 0xB2, 0xB3, 0x2070, 0x2074...0x2079: return true
        default: return false
        }
    }

    /// A scalar that is a digit or that normalization (NFKC) may turn into digits: ASCII and full-width digits,
    /// super- and subscripts, number forms, enclosed (circled) numbers, mathematical digits.
    @inline(__always) static func mayBeDigit(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x30...0x39, 0xFF10...0xFF19, 0xB2, 0xB3, 0xB9, 0xBC...0xBE, 0x2070...0x209F, 0x2150...0x218F, 0x2460...0x24FF,
             0x2776...0x2793, 0x3220...0x325F, 0x3280...0x32BF, 0x1D7CE...0x1D7FF, 0x1F100...0x1F10C: return true
        default: return false
        }
    }

    /// Units a figure may carry in its cell; money units are converted, others only dropped.
    /// (Longer first where one starts another: 人次 before 人. Run-together text ends a figure at the same words.)
    static let countUnits = ["人次", "件", "条", "个", "项", "次", "份", "家", "笔", "宗", "起", "例", "户", "篇", "批", "场", "人"]

    /// - Parameters:
    ///   - raw: the cell text as published.
    ///   - kind: the column's kind; money is converted to 万元.
    ///   - headerUnit: the money unit the table header states (万元 when nil); a unit in the cell wins.
    public static func parse(_ raw: String, kind: ColumnDefinition.Kind = .count, headerUnit: MoneyUnit? = nil) -> Parsed {
        // Most cells are plain whole numbers: read them without the general path.
        if raw.isEmpty { return Parsed(state: .blank, value: nil, note: nil) }
        let converts = kind == .money && (headerUnit ?? .wan) != .wan
        if !converts, isPlainWholeNumber(raw) { return Parsed(state: .number, value: Double(raw), note: nil) }
        // A footnote mark as a superscript glyph after the figure ("7251¹"): normalization would make it a digit of
        // the figure (72511). It is the figure's note, as a mark in <sup> is left out.
        if let last = raw.unicodeScalars.last, isSuperscriptDigit(last) {
            let body = String(String.UnicodeScalarView(raw.unicodeScalars.reversed().drop(while: isSuperscriptDigit).reversed()))
            let mark = String(raw.unicodeScalars.suffix(raw.unicodeScalars.count - body.unicodeScalars.count).map(Character.init))
            guard !body.isEmpty else { return Parsed(state: .text, value: nil, note: nil) }
            var parsed = parse(body, kind: kind, headerUnit: headerUnit)
            if parsed.state == .number { parsed.note = [parsed.note, "note \(mark)"].compactMap { $0 }.joined(separator: "; ") }
            return parsed
        }
        let normalized = LabelFolding.normalized(raw)
        // "406 11", "2863<br>12", "9 2 0 0 0 0 11": digits apart are two figures in one cell, not one; only a
        // space grouping thousands ("1 046") joins them.
        guard spacedDigitsGroupThousands(normalized) else { return Parsed(state: .text, value: nil, note: nil) }
        let text = compact(normalized)
        if text.isEmpty { return Parsed(state: .blank, value: nil, note: nil) }
        if notApplicable.contains(text) { return Parsed(state: .na, value: nil, note: nil) }
        if kind == .signed, let (sign, rest) = signWord(text) {
            // "增加5" / "减少3": a change written in words.
            var parsed = parse(rest, kind: .signed)
            if sign < 0, let value = parsed.value { parsed.value = -abs(value) }
            return parsed
        }
        guard let number = leadingNumber(text) else { return Parsed(state: .text, value: nil, note: nil) }
        // "08": a whole number is never printed with a leading zero; two cells run together is likelier.
        if number.decimal.integer.count > 1, number.decimal.integer.hasPrefix("0"), number.decimal.fraction.isEmpty {
            return Parsed(state: .text, value: nil, note: nil)
        }
        var rest = Substring(text.unicodeScalars.dropFirst(number.length).map(Character.init))
        var unit = kind == .money ? (headerUnit ?? .wan) : .wan
        if let (written, length) = MoneyUnit.prefix(of: rest) {
            // A unit in the cell is the figure's own; a money unit in a count cell makes it no count.
            guard kind == .money || kind == .signed else { return Parsed(state: .text, value: nil, note: nil) }
            rest = rest.dropFirst(length)
            unit = written
        } else if kind == .money, rest == "万" || rest == "亿" {
            // "86.42万": the yuan left out, as in speech.
            unit = rest == "万" ? .wan : .hundredMillion
            rest = ""
        } else if let countUnit = countUnits.first(where: { rest.hasPrefix($0) }) {
            guard kind != .money else { return Parsed(state: .text, value: nil, note: nil) }
            rest = rest.dropFirst(countUnit.count)
        }
        // A unit nianbao cannot convert: the figure is not read (the cell keeps its text and is reported).
        guard let shift = unit.toWan else {
            if case let .unknown(name) = unit { return Parsed(state: .text, value: nil, note: nil, unknownUnit: name) }
            return Parsed(state: .text, value: nil, note: nil)
        }
        var note: String?
        // Footnote marks after a figure ("12*", "12＊", "12†") are a note, not part of it.
        if !rest.isEmpty, rest.allSatisfy({ "*＊†‡#".contains($0) }) {
            note = String(rest)
            rest = ""
        }
        if !rest.isEmpty {
            // Only a bracketed note may follow the figure; anything else makes the cell text.
            guard let opening = rest.first, opening == "(" || opening == "（",
                  let closing = rest.last, closing == ")" || closing == "）" else {
                return Parsed(state: .text, value: nil, note: nil)
            }
            note = String(rest.dropFirst().dropLast())
        }
        var decimal = number.decimal
        if kind == .money && shift != 0 { decimal = decimal.shifted(by: shift) }
        guard let value = Double(decimal.description) else { return Parsed(state: .text, value: nil, note: nil) }
        return Parsed(state: .number, value: value, note: note)
    }

    /// The sign a change's leading word gives: 增加/增/新增 +, 减少/减 −.
    static func signWord(_ text: String) -> (Int, String)? {
        // Asked of every signed cell that is not a plain figure: the words' first characters decide most cheaply.
        switch text.unicodeScalars.first {
        case "增", "新", "减", "负", "↑", "↓": break
        default: return nil
        }
        for (word, sign) in signWords where text.hasPrefix(word) {
            let rest = String(text.dropFirst(word.count))
            guard let first = rest.first, first.isASCII && first.isNumber else { return nil }
            return (sign, rest)
        }
        return nil
    }

    private static let signWords = [("增加了", 1), ("增加", 1), ("新增", 1), ("增", 1), ("减少了", -1), ("减少", -1), ("减", -1),
                                     ("负", -1), ("↑", 1), ("↓", -1)]

    /// False when whitespace stands between two digits other than as a thousands separator: every chain of
    /// digit groups apart starts with 1–3 digits and continues with groups of exactly three ("1 046", "12 345 678").
    static func spacedDigitsGroupThousands(_ text: String) -> Bool {
        var groups: [Int] = []        // digit counts of the current chain
        var digits = 0
        var spaced = false            // whitespace since the last digit
        func chainIsThousands() -> Bool {
            guard groups.count > 1 else { return true }
            return (1...3).contains(groups[0]) && groups.dropFirst().allSatisfy { $0 == 3 }
        }
        for scalar in text.unicodeScalars {
            if isDigit(scalar) {
                if spaced, digits == 0, !groups.isEmpty {
                    // A new group after whitespace: the chain goes on.
                } else if digits == 0 {
                    groups = []
                }
                digits += 1
                spaced = false
            } else if isSpace(scalar) {
                if digits > 0 { groups.append(digits); digits = 0 }
                if !groups.isEmpty { spaced = true }
            } else {
                if digits > 0 { groups.append(digits); digits = 0 }
                guard chainIsThousands() else { return false }
                groups = []
                spaced = false
                // A decimal point or separator ends the integer part; what follows is judged as a new chain.
            }
        }
        if digits > 0 { groups.append(digits) }
        return chainIsThousands()
    }

    /// Drops spaces; publishers and converters put them inside figures ("1 234", "+ 2").
    static func compact(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isSpace) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.filter { !isSpace($0) }))
    }

    /// Unicode's whitespace, without the property lookup (`properties.isWhitespace` was 3 % of a run's time).
    @inline(__always) static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }

    struct LeadingNumber {
        var decimal: DecimalText
        var length: Int
    }

    /// A signed decimal at the start of `text`, with optional thousands separators.
    static func leadingNumber(_ text: String) -> LeadingNumber? {
        let scalars = Array(text.unicodeScalars)
        var index = 0
        var negative = false
        if index < scalars.count, scalars[index] == "+" || scalars[index] == "-" || scalars[index] == "−" {
            negative = scalars[index] != "+"
            index += 1
        }
        var integer = ""
        var fraction = ""
        var sawDigit = false
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar.isASCII, scalar.properties.numericType != nil {
                integer.unicodeScalars.append(scalar)
                sawDigit = true
            } else if scalar == ",", sawDigit, index + 3 < scalars.count + 0,
                      (1...3).allSatisfy({ index + $0 < scalars.count && isDigit(scalars[index + $0]) }),
                      index + 4 >= scalars.count || !isDigit(scalars[index + 4]) {
                // thousands separator: exactly three digits follow
            } else {
                break
            }
            index += 1
        }
        guard sawDigit else { return nil }
        if index < scalars.count, scalars[index] == "." {
            var next = index + 1
            while next < scalars.count, isDigit(scalars[next]) {
                fraction.unicodeScalars.append(scalars[next])
                next += 1
            }
            // "3." followed by text is an enumeration marker, not a figure.
            guard !fraction.isEmpty else { return nil }
            index = next
        }
        return LeadingNumber(decimal: DecimalText(negative: negative, integer: integer, fraction: fraction), length: index)
    }

    static func isDigit(_ scalar: Unicode.Scalar) -> Bool { scalar.isASCII && scalar.properties.numericType != nil }
}

/// A decimal kept as its digits, so that unit conversion (元 → 万元) is exact.
struct DecimalText: Equatable {
    var negative: Bool
    var integer: String
    var fraction: String

    /// Moves the decimal point: `shifted(by: -4)` divides by 10,000 without rounding.
    func shifted(by places: Int) -> DecimalText {
        var digits = integer + fraction
        var pointPosition = integer.count + places
        if pointPosition < 0 {
            digits = String(repeating: "0", count: -pointPosition) + digits
            pointPosition = 0
        }
        if pointPosition > digits.count { digits += String(repeating: "0", count: pointPosition - digits.count) }
        let newInteger = String(digits.prefix(pointPosition))
        let newFraction = String(digits.dropFirst(pointPosition))
        return DecimalText(negative: negative, integer: newInteger.isEmpty ? "0" : newInteger, fraction: newFraction)
    }

    var description: String {
        var trimmedFraction = Substring(fraction)
        while trimmedFraction.last == "0" { trimmedFraction.removeLast() }
        let sign = negative ? "-" : ""
        return trimmedFraction.isEmpty ? "\(sign)\(integer)" : "\(sign)\(integer).\(trimmedFraction)"
    }
}
