/// The unit a money figure is printed in, read from its cell ("45.82万元", "984361元") or its column header
/// ("采购总金额（单位：亿元）"), and how to bring it to 万元, the schema's unit, exactly (by moving the decimal
/// point of the printed digits, never through binary floating point).
///
/// ```swift
/// MoneyUnit.stated(in: LabelFolding.fold("采购总金额（单位：亿元）"))   // .hundredMillion
/// MoneyUnit.hundredMillion.toWan   // +4: 1.2563 亿元 = 12563 万元
/// ```
public enum MoneyUnit: Equatable, Sendable {
    case yuan, thousandYuan, wan, million, tenMillion, hundredMillion
    /// A currency or unit nianbao does not convert (美元, 港元…): figures in it are not read.
    case unknown(String)

    /// Decimal places to move the point to get 万元; nil for an unknown unit.
    public var toWan: Int? {
        switch self {
        case .yuan: return -4
        case .thousandYuan: return -1
        case .wan: return 0
        case .million: return 2
        case .tenMillion: return 3
        case .hundredMillion: return 4
        case .unknown: return nil
        }
    }

    /// Units by how they are written, longest first (百万元 before 万元 before 元).
    static let spellings: [(String, MoneyUnit)] = [("百万元", .million), ("千万元", .tenMillion), ("亿元", .hundredMillion),
                                                   ("万元", .wan), ("千元", .thousandYuan), ("元", .yuan)]

    /// Currencies other than the yuan that reports may print; nianbao does not convert them.
    static let foreignCurrencies = ["新台币", "澳门元", "美元", "港元", "港币", "日元", "欧元", "英镑", "澳元", "加元", "韩元"]

    /// The unit at the start of `text` ("万元…", "元", "美元"), with its length.
    static func prefix(of text: Substring) -> (MoneyUnit, Int)? {
        for (spelling, unit) in spellings where text.hasPrefix(spelling) { return (unit, spelling.count) }
        for currency in foreignCurrencies where text.hasPrefix(currency) { return (.unknown(currency), currency.count) }
        return nil
    }

    /// ``stated(in:)`` of a row's label as printed (folded here), remembered across the run's reports: every row of
    /// every table asks it of its label, and the template's labels recur in nearly every report.
    static func stated(inLabel label: String) -> MoneyUnit? {
        labelUnits.value(for: ExactText(label)) { stated(in: LabelFolding.fold($0.text)) }
    }

    /// ``stated(in:)`` of a table's (folded) header text, remembered across the run's reports: most print the
    /// template's header, and a header that names its unit was walked character by character.
    static func stated(inHeader foldedHeader: String) -> MoneyUnit? {
        headerUnits.value(for: ExactText(foldedHeader)) { stated(in: $0.text) }
    }

    private static let headerUnits = SharedMemo<ExactText, MoneyUnit?>(capacity: 10_000)

    private static let labelUnits = SharedMemo<ExactText, MoneyUnit?>(capacity: 50_000)

    /// The money unit a (folded) header states: the last unit word written in it, or nil when it names none.
    ///
    /// Called for every row's label: searched without Foundation (its `contains` and `range(of:)` fold grapheme
    /// clusters through NSString on Linux, 8 % of a run's instructions here).
    public static func stated(in foldedHeader: String) -> MoneyUnit? {
        // Every unit and currency is written with 元, 币 or 镑: a text with none of them (most labels) is searched three
        // times, not twelve.
        guard foldedHeader.includes("元") || foldedHeader.includes("币") || foldedHeader.includes("镑") else { return nil }
        if let currency = foreignCurrencies.first(where: { foldedHeader.includes($0) }) { return .unknown(currency) }
        // Most labels name no unit: their characters are not walked (a backward search by Character was most of the cost).
        guard foldedHeader.includes("元"), let yuan = foldedHeader.lastIndex(of: "元") else { return nil }
        // A unit cut over two header lines ("采购总金额（万" above "目数量 元）": 万 then other words, then 元): 元 alone
        // would be the wrong unit by ten thousand. Nothing says which; the money is not read.
        let namesMagnitude = foldedHeader.unicodeScalars.contains { scalar in
            switch scalar { case "万", "亿", "千", "百": true
                            default: false }
        }
        let characters = namesMagnitude ? Array(foldedHeader) : []
        for (index, character) in characters.enumerated() where "万亿千百".contains(character) && index + 1 < characters.count {
            let next = characters[index + 1]
            if next != "元" && !"万亿千".contains(next), index > 0, "额（(".contains(characters[index - 1]) || characters[index - 1] == "额" {
                return .unknown("\(character)…元 (the unit cut over the header's lines)")
            }
        }
        let before = foldedHeader[..<yuan]
        for (spelling, unit) in spellings {
            let head = String(spelling.dropLast())   // the part before 元
            if !head.isEmpty, before.hasSuffix(head) { return unit }
        }
        return .yuan
    }
}
