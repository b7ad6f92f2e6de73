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
    /// Folded parts of label cells already seen in this document (the assembler scores each label several times).
    private let cache = PartsCache()

    final class PartsCache {
        var parts: [String: [(markers: [EnumerationMarker], text: String)]] = [:]
    }
    /// The outcome group of the last row matched, for items whose group label is printed once above them.
    private(set) var contextGroup: String?

    init(table: TableCode) { self.table = table }

    /// A row code and how sure the match is (1 for a label found verbatim).
    struct Match: Equatable {
        var code: String
        var score: Double
        var group: String?
    }

    /// Rows of both formats: the format of table 三 is decided by which rows are found.
    private static let requestRows = TemplateSchema.rowsOfBothFormats(.requests)

    private static let activeRows = TemplateSchema.rowsOfBothFormats(.active)

    /// Text of the vertical, one-character-per-line labels and group labels that PDF text scatters around
    /// the rows ("三、" "本" "年" …, "（三）不" "予公开"): pieces of it carry no row identity.
    private static let scatteredLabelText = ([TemplateSchema.outcomeGroupLabel] + TemplateSchema.requestGroups.flatMap(\.labels)).joined(separator: "|")

    /// Matches and remembers the group for the rows below.
    mutating func match(_ labels: [String]) -> String? {
        guard let found = score(labels) else { return nil }
        accept(found)
        return found.code
    }

    mutating func accept(_ match: Match) {
        if table == .requests { contextGroup = match.group }
    }

    /// The best row for `labels` without changing the remembered group.
    func score(_ labels: [String]) -> Match? {
        // The same labels under the same remembered group score the same in every report (only the schema is read).
        let key = ScoreKey(table: table, group: table == .requests ? contextGroup : nil, labels: labels)
        return Self.scores.value(for: key) { _ in scoreAnew(labels) }
    }

    /// Hashed and compared by the labels' bytes (``ExactText``): hashed as Strings, Chinese labels were normalized
    /// scalar by scalar on every lookup.
    private struct ScoreKey: Hashable {
        var table: TableCode
        var group: String?
        var labels: [String]

        static func == (left: ScoreKey, right: ScoreKey) -> Bool {
            left.table == right.table && left.group == right.group && left.labels.count == right.labels.count
                && zip(left.labels, right.labels).allSatisfy { ExactText.same($0, $1) }
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine(table)
            hasher.combine(group)
            hasher.combine(labels.count)
            for label in labels { ExactText.hash(label, into: &hasher) }
        }
    }

    /// Scores of label cells seen in this run's reports: the template's labels recur in nearly every report.
    private static let scores = SharedMemo<ScoreKey, Match?>(capacity: 50_000)

    private func scoreAnew(_ labels: [String]) -> Match? {
        let parts = labels.flatMap { label -> [(markers: [EnumerationMarker], text: String)] in
            if let known = cache.parts[label] { return known }
            let computed = Self.parts(of: [label])
            cache.parts[label] = computed
            return computed
        }
        let text = parts.map(\.text).joined()
        switch table {
        case .active: return Self.matchByContainment(text, labels: Self.containmentLabels["active"] ?? [])
        case .appeals: return Self.matchByContainment(text, labels: Self.containmentLabels["appeals"] ?? [])
        case .requests: return matchRequest(parts)
        }
    }

    /// Label cells split at whitespace, markers stripped, folded; scattered pieces of vertical labels dropped.
    static func parts(of labels: [String]) -> [(markers: [EnumerationMarker], text: String)] {
        labels.flatMap { cell -> [String] in
            // The row-group label 三、本年度办理结果 comes in many forms (第三项 本年度办理结果, 三.本年办理结果,
            // Ⅲ.…): whatever precedes "办理结果" in the cell is that label, not the row's.
            let pieces = splitAtSpaces(cell).map(LabelFolding.normalized)
            let keyword = TemplateSchema.outcomeGroupKeyword
            // The label cut where the table breaks across pages (三、本年度办理结 here, 果 on the next page; a scan
            // may add a stray glyph after it): a piece ending at, or one character after, 办理结 is that label.
            let cut = String(keyword.dropLast())
            if let last = pieces.lastIndex(where: { piece in
                !piece.includes(keyword) && (piece.components(separatedBy: cut).dropFirst().last.map { $0.count <= 1 } ?? false)
            }), !pieces[(last + 1)...].contains(where: { $0.includes(keyword) }) {
                return Array(pieces[(last + 1)...])
            }
            guard let last = pieces.lastIndex(where: { $0.includes(keyword) }) else { return pieces }
            let tail = pieces[last].components(separatedBy: keyword).last ?? ""
            return (tail.isEmpty ? [] : [tail]) + pieces[(last + 1)...]
        }
            .map { LabelFolding.stripMarkers($0) }
            .map { (markers: $0.markers, text: LabelFolding.fold($0.body)) }
            .filter { part in
                if part.text.isEmpty { return false }
                let hasItemNumber = part.markers.contains { if case .arabic = $0 { return true } else { return false } }
                if hasItemNumber { return true }
                if part.text.count == 1 { return false }
                let isPiece = part.text.count <= 4 && scatteredLabelText.includes(part.text)
                    && !TemplateSchema.requestGroups.contains { $0.labels.contains(part.text) }
                return !isPiece
            }
    }

    /// A label cell split at its spaces when they separate a scattered piece from a real label
    /// ("办 4.保护第三方合法权益"), kept whole when they only space out a short label ("总　　计", "规 章").
    static func splitAtSpaces(_ rawCell: String) -> [String] {
        let cell = withoutNotes(rawCell)
        let pieces = cell.split(whereSeparator: { $0.isWhitespace }).map(String.init)
        guard pieces.count > 1 else { return pieces }
        let hasRealLabel = pieces.contains { LabelFolding.fold(LabelFolding.stripMarkers($0).body).count >= 3 }
        return hasRealLabel ? pieces : [pieces.joined()]
    }

    /// A label without its bracketed notes: "（七）总计（注1）" → "（七）总计". Only brackets that open with 注 or
    /// 含/其中, so that the template's own brackets (部分公开（区分处理的…）) stay.
    static func withoutNotes(_ label: String) -> String {
        guard label.includes("注") || label.includes("含") || label.includes("其中") else { return label }
        var result = ""
        var characters = Substring(label)
        while let open = characters.firstIndex(where: { $0 == "（" || $0 == "(" }) {
            result += characters[..<open]
            let inside = characters[characters.index(after: open)...]
            guard let close = inside.firstIndex(where: { $0 == "）" || $0 == ")" }) else {
                result += characters[open...]
                return result
            }
            let note = inside[..<close]
            if !(note.hasPrefix("注") || note.hasPrefix("含") || note.hasPrefix("其中")) {
                result += characters[open...close]
            }
            characters = inside[inside.index(after: close)...]
        }
        return result + characters
    }

    /// The row whose longest label is contained in `text`; a close fuzzy match otherwise.
    /// Whether `text` names `label` other than to leave it out: not "不含行政强制", "规章以外", "除行政处罚外".
    static func namesPositively(_ text: String, _ label: String) -> Bool {
        guard text.includes(label) else { return false }
        for word in ["不含", "不包括", "除", "非"] where text.includes(word + label) { return false }
        for word in ["以外", "之外", "除外", "外"] where text.includes(label + word) { return false }
        return true
    }

    /// The rows of table 二 a label names together ("行政处罚、行政强制" → penalty, coercion); empty unless two or more.
    static func rowsNamedTogether(_ labels: [String]) -> [String] {
        var rest = parts(of: labels).map(\.text).joined()
        var codes: [String] = []
        for row in activeRows {
            for label in row.foldedLabels.sorted(by: { $0.count > $1.count }) where namesPositively(rest, label) {
                if !codes.contains(row.code) { codes.append(row.code) }
                rest = rest.removingAll(label)
            }
        }
        return codes.count >= 2 ? codes : []
    }

    /// Each table's labels, longest first, with their lengths: worked out once, not per label matched (sorting by
    /// `String.count` walked every label's characters each time).
    private static let containmentLabels: [String: [(code: String, label: String, length: Int)]] = {
        var result: [String: [(code: String, label: String, length: Int)]] = [:]
        for (key, rows) in [("active", activeRows), ("appeals", TemplateSchema.table(.appeals, .v2019).rows)] {
            result[key] = rows.flatMap { row in row.foldedLabels.map { (code: row.code, label: $0, length: $0.count) } }
                .sorted { $0.length > $1.length }
        }
        return result
    }()

    static func matchByContainment(_ text: String, rows: [RowDefinition]) -> Match? {
        matchByContainment(text, labels: rows.flatMap { row in row.foldedLabels.map { (code: row.code, label: $0, length: $0.count) } }
            .sorted { $0.length > $1.length })
    }

    /// The row whose label `text` holds, the longest first (`labels` sorted so).
    static func matchByContainment(_ text: String, labels: [(code: String, label: String, length: Int)]) -> Match? {
        guard !text.isEmpty else { return nil }
        if var hit = labels.first(where: { text.includes($0.label) }) {
            // Two rows' labels as long: the one the label opens with is its row ("行政强制（行政处罚以外的…）").
            let ties = labels.filter { $0.length == hit.length && $0.code != hit.code && text.includes($0.label) }
            if !ties.isEmpty, let earliest = ([hit] + ties).min(by: {
                (text.firstRange(of: $0.label)?.lowerBound ?? text.endIndex) < (text.firstRange(of: $1.label)?.lowerBound ?? text.endIndex)
            }) { hit = earliest }
            // A label naming two rows of the table ("行政处罚、行政强制", "规章和行政规范性文件") heads their figures added
            // together: it is neither row.
            let rest = text.removingAll(hit.label)
            if labels.contains(where: { $0.code != hit.code && Self.namesPositively(rest, $0.label) }) { return nil }
            return Match(code: hit.code, score: 1)
        }
        return bestFuzzy(text, labels.map { ($0.code, $0.label) }, threshold: 0.6)
    }

    private func matchRequest(_ parts: [(markers: [EnumerationMarker], text: String)]) -> Match? {
        let full = parts.map(\.text).joined()
        for (code, key) in [("carried_forward", "结转下年度"), ("new", "本年新收"), ("carried_over", "上年结转")]
            where full.includes(key) {
            return Match(code: code, score: 1)
        }
        var group: String?
        var rest: [String] = []
        var number: Int?
        for part in parts {
            var text = part.text
            for candidate in TemplateSchema.requestGroups {
                for label in candidate.labels where text.includes(label) {
                    group = candidate.code
                    text = text.removingAll(label)
                }
            }
            if case let .arabic(value)? = part.markers.last { number = value }
            if !text.isEmpty { rest.append(text) }
        }
        let restText = rest.joined()
        if let group, restText.isEmpty {
            return group == "other" ? Match(code: "other", score: 1, group: "other") : nil
        }
        if group == nil {
            // Outcome rows named by a short label: the label opens the row's text (partially_granted carries
            // its long bracketed note); 总计 must stand alone, since header lines also print it.
            for code in ["partially_granted", "granted", "total"] {
                let labels = Self.requestRows.first { $0.code == code }!.foldedLabels
                let hit = code == "total" ? labels.contains(restText) : labels.contains { restText.hasPrefix($0) }
                if hit { return Match(code: code, score: 1) }
            }
        }
        return matchItem(text: restText, number: number, group: group ?? contextGroup)
    }

    /// Item labels are distinct across groups (but for 3.其他), so items are scored over all groups, with a
    /// small preference for the group printed on the row or remembered from the rows above.
    ///
    /// Inside a known group, an item of another group is taken only when it is a group's first item or its
    /// label is nearly whole (a group heading lost in a text export): a row the template does not have
    /// ("6.其他情形" inside （五）不予处理, "3.其他" inside （四）无法提供) is an unknown row, never （六）'s "3.其他".
    private func matchItem(text: String, number: Int?, group: String?) -> Match? {
        let items = Self.requestRows.filter { $0.group != nil && !$0.isGroupRow }
        func fitsGroup(_ item: RowDefinition, similarity: Double) -> Bool {
            guard let group, item.group != group else { return true }
            // A lost group heading is followed by its group's first item; a later number alone names nothing
            // ("3.其他" under （四）无法提供 is no row of the template, not （六）'s 3.其他).
            return (number == 1 && item.number == 1) || similarity >= 0.8
        }
        // A label found whole is certain; only otherwise is every item scored.
        if let exact = items.first(where: { text == $0.foldedLabels[0] }) {
            guard fitsGroup(exact, similarity: text.count >= 6 ? 1 : 0) else { return nil }
            return Match(code: exact.code, score: 1, group: exact.group)
        }
        let scored = items.map { item -> (item: RowDefinition, similarity: Double, score: Double) in
            let similarity = Self.similarity(text, item.foldedLabels[0])
            let bonus = (item.group == group ? 0.05 : 0) + (item.number == number && number != nil ? 0.05 : 0)
            return (item, similarity, similarity + bonus)
        }.sorted { $0.score > $1.score }
        guard let best = scored.first else { return nil }
        let runnerUp = scored.dropFirst().first?.score ?? 0
        if best.score >= 0.5, best.score - runnerUp >= 0.1, fitsGroup(best.item, similarity: best.similarity) {
            return Match(code: best.item.code, score: min(best.score, 1), group: best.item.group)
        }
        if let group, let number, let item = items.first(where: { $0.group == group && $0.number == number }),
           Self.similarity(text, item.foldedLabels[0]) >= 0.25 {
            return Match(code: item.code, score: 0.5, group: group)
        }
        return nil
    }

    /// The best candidate if it scores at least `threshold` and clearly beats the runner-up.
    static func bestFuzzy(_ text: String, _ candidates: [(String, String)], threshold: Double) -> Match? {
        guard !text.isEmpty else { return nil }
        let scored = candidates.map { (code: $0.0, score: similarity(text, $0.1)) }.sorted { $0.score > $1.score }
        guard let best = scored.first, best.score >= threshold else { return nil }
        if scored.count > 1, scored[1].code != best.code, best.score - scored[1].score < 0.15 { return nil }
        return Match(code: best.code, score: best.score)
    }

    /// How much of `fragment` is found, in order, in `label`: 1 for a piece cut out of it.
    static func containment(_ fragment: String, in label: String) -> Double {
        guard !fragment.isEmpty else { return 0 }
        return similarity(fragment, label) * Double(max(fragment.count, label.count)) / Double(fragment.count)
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
