/// How a printed agency name is read against the registry (see ``AgencyRegistry``).
extension AgencyRegistry {
    /// Suffixes meaning "the government itself", longest first.
    static let governmentSuffixes = ["党工委管委会", "管理委员会", "人民政府", "管委会", "政府"]
    /// Endings of a township's name (before any government suffix).
    static let townshipEndings = ["街道办事处", "街道办", "街道", "镇", "乡", "苏木"]

    /// Endings of a place's name: what precedes 人民政府 or a department in an agency's name.
    static let placeEndings = ["省", "市", "县", "区", "旗", "州", "盟", "镇", "乡", "街道", "自治区", "实验区", "新区", "开发区"]

    /// Whether a (folded) agency name says where it is: a name without a place (人民政府, 财政局, 办公室) is
    /// the name of many agencies and never identifies one.
    public static func namesPlace(_ name: String) -> Bool {
        let folded = LabelFolding.fold(name)
        // Without a place character there is nothing to find (removing words adds none); without one of the words
        // below there is nothing to remove. Each took nine Foundation replacements a call (the title's agency and
        // every report's resolution ask).
        guard folded.unicodeScalars.contains(where: placeScalars.contains) else { return false }
        let cleaned = nonPlaceWords.contains(where: folded.includes)
            ? nonPlaceWords.reduce(folded) { $0.replacingOccurrences(of: $1, with: "") }
            : folded
        return ["省", "市", "县", "区", "旗", "州", "盟", "镇", "乡", "街道", "村"].contains { cleaned.contains($0) }
    }

    /// Words that hold a place character without naming a place (市场监督管理局, 社区…).
    private static let nonPlaceWords = ["市场", "城市", "都市", "社区", "小区", "园区", "区域", "地区", "县域"]
    /// The characters of the words that name a place (街 of 街道).
    private static let placeScalars: Set<Unicode.Scalar> = ["省", "市", "县", "区", "旗", "州", "盟", "镇", "乡", "街", "村"]

    /// One spelling for the variants of a unit's name: 人民政府办公室 and 政府办公室 are one office, a 街道 and its
    /// 街道办事处 one township.
    static func canonicalUnit(_ unit: String) -> String {
        var name = unit.replacingOccurrences(of: "人民政府", with: "政府")
        if name.hasSuffix("街道办事处") { name.removeLast(3) } else if name.hasSuffix("街道办") { name.removeLast(1) }
        return unitAliases[name] ?? name
    }

    /// Departments' short names → full names (``AgencyTable/unitAliases``), folded.
    static let unitAliases: [String: String] = {
        var aliases: [String: String] = [:]
        for line in AgencyTable.unitAliases.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: "\t").map { LabelFolding.fold(String($0)) }
            if fields.count == 2 { aliases[fields[0].replacingOccurrences(of: "人民政府", with: "政府")] = fields[1].replacingOccurrences(of: "人民政府", with: "政府") }
        }
        return aliases
    }()

    public func resolve(_ printed: String) -> Resolution {
        let folded = LabelFolding.fold(printed)
        // Unresolved names line up by their folded form without a government suffix (北园市人民政府 = 北园市政府);
        // a name that says no place cannot line up anything (its key is empty: identity falls back to content).
        let unresolvedKey = Self.namesPlace(folded) ? Self.canonicalUnit(Self.governmentSuffixes.reduce(folded) { name, suffix in
            name.hasSuffix(suffix) && name.count > suffix.count ? String(name.dropLast(suffix.count)) : name
        }) : ""
        let unresolved = { (why: String) in
            Resolution(key: unresolvedKey, name: printed, divisionCode: nil, level: nil, parentCode: nil,
                       unresolved: unresolvedKey.isEmpty ? "\(why); the name says no place, so it does not identify one agency" : why)
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
        // A township named after its county's government ("沭阳县人民政府沭城街道办事处", "…政府庙头镇") is the township:
        // the government's name in front of it is no part of its own.
        if government.level == .county, let prefix = Self.governmentSuffixes.first(where: { remainder.hasPrefix($0) && remainder.count > $0.count }) {
            var core = String(remainder.dropFirst(prefix.count))
            for suffix in Self.governmentSuffixes where core.hasSuffix(suffix) && core.count > suffix.count {
                core.removeLast(suffix.count)
                break
            }
            if Self.townshipEndings.contains(where: { core.hasSuffix($0) && core.count > $0.count }) { remainder.removeFirst(prefix.count) }
        }
        // A township, or a department, of that government.
        var unit = remainder
        for suffix in Self.governmentSuffixes where unit.hasSuffix(suffix) && unit.count > suffix.count {
            unit.removeLast(suffix.count)
            break
        }
        let isTownship = Self.townshipEndings.contains { unit.hasSuffix($0) } && government.level == .county
        let name = Self.canonicalUnit(isTownship ? unit : remainder)
        return Resolution(key: "\(government.code)/\(name)", name: government.name + name, divisionCode: government.code,
                          level: isTownship ? .township : .department, parentCode: government.code)
    }
}
