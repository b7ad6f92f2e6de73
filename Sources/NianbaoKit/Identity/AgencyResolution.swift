/// How a printed agency name is read against the registry (see ``AgencyRegistry``).
extension AgencyRegistry {
    /// Suffixes meaning "the government itself", longest first.
    static let governmentSuffixes = ["党工委管委会", "管理委员会", "人民政府", "管委会", "政府"]
    /// Endings of a township's name (before any government suffix).
    static let townshipEndings = ["街道办事处", "街道", "镇", "乡", "苏木"]

    public func resolve(_ printed: String) -> Resolution {
        let folded = LabelFolding.fold(printed)
        let unresolved = { (why: String) in
            Resolution(key: folded, name: printed, divisionCode: nil, level: nil, parentCode: nil, unresolved: why)
        }
        guard !folded.isEmpty else { return unresolved("no agency name") }
        // An explicit agency, under its name, an alias, or either followed by a government suffix.
        for candidate in [folded] + Self.governmentSuffixes.compactMap({ folded.hasSuffix($0) ? String(folded.dropLast($0.count)) : nil }) {
            if let canonical = aliases[candidate], let agency = agencies[canonical] { return agency }
        }
        // A chain of divisions from the start of the name.
        var rest = Substring(folded)
        var chain: [Division] = []
        var ambiguous: [Division] = []
        while !rest.isEmpty {
            var matched: [Division] = []
            var length = 0
            for end in rest.indices.reversed() where rest.distance(from: rest.startIndex, to: end) >= 1 {
                let prefix = String(rest[rest.startIndex...end])
                var found = byName[prefix] ?? []
                if let canonical = aliases[prefix], let code = agencies[canonical]?.divisionCode, let division = divisions[code] {
                    found = [division]
                }
                if let last = chain.last { found = found.filter { descends($0.code, from: last.code) } }
                if !found.isEmpty {
                    matched = found
                    length = prefix.count
                    break
                }
            }
            guard !matched.isEmpty else { break }
            // A division and its own child of the same name (嘉峪关市 620200 and 620201): the division.
            matched = matched.filter { division in !matched.contains { descends(division.code, from: $0.code) } }
            if matched.count > 1 {
                ambiguous = matched
                rest = rest.dropFirst(length)
                break
            }
            chain.append(matched[0])
            rest = rest.dropFirst(length)
        }
        if !ambiguous.isEmpty {
            let names = ambiguous.map { "\($0.name) \($0.code)" }.joined(separator: ", ")
            return unresolved("\(ambiguous.count) divisions share this name (\(names)); add the province or city to the name, or an alias to the registry")
        }
        guard let government = chain.last else { return unresolved("no administrative division or registry entry matches the name") }
        var remainder = String(rest)
        if let suffix = Self.governmentSuffixes.first(where: { remainder == $0 }) { remainder.removeLast(suffix.count) }
        if remainder.isEmpty {
            return Resolution(key: government.code, name: government.name, divisionCode: government.code, level: government.level,
                              parentCode: effectiveParent(of: government.code))
        }
        // A township, or a department, of that government.
        var unit = remainder
        for suffix in Self.governmentSuffixes where unit.hasSuffix(suffix) && unit.count > suffix.count {
            unit.removeLast(suffix.count)
            break
        }
        let isTownship = Self.townshipEndings.contains { unit.hasSuffix($0) } && government.level == .county
        let name = isTownship ? unit : remainder
        return Resolution(key: "\(government.code)/\(name)", name: government.name + name, divisionCode: government.code,
                          level: isTownship ? .township : .department, parentCode: government.code)
    }
}
