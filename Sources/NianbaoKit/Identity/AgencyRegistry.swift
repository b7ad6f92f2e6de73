import Foundation

/// Resolves agency names as reports print them to one canonical agency: the divisions of ``DivisionTable``
/// (governments by their 行政区划代码, level and parent), the explicit entries and aliases of ``AgencyTable``,
/// and any registry file named in pipeline.json (`"registry": {"file": …}`, same format as ``AgencyTable``).
///
/// A name is folded (``LabelFolding/fold(_:)``), an alias replaced by its canonical name, and read as a chain of
/// divisions (河南省 驻马店市 …, each the child or grandchild of the one before) followed by what the agency is
/// there: nothing or a government suffix (人民政府, 政府, 管委会, 党工委管委会…) for the government itself, a
/// township (…镇/乡/街道 [人民政府/办事处]), or a department (…局, …委员会, 人民政府办公室…). Departments and
/// townships belong to their government: that is their parent. A name that fits no division, or several equally,
/// is kept as printed (its folded form is its key) and said so.
///
/// ```swift
/// let registry = AgencyRegistry.shipped
/// registry.resolve("驻马店市人民政府")   // key "411700", code 411700, level city, parent 410000 (河南省)
/// registry.resolve("平潭综合实验区管委会")  // key "350128", the same agency as 平潭综合实验区
/// ```
public struct AgencyRegistry: Sendable {
    public enum Level: String, Sendable, CaseIterable {
        case province, city, county, township, department, other
    }

    public struct Division: Sendable, Equatable {
        public var code: String
        public var name: String
        public var level: Level
        /// The parent's code as listed (a pseudo-division such as 市辖区 included).
        public var listedParent: String?
    }

    /// What a printed name resolved to.
    public struct Resolution: Sendable, Equatable {
        /// Lines up one agency's reports: a division code for governments, "code/部门名" for departments and
        /// townships, the folded name for what could not be resolved.
        public var key: String
        /// The canonical name (the registry's), or the name as printed when unresolved.
        public var name: String
        public var divisionCode: String?
        public var level: Level?
        public var parentCode: String?
        /// Why the name was not resolved (nil when it was).
        public var unresolved: String?
    }

    var divisions: [String: Division] = [:]
    /// Folded division name → the divisions of that name (names repeat: 鼓楼区 ×4).
    var byName: [String: [Division]] = [:]
    /// Folded alias or name → canonical folded name, and explicit agencies by folded name.
    var aliases: [String: String] = [:]
    var agencies: [String: Resolution] = [:]
    /// Changes whenever the registry's content does (stored with each report's resolution).
    public private(set) var fingerprint: String = ""

    /// The registry shipped with nianbao.
    public static let shipped: AgencyRegistry = {
        var registry = AgencyRegistry()
        registry.loadDivisions(DivisionTable.tsv)
        // The shipped tables are well-formed (a test parses them); an error here would be a build defect.
        try? registry.loadAgencies(AgencyTable.tsv, origin: "AgencyTable")
        return registry
    }()

    /// The shipped registry plus the entries of a registry file (which win over shipped ones).
    public static func load(file: String?) throws -> AgencyRegistry {
        var registry = shipped
        guard let file else { return registry }
        guard let data = FileManager.default.contents(atPath: file) else {
            throw NianbaoError.configuration(key: "registry.file", message: "cannot read \(file)")
        }
        try registry.loadAgencies(String(decoding: data, as: UTF8.self), origin: file)
        return registry
    }

    private static let pseudoDivisions: Set<String> = ["市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"]

    mutating func loadDivisions(_ tsv: String) {
        // Lines and fields split on their bytes (a newline and a tab are never part of a longer character here: the
        // table has no CR), not on Characters — 40 M instructions for the shipped table.
        for line in tsv.utf8.split(separator: 0x0A).dropFirst() {
            let fields = line.split(separator: 0x09, omittingEmptySubsequences: false).map { Self.trimmed(Substring($0)) }
            guard fields.count >= 3, let level = Level(rawValue: fields[2]) else { continue }
            let division = Division(code: fields[0], name: fields[1], level: level,
                                    listedParent: fields.count > 3 && !fields[3].isEmpty ? fields[3] : nil)
            divisions[division.code] = division
            if !Self.pseudoDivisions.contains(division.name) {
                byName[LabelFolding.fold(division.name), default: []].append(division)
            }
        }
        // The rules that read names count too: a change of them (townships named after their county's government,
        // 2026-11-30) resolves the stored reports again.
        fingerprint += "divisions \(divisions.count); rules 2;"
    }

    /// A field without the spaces and tabs around it (`CharacterSet.whitespaces`: tab and the Unicode space separators),
    /// without Foundation: the shipped table's 13,000 fields trimmed by `trimmingCharacters` took 110 M instructions,
    /// a third of a run's start.
    static func trimmed(_ field: Substring) -> String {
        func isSpace(_ scalar: Unicode.Scalar) -> Bool { scalar == "\t" || scalar.properties.generalCategory == .spaceSeparator }
        let scalars = field.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isSpace($0) }), let last = scalars.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(scalars[first...last])
    }

    /// Adds explicit agencies and aliases (name, code, level, parent, aliases); throws on a malformed line.
    mutating func loadAgencies(_ tsv: String, origin: String) throws {
        // CRLF ("\r\n", one Character) and lone CR end lines too: a registry file saved on Windows.
        for (number, line) in tsv.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }).enumerated() {
            let text = line.trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty, !text.hasPrefix("#"), !text.hasPrefix("name\t") else { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count >= 3, !fields[0].isEmpty, let level = Level(rawValue: fields[2]) else {
                throw NianbaoError.configuration(key: "registry.file", message: "\(origin) line \(number + 1): expected name, code, level (\(Level.allCases.map(\.rawValue).joined(separator: "/"))), parent, aliases")
            }
            let code = fields[1].isEmpty ? nil : fields[1]
            let parent = fields.count > 3 && !fields[3].isEmpty ? fields[3] : code.flatMap { effectiveParent(of: $0) }
            let folded = LabelFolding.fold(fields[0])
            agencies[folded] = Resolution(key: code ?? folded, name: fields[0], divisionCode: code, level: level, parentCode: parent)
            aliases[folded] = folded
            for alias in (fields.count > 4 ? fields[4] : "").split(separator: "|") {
                aliases[LabelFolding.fold(String(alias))] = folded
            }
        }
        fingerprint += "agencies \(origin) \(SHA256.hex(Array(tsv.utf8)).prefix(12));"
    }

    /// The nearest listed ancestor that is a real division (市辖区 and the like skipped).
    func effectiveParent(of code: String) -> String? {
        var parent = divisions[code]?.listedParent
        while let current = parent, let division = divisions[current], Self.pseudoDivisions.contains(division.name) {
            parent = division.listedParent
        }
        return parent
    }

    public func division(_ code: String) -> Division? { divisions[code] }

    /// True when `ancestor` is `code`'s parent or grandparent (as listed).
    func descends(_ code: String, from ancestor: String) -> Bool {
        var current = divisions[code]?.listedParent
        for _ in 0..<3 {
            guard let parent = current else { return false }
            if parent == ancestor { return true }
            current = divisions[parent]?.listedParent
        }
        return false
    }
}
