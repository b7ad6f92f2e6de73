/// How much of each narrative section repeats the same agency's previous year: assessment rules in several
/// provinces deduct points when more than half of a report is copied from last year's.
///
/// The ratio is the Dice coefficient of the two texts' character pairs, after spacing and punctuation are dropped
/// and every digit is made one ("2023年新收申请45件" and "2024年新收申请52件" read alike: a copied sentence with new
/// figures is still copied). It is stored per section in `section_similarity` (view `repetition`), and a section of
/// more than ``threshold`` of last year's text gets a `narrative.repeated` info finding.
///
/// ```swift
/// NarrativeRepetition.ratio("2023年，本机关坚持公开为常态。", "2024年，本机关坚持公开为常态。")   // 1.0
/// ```
enum NarrativeRepetition {
    static let threshold = 0.5
    /// Sections shorter than this (after folding) are not compared: "六、其他需要报告的事项：无。" repeats by nature.
    static let minimumLength = 40

    static func folded(_ text: String) -> [Character] {
        text.compactMap { character -> Character? in
            if character.isWhitespace || character.isPunctuation || character.isSymbol { return nil }
            return character.isNumber ? "0" : character
        }
    }

    static func ratio(_ a: String, _ b: String) -> Double { ratio(folded: folded(a), folded(b)) }

    /// ``ratio(_:_:)`` of texts already folded.
    ///
    /// The pairs are counted as pairs of character numbers (characters equal as `Character`s get one number), not as
    /// two-character Strings: a String per pair was most of the work over the whole database at a run's end. Where a
    /// character is more than one scalar (a combining mark), two pairs' Strings might be equal with different
    /// characters, and the Strings are compared as before.
    static func ratio(folded x: [Character], _ y: [Character]) -> Double {
        guard x.count >= 2, y.count >= 2 else { return 0 }
        let single = { (character: Character) in character.unicodeScalars.count == 1 }
        guard x.allSatisfy(single), y.allSatisfy(single) else { return ratioOfStrings(x, y) }
        var numbers: [Character: Int] = [:]
        func number(_ character: Character) -> Int {
            if let known = numbers[character] { return known }
            numbers[character] = numbers.count
            return numbers.count - 1
        }
        let first = x.map(number), second = y.map(number)
        var pairs: [Int: Int] = [:]
        for index in 0..<(first.count - 1) { pairs[first[index] << 32 | first[index + 1], default: 0] += 1 }
        var shared = 0
        for index in 0..<(second.count - 1) {
            let pair = second[index] << 32 | second[index + 1]
            if let count = pairs[pair], count > 0 { shared += 1; pairs[pair] = count - 1 }
        }
        return Double(2 * shared) / Double(first.count - 1 + second.count - 1)
    }

    /// The pairs as two-character Strings.
    static func ratioOfStrings(_ x: [Character], _ y: [Character]) -> Double {
        var pairs: [String: Int] = [:]
        for index in 0..<(x.count - 1) { pairs[String(x[index...index + 1]), default: 0] += 1 }
        var shared = 0
        for index in 0..<(y.count - 1) {
            let pair = String(y[index...index + 1])
            if let count = pairs[pair], count > 0 { shared += 1; pairs[pair] = count - 1 }
        }
        return Double(2 * shared) / Double(x.count - 1 + y.count - 1)
    }

    /// Recomputes `section_similarity` for every canonical report with a previous year, and hands the findings to
    /// `findings` as they are made. The pairs are stepped through, not loaded: there is one per report with a
    /// previous year.
    static func run(on connection: SQLiteConnection, into findings: DerivedFindings.Sink) throws {
        try connection.transaction { try compute(on: connection, into: findings) }
    }

    private static func compute(on connection: SQLiteConnection, into findings: DerivedFindings.Sink) throws {
        try connection.execute("DELETE FROM section_similarity")
        let pairs = try connection.prepare("""
            SELECT l.id, e.id, l.year, e.year FROM reports l JOIN reports e ON e.agency_key = l.agency_key AND e.year = l.year - 1 AND e.canonical = 1
            WHERE l.canonical = 1 AND l.agency_key IS NOT NULL ORDER BY l.id
            """)
        let sections = try connection.prepare("SELECT number, text FROM report_sections WHERE report_id = ?")
        let insert = try connection.prepare("INSERT INTO section_similarity (report_id, number, previous_report_id, ratio) VALUES (?, ?, ?, ?)")
        try pairs.forEachRow { pair in
            guard let later = pair[0].integer, let earlier = pair[1].integer else { return }
            let before = Dictionary(try sections.rows([pair[1]]).compactMap { row in row[0].integer.map { ($0, row[1].text ?? "") } },
                                    uniquingKeysWith: { first, _ in first })
            for row in try sections.rows([pair[0]]) {
                guard let number = row[0].integer, let text = row[1].text, let previous = before[number] else { continue }
                let thisYear = folded(text), lastYear = folded(previous)
                guard thisYear.count >= minimumLength, lastYear.count >= minimumLength else { continue }
                let share = ratio(folded: lastYear, thisYear)
                try insert.run([.integer(later), .integer(number), .integer(earlier), .real((share * 10000).rounded() / 10000)])
                if share > threshold {
                    try findings.add(later, Finding(rule: .narrativeRepeated, severity: .info, actual: share,
                                                    message: "section \(number) repeats \(Int((share * 100).rounded())) % of \(pair[3].integer.map(String.init) ?? "the previous year")'s text"))
                }
            }
        }
    }
}
