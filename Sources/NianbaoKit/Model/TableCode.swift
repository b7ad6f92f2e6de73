/// The three statistical tables of the national template, by their canonical codes.
public enum TableCode: String, Sendable, CaseIterable, Codable, Comparable {
    /// 二、主动公开政府信息情况
    case active
    /// 三、收到和处理政府信息公开申请情况
    case requests
    /// 四、政府信息公开行政复议、行政诉讼情况
    case appeals

    public static func < (lhs: TableCode, rhs: TableCode) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// The template a table follows: 国办公开办函〔2019〕60号 or 〔2021〕30号. Decided per table.
public enum TableFormat: String, Sendable, CaseIterable, Codable {
    case v2019 = "2019"
    case v2021 = "2021"

    /// The format a report of `year` would use by default.
    public static func byYear(_ year: Int?) -> TableFormat? {
        guard let year else { return nil }
        return year >= 2021 ? .v2021 : .v2019
    }
}
