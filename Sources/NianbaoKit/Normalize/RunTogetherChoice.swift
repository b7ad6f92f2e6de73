/// One row of a run-together table ("…不予公开1.属于国家秘密1000001…"): its run of figures and the readings of
/// it still possible, narrowed by the identities the published figures can satisfy.
///
/// A cell is stored when every reading left gives it the same figure; the others are abstained with
/// `extract.ambiguous_split`. When no reading satisfies an identity — the row's 总计 (`broken`), or a column's
/// balance or outcome sum — the published table is wrong whatever the split, and that identity's own finding
/// is reported here (the validator cannot, as the cells it needs are abstained).
///
/// ```swift
/// // "1000002": seven digits for seven cells — one reading, 1+0+0+0+0+0 ≠ 2: all cells stored, and the
/// // validator reports requests.row_sum. "12300100" with 总计 printed 0: no reading holds; the cells every
/// // reading shares are stored and requests.row_sum is reported from here.
/// ```
struct RunTogetherChoice {
    let row: RowDefinition
    let run: String
    var readings: [[String]]
    /// No reading satisfies the row's own identity: the published row is wrong whatever the split.
    let broken: Bool
    /// The prose statements that narrowed the readings ("制发行政规范性文件62件").
    var settledBy: [String] = []

    init(row: RowDefinition, run: String, readings: [[String]], broken: Bool) {
        self.row = row
        self.run = run
        self.readings = readings
        self.broken = broken
    }

    /// Keeps the readings that agree with what the prose states for the row's cells — only when some do and
    /// others do not (prose that contradicts every reading settles nothing; the validator reports it).
    mutating func settle(with facts: [NarrativeFacts.Fact]) {
        guard readings.count > 1 else { return }
        // The facts together: the readings that agree with every one. Facts no reading can satisfy together
        // contradict the table or each other, and settle nothing.
        let applicable = facts.compactMap { fact in row.columns.firstIndex { $0.code == fact.col }.map { (fact, $0) } }
        guard !applicable.isEmpty else { return }
        let agreeing = readings.filter { reading in
            applicable.allSatisfy { fact, position in
                CellValueParser.parse(reading[position], kind: row.columns[position].kind).value.map { abs($0 - fact.value) < 1e-9 } ?? false
            }
        }
        guard !agreeing.isEmpty, agreeing.count < readings.count else { return }
        readings = agreeing
        settledBy += applicable.map(\.0.quote)
    }

    static func values(_ reading: [String], row: RowDefinition) -> [String: Double] {
        var values: [String: Double] = [:]
        for (column, raw) in zip(row.columns, reading) { values[column.code] = CellValueParser.parse(raw, kind: column.kind).value }
        return values
    }

    /// The cells every reading agrees on, and the findings for the rest.
    func cells(table: TableCode) -> (cells: [Cell], findings: [Finding]) {
        let columns = row.columns
        guard !readings.isEmpty else {
            return ([], [Finding(rule: .extractAmbiguousSplit, severity: .warning, table: table, row: row.code, actual: 0,
                                 message: "the figures \"\(run)\" of row \(row.code) cannot be split into \(columns.count) cells; not stored")])
        }
        let wasSplit = run.split(whereSeparator: { $0.isWhitespace }).count != columns.count
        var cells: [Cell] = []
        var abstained: [String] = []
        for (index, column) in columns.enumerated() {
            let options = Set(readings.map { $0[index] })
            guard options.count == 1, let raw = options.first else {
                abstained.append(column.code)
                continue
            }
            let parsed = CellValueParser.parse(raw, kind: column.kind)
            let evidence = settledBy.isEmpty ? nil : "reading of \"\(run)\" chosen by the report's text: " + settledBy.map { "“\($0)”" }.joined(separator: "、")
            cells.append(Cell(table: table, row: row.code, col: column.code, value: parsed.value, state: parsed.state, raw: raw,
                              inferred: wasSplit || readings.count > 1 || !settledBy.isEmpty,
                              note: [parsed.note, evidence].compactMap { $0 }.joined(separator: "; ").nilIfEmpty))
        }
        var findings: [Finding] = []
        guard !abstained.isEmpty else { return (cells, findings) }
        let allowed = broken ? "" : " the identities allow"
        let stored = cells.isEmpty ? "" : "; the other cells read the same in every way and are stored"
        findings.append(Finding(rule: .extractAmbiguousSplit, severity: .warning, table: table, row: row.code, actual: Double(readings.count),
                                message: "the figures \"\(run)\" of row \(row.code) split into \(columns.count) cells in \(readings.count) ways\(allowed); "
                                    + "\(abstained.joined(separator: ", ")) differ between them and are not stored\(stored)"))
        if broken {
            if table == .requests {
                findings.append(Finding(rule: .requestsRowSum, severity: .error, table: table, row: row.code, col: "total",
                                        message: "the applicant columns of row \(row.code) do not add up to 总计 in any way the figures \"\(run)\" can be split (a published error)"))
            } else if row.columns.contains(where: { $0.code == "total_public" }) {
                findings.append(Finding(rule: .activeTotalPublicGePublished, severity: .warning, table: table, row: row.code, col: "total_public",
                                        message: "对外公开总数量 is less than 本年新公开数量 in row \(row.code) in every way the figures \"\(run)\" can be split"))
            }
        }
        return (cells, findings)
    }

    // MARK: Table 三's column identities

    /// Keeps the combinations of ambiguous rows' readings that satisfy table 三's column identities (balance,
    /// outcome sum); when none does, the published columns are wrong and every reading stays.
    static func keepColumnIdentities(_ choices: inout [RunTogetherChoice]) {
        let ambiguous = choices.indices.filter { choices[$0].readings.count > 1 }
        guard !ambiguous.isEmpty else { return }
        let combinations = ambiguous.reduce(1.0) { $0 * Double(choices[$1].readings.count) }
        guard combinations <= 200_000 else { return }
        var fixed: [[String]?] = choices.map { $0.readings.count == 1 ? $0.readings[0] : nil }
        var used = ambiguous.map { _ in Set<Int>() }
        var survivors = 0
        var current = [Int](repeating: 0, count: ambiguous.count)
        func search(_ depth: Int) {
            if survivors > 10_000 { return }
            if depth == ambiguous.count {
                guard columnIdentitiesHold(choices, fixed) else { return }
                survivors += 1
                for (slot, option) in current.enumerated() { used[slot].insert(option) }
                return
            }
            let index = ambiguous[depth]
            for option in choices[index].readings.indices {
                current[depth] = option
                fixed[index] = choices[index].readings[option]
                search(depth + 1)
            }
            fixed[index] = nil
        }
        search(0)
        guard survivors > 0, survivors <= 10_000 else { return }
        for (slot, index) in ambiguous.enumerated() {
            choices[index].readings = used[slot].sorted().map { choices[index].readings[$0] }
        }
    }

    private static func columnIdentitiesHold(_ choices: [RunTogetherChoice], _ readings: [[String]?]) -> Bool {
        var cells: [Cell] = []
        for (choice, reading) in zip(choices, readings) {
            guard let reading else { continue }
            for (column, raw) in zip(choice.row.columns, reading) {
                let parsed = CellValueParser.parse(raw, kind: column.kind)
                cells.append(Cell(table: .requests, row: choice.row.code, col: column.code, value: parsed.value, state: parsed.state, raw: raw))
            }
        }
        let index = CellIndex(cells)
        let outcomes = choices.map(\.row).filter(\.isOutcome).map(\.code)
        for column in TemplateSchema.requestColumns.map(\.code) {
            let balance = IdentityCheck.evaluate(left: ["new", "carried_over"].map { index.value(.requests, $0, column) },
                                                 right: ["total", "carried_forward"].map { index.value(.requests, $0, column) })
            let outcomeSum = IdentityCheck.evaluate(left: outcomes.map { index.value(.requests, $0, column) },
                                                    right: [index.value(.requests, "total", column)])
            if case .fail = balance { return false }
            if case .fail = outcomeSum { return false }
        }
        return true
    }

    /// Column identities of table 三 that no reading of its run-together rows can satisfy, where a cell they
    /// need is abstained (where all are stored, the validator reports them with the figures).
    static func brokenColumnIdentities(_ choices: [RunTogetherChoice], definition: TableDefinition, stored: [Cell]) -> [Finding] {
        let byRow = Dictionary(choices.map { ($0.row.code, $0) }, uniquingKeysWith: { first, _ in first })
        let storedKeys = Set(stored.map { "\($0.row)|\($0.col)" })
        var findings: [Finding] = []
        let outcomes = definition.rows.filter(\.isOutcome).map(\.code)
        let identities: [(rule: Rule, plus: [String], minus: [String], what: String)] = [
            (.requestsBalance, ["new", "carried_over"], ["total", "carried_forward"], "new + carried_over vs total + carried_forward"),
            (.requestsOutcomesSum, outcomes, ["total"], "sum of outcome rows vs total"),
        ]
        for column in TemplateSchema.requestColumns.map(\.code) {
            for identity in identities {
                let rows = identity.plus + identity.minus
                guard rows.allSatisfy({ byRow[$0] != nil }),
                      rows.contains(where: { !storedKeys.contains("\($0)|\(column)") }) else { continue }
                // Every figure the identity can take, row by row: can plus − minus be 0?
                var sums: Set<Int64> = [0]
                for (code, sign) in identity.plus.map({ ($0, Int64(1)) }) + identity.minus.map({ ($0, Int64(-1)) }) {
                    let choice = byRow[code]!
                    guard let position = choice.row.columns.firstIndex(where: { $0.code == column }) else { sums = []; break }
                    let options = Set(choice.readings.compactMap { CellValueParser.parse($0[position]).value }.map { Int64(($0 * 1000).rounded()) })
                    sums = Set(sums.flatMap { sum in options.map { sum + sign * $0 } })
                    if sums.count > 100_000 { sums = []; break }
                }
                guard !sums.isEmpty, !sums.contains(0) else { continue }
                findings.append(Finding(rule: identity.rule, severity: .error, table: .requests, row: "total", col: column,
                                        message: "\(identity.what) in column \(column) differ in every way the run-together figures can be split (a published error)"))
            }
        }
        return findings
    }
}

private extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
