/// A caption that gives a table as another agency's or a wider area's, for reference: "附：全县2022年度…情况（供参考）",
/// "附：青石市2022年度情况", "同期对比：北岭县公安局2022年度情况". Its year is the report's, so it was taken for this year's table
/// — over the agency's own table, or over a sentence saying there was no case. Such a table is never the report's.
///
/// ```swift
/// OtherScopeCaption.isOtherScope("附：全县2022年度情况（供参考）", agency: "南坪县东溪镇人民政府")   // true
/// OtherScopeCaption.isOtherScope("全县2022年度情况", agency: "南坪县人民政府")                      // false: its own area
/// ```
enum OtherScopeCaption {
    /// Words that give a table for reference or as a total over others.
    private static let referenceWords = ["供参考", "仅供参考", "参考数据", "汇总", "全系统", "全辖区"]
    /// Levels of area: "全县" is the county's own scope for the county's government, another's for a town or a bureau.
    private static let levels: [Character] = ["省", "市", "县", "区", "州", "盟", "旗", "镇", "乡"]
    /// What ends the name of an area or a body in a caption.
    private static let nameEnds: Set<Character> = ["省", "市", "县", "区", "州", "盟", "旗", "镇", "乡", "局", "委", "办", "厅", "院", "署"]

    static func isOtherScope(_ caption: String, agency: String?) -> Bool {
        let folded = LabelFolding.fold(caption)
        if referenceWords.contains(where: { folded.includes($0) }) { return true }
        let agencyName = agency.map(LabelFolding.fold) ?? ""
        for level in levels where folded.includes("全\(level)") {
            // The area's own government (or its office) reports on the area; any other body does not.
            let ownGovernment = agencyName.includes("\(level)人民政府") || agencyName.includes("\(level)政府")
            if !ownGovernment { return true }
        }
        // An appended or compared table ("附：…", "同期对比：…") naming an area or a body that the agency's name does not
        // hold ("青石市" for 青石县人民政府). (Only there: the report's own caption may print its area in full.)
        guard !agencyName.isEmpty, folded.hasPrefix("附") || ["对比", "对照", "参照", "现将"].contains(where: { folded.includes($0) }) else { return false }
        for name in names(in: folded) where !agencyName.includes(name) { return true }
        return false
    }

    /// Runs of two to ten CJK characters ending in an area's or a body's word, not starting with 本, 我, 全 or 该
    /// ("本县", "我局", "全县" are no names), after a colon or at the start.
    private static func names(in folded: String) -> [String] {
        var names: [String] = []
        var run: [Character] = []
        // The longest name of each run of characters: "北岭县公安局", not also "北岭县".
        var longest: String?
        func flushRun() {
            if let longest { names.append(longest) }
            longest = nil
            run = []
        }
        for character in folded {
            guard let scalar = character.unicodeScalars.first, (0x4E00...0x9FFF).contains(scalar.value) else { flushRun(); continue }
            run.append(character)
            if nameEnds.contains(character), (3...11).contains(run.count) {
                // A name ending here whose first character is no pronoun; "附" (appendix) and "对比" are no part of it.
                var start = run.startIndex
                while start < run.endIndex - 2, "附见详另对比照同期现将".contains(run[start]) { start += 1 }
                let name = String(run[start...])
                if let first = name.first, !"本我全该其各".contains(first), name.count >= 3 { longest = name }
            }
        }
        flushRun()
        return names
    }
}
