/// Maps a row's label cells to a row code of one table, using only ``TemplateSchema``'s labels.
///
/// Table 三's outcome rows are numbered items inside groups (（三）不予公开 1.属于国家秘密 …); the group
/// label is printed once (a merged cell, or a line above in text exports), so the matcher remembers the
/// group of the rows before. Item labels are compared by longest common subsequence, which survives typos
/// ("其他法律行政止公开") and labels cut short by wrapping.
///
/// ```swift
/// var matcher = LabelMatcher(table: .requests)
/// matcher.match(["（三）不予公开", "1.属于国家秘密"])   // "withheld.state_secret"
/// matcher.match(["", "2.其他法律行政法规禁止公开"])     // "withheld.prohibited_by_law" (group remembered)
/// ```
struct LabelMatcher {
    let table: TableCode
    private var contextGroup: String?

    init(table: TableCode) { self.table = table }

    /// Rows of both formats: the format of table 三 is decided by which rows are found.
    private static let requestRows: [RowDefinition] = {
        var seen = Set<String>()
        return (TemplateSchema.table(.requests, .v2019).rows + TemplateSchema.table(.requests, .v2021).rows)
            .filter { seen.insert($0.code).inserted }
    }()

    mutating func match(_ labels: [String]) -> String? {
        let parts = labels.map { LabelFolding.stripMarkers($0) }
            .map { (markers: $0.markers, text: LabelFolding.fold($0.body)) }
            .filter { !$0.text.isEmpty || !$0.markers.isEmpty }
        switch table {
        case .active: return Self.matchByContainment(parts.map(\.text).joined(), rows: Self.activeRows)
        case .appeals: return Self.matchByContainment(parts.map(\.text).joined(), rows: TemplateSchema.table(.appeals, .v2019).rows)
        case .requests: return matchRequest(parts)
        }
    }

    private static let activeRows: [RowDefinition] = {
        var seen = Set<String>()
        return (TemplateSchema.table(.active, .v2019).rows + TemplateSchema.table(.active, .v2021).rows)
            .filter { seen.insert($0.code).inserted }
    }()

    /// The row whose longest label is contained in `text`; a close fuzzy match otherwise.
    static func matchByContainment(_ text: String, rows: [RowDefinition]) -> String? {
        guard !text.isEmpty else { return nil }
        let labels = rows.flatMap { row in row.labels.map { (code: row.code, label: LabelFolding.fold($0)) } }
            .sorted { $0.label.count > $1.label.count }
        if let hit = labels.first(where: { text.contains($0.label) }) { return hit.code }
        return bestFuzzy(text, labels.map { ($0.code, $0.label) }, threshold: 0.6)
    }

    private mutating func matchRequest(_ parts: [(markers: [EnumerationMarker], text: String)]) -> String? {
        let full = parts.map(\.text).joined()
        for (code, key) in [("carried_forward", "结转下年度"), ("new", "本年新收"), ("carried_over", "上年结转")]
            where full.contains(key) {
            contextGroup = nil
            return code
        }
        var group: String?
        var rest: [String] = []
        var number: Int?
        for part in parts {
            var text = part.text.replacingOccurrences(of: "本年度办理结果", with: "")
            for candidate in TemplateSchema.requestGroups {
                for label in candidate.labels where text.contains(label) {
                    group = candidate.code
                    text = text.replacingOccurrences(of: label, with: "")
                }
            }
            if case let .arabic(value)? = part.markers.last { number = value }
            if !text.isEmpty { rest.append(text) }
        }
        let restText = rest.joined()
        if let group {
            contextGroup = group
            if restText.isEmpty { return group == "other" ? "other" : nil }
            return matchItem(group: group, text: restText, number: number)
        }
        if restText.contains("部分公开") { contextGroup = nil; return "partially_granted" }
        if restText.contains("予以公开") { contextGroup = nil; return "granted" }
        if restText.contains("总计") { contextGroup = nil; return "total" }
        if let contextGroup { return matchItem(group: contextGroup, text: restText, number: number) }
        // A numbered item whose group label was lost: accept only an unambiguous match over all items.
        let items = Self.requestRows.filter { $0.group != nil && !$0.isGroupRow }
        return Self.bestFuzzy(restText, items.map { ($0.code, LabelFolding.fold($0.labels[0])) }, threshold: 0.6)
    }

    private func matchItem(group: String, text: String, number: Int?) -> String? {
        let items = Self.requestRows.filter { $0.group == group && !$0.isGroupRow }
        let candidates = items.map { ($0.code, LabelFolding.fold($0.labels[0])) }
        if let code = Self.bestFuzzy(text, candidates, threshold: 0.5) { return code }
        if let number, let item = items.first(where: { $0.number == number }),
           Self.similarity(text, LabelFolding.fold(item.labels[0])) >= 0.25 {
            return item.code
        }
        return nil
    }

    /// The best candidate if it scores at least `threshold` and clearly beats the runner-up.
    static func bestFuzzy(_ text: String, _ candidates: [(String, String)], threshold: Double) -> String? {
        guard !text.isEmpty else { return nil }
        let scored = candidates.map { (code: $0.0, score: similarity(text, $0.1)) }.sorted { $0.score > $1.score }
        guard let best = scored.first, best.score >= threshold else { return nil }
        if scored.count > 1, scored[1].code != best.code, best.score - scored[1].score < 0.15 { return nil }
        return best.code
    }

    /// Longest common subsequence over the longer length: 1 for equal strings, 0.75 for one 12-character
    /// label with three characters lost.
    static func similarity(_ a: String, _ b: String) -> Double {
        let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
        guard !x.isEmpty, !y.isEmpty else { return 0 }
        var previous = [Int](repeating: 0, count: y.count + 1)
        var current = previous
        for i in 1...x.count {
            for j in 1...y.count {
                current[j] = x[i - 1] == y[j - 1] ? previous[j - 1] + 1 : max(previous[j], current[j - 1])
            }
            swap(&previous, &current)
        }
        return Double(previous[y.count]) / Double(max(x.count, y.count))
    }
}
