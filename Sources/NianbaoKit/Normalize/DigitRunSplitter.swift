/// Enumerates the ways a run of figures printed without separators ("898989", "230 000023") can be read
/// as a given number of cells.
///
/// Whitespace that is there is a boundary; inside a token every position between digits may be one. A
/// figure never has a leading zero (except 0 itself); a decimal part and a unit stay with the last figure
/// of their token. The caller keeps the splits its identities allow: a unique survivor is a reading, several
/// are an ambiguity.
///
/// ```swift
/// DigitRunSplitter.splits("230 000023", into: 7).count   // 3 readings; only one has 23 = 23+0+0+0+0+0
/// ```
enum DigitRunSplitter {
    /// Beyond this many readings a run is reported as ambiguous without enumerating further.
    static let limit = 20_000
    /// Longest figure considered, in digits.
    static let maximumDigits = 12

    /// All readings of `run` as exactly `count` figures (raw strings), or nil when there are more than `limit`.
    static func splits(_ run: String, into count: Int) -> [[String]]? {
        let tokens = run.split(whereSeparator: { $0.isWhitespace }).flatMap(signedPieces)
        guard !tokens.isEmpty, count > 0 else { return [] }
        var perToken: [[Int: [[String]]]] = []
        for token in tokens {
            guard let ways = tokenSplits(token, maximumPieces: count) else { return nil }
            perToken.append(ways)
        }
        var results: [[String]] = []
        var overflow = false
        func combine(_ index: Int, _ remaining: Int, _ prefix: [String]) {
            if overflow { return }
            if index == perToken.count {
                if remaining == 0 { results.append(prefix) }
                if results.count > limit { overflow = true }
                return
            }
            let tokensLeft = perToken.count - index - 1
            for (pieces, ways) in perToken[index] where pieces <= remaining - tokensLeft {
                for way in ways { combine(index + 1, remaining - pieces, prefix + way) }
            }
        }
        combine(0, count, [])
        return overflow ? nil : results
    }

    /// "12+3-4" → ["12", "+3", "-4"]: a sign always starts a figure.
    static func signedPieces(_ token: Substring) -> [String] {
        var pieces: [String] = []
        var current = ""
        for character in token {
            if (character == "+" || character == "-" || character == "−") && !current.isEmpty {
                pieces.append(current)
                current = ""
            }
            current.append(character)
        }
        if !current.isEmpty { pieces.append(current) }
        return pieces
    }

    /// Readings of one token by number of pieces; nil when the token is not figures at all.
    static func tokenSplits(_ token: String, maximumPieces: Int) -> [Int: [[String]]]? {
        // "—" or "/": one cell that does not apply.
        if CellValueParser.parse(token).state == .na, !token.contains(where: { $0.isLetter }) { return [1: [[token]]] }
        var characters = Array(token)
        var sign = ""
        if let first = characters.first, "+-−".contains(first) {
            sign = String(first)
            characters.removeFirst()
        }
        guard let firstNonDigit = characters.firstIndex(where: { !$0.isNumber || !$0.isASCII }) ?? Optional(characters.count) else { return nil }
        let digits = Array(characters[..<firstNonDigit])
        let tail = String(characters[firstNonDigit...])
        // The tail may only be a decimal part and/or a unit.
        guard !digits.isEmpty, isDecimalTail(tail) else { return nil }
        var result: [Int: [[String]]] = [:]
        var found = 0
        // Steps of the search, bounded too: dead ends (a run too long for the pieces left) cost nothing
        // completed, and without a bound a long run takes exponential time (found by `make fuzz`).
        var steps = 0
        func extend(_ start: Int, _ pieces: [String]) {
            steps += 1
            if found > limit || steps > limit * 10 { found = limit + 1; return }
            if digits.count - start > (maximumPieces - pieces.count) * maximumDigits { return }
            if start == digits.count {
                var way = pieces
                way[way.count - 1] += tail
                way[0] = sign + way[0]
                result[way.count, default: []].append(way)
                found += 1
                return
            }
            guard pieces.count < maximumPieces else { return }
            let remaining = digits.count - start
            for length in 1...min(maximumDigits, remaining) {
                if digits[start] == "0" && length > 1 { break }
                extend(start + length, pieces + [String(digits[start..<(start + length)])])
            }
        }
        extend(0, [])
        return found > limit ? nil : result
    }

    static func isDecimalTail(_ tail: String) -> Bool {
        var rest = Substring(tail)
        if rest.hasPrefix(".") {
            rest = rest.dropFirst()
            let decimals = rest.prefix { $0.isASCII && $0.isNumber }
            guard !decimals.isEmpty else { return false }
            rest = rest.dropFirst(decimals.count)
        }
        return rest.isEmpty || rest == "元" || rest == "万元"
    }
}
