import XCTest
@testable import NianbaoKit

final class AgencyRegistryTests: XCTestCase {
    let registry = AgencyRegistry.shipped

    func testGovernmentsResolveToTheirDivisionAndParent() {
        let zhumadian = registry.resolve("驻马店市人民政府")
        XCTAssertEqual(zhumadian.key, "411700")
        XCTAssertEqual(zhumadian.divisionCode, "411700")
        XCTAssertEqual(zhumadian.level, .city)
        XCTAssertEqual(zhumadian.parentCode, "410000")
        XCTAssertEqual(registry.division("410000")?.name, "河南省")
        XCTAssertNil(zhumadian.unresolved)
        XCTAssertEqual(registry.resolve("河南省驻马店市人民政府").key, "411700")
        XCTAssertEqual(registry.resolve("淮安市洪泽区人民政府").key, "320813")
        XCTAssertEqual(registry.resolve("洪泽区人民政府").parentCode, "320800")
        // A district of a municipality: its parent is the city, not the 市辖区 pseudo-division.
        XCTAssertEqual(registry.resolve("北京市东城区人民政府").parentCode, "110000")
        XCTAssertEqual(registry.resolve("上海市人民政府").level, .province)
        // 嘉峪关市 is listed as a city and as its own county placeholder: the city.
        XCTAssertEqual(registry.resolve("嘉峪关市人民政府").key, "620200")
    }

    func testSpellingsOfOneAgencyShareItsKey() {
        let keys = Set(["平潭综合实验区", "平潭综合实验区管委会", "平潭综合实验区党工委管委会", "平潭综合实验区管理委员会"].map { registry.resolve($0).key })
        XCTAssertEqual(keys, ["350128"])
        XCTAssertEqual(registry.resolve("沐阳县人民政府").key, registry.resolve("沭阳县人民政府").key)
        XCTAssertEqual(registry.resolve("沭阳县人民政府").divisionCode, "321322")
        // Spaces and full-width forms do not separate them either.
        XCTAssertEqual(registry.resolve("驻马店市 人民政府").key, "411700")
    }

    func testDepartmentsAndTownshipsBelongToTheirGovernment() {
        let finance = registry.resolve("驻马店市财政局")
        XCTAssertEqual(finance.key, "411700/财政局")
        XCTAssertEqual(finance.level, .department)
        XCTAssertEqual(finance.parentCode, "411700")
        let office = registry.resolve("上海市人民政府办公厅")
        XCTAssertEqual(office.level, .department)
        XCTAssertEqual(office.parentCode, "310000")
        let town = registry.resolve("沭阳县韩山镇人民政府")
        XCTAssertEqual(town.level, .township)
        XCTAssertEqual(town.key, "321322/韩山镇")
        XCTAssertEqual(town.parentCode, "321322")
        // A township named after its county's government, or as its 街道办: one township, not a department.
        let spellings = ["沭阳县沭城街道办事处", "沭阳县人民政府沭城街道办事处", "沭阳县沭城街道办", "沭阳县政府沭城街道", "沭阳县沭城街道"]
        XCTAssertEqual(Set(spellings.map { registry.resolve($0).key }), ["321322/沭城街道"])
        XCTAssertEqual(Set(spellings.map { registry.resolve($0).level }), [.township])
        XCTAssertEqual(registry.resolve("沭阳县人民政府庙头镇").key, registry.resolve("沭阳县庙头镇人民政府").key)
        // The government's own office stays a department.
        XCTAssertEqual(registry.resolve("沭阳县人民政府办公室").level, .department)
    }

    func testUnresolvedNamesAreKeptAsPrintedWithAReason() {
        let ambiguous = registry.resolve("鼓楼区人民政府")
        XCTAssertNotNil(ambiguous.unresolved)
        XCTAssertTrue(ambiguous.unresolved?.contains("鼓楼区") == true)
        XCTAssertEqual(ambiguous.name, "鼓楼区人民政府")
        XCTAssertEqual(registry.resolve("福州市鼓楼区人民政府").divisionCode, "350102")
        // A name that says no place identifies no agency: no key (identity falls back to the report's figures).
        let unknown = registry.resolve("某某研究会")
        XCTAssertEqual(unknown.key, "")
        XCTAssertTrue(unknown.unresolved?.contains("no place") == true)
        XCTAssertEqual(registry.resolve("人民政府").key, "")
        // Unresolved names with a place line up without their government suffix, and abbreviations with their full names.
        XCTAssertEqual(registry.resolve("北园市人民政府").key, registry.resolve("北园市政府").key)
        XCTAssertEqual(registry.resolve("驻马店市交通局").key, registry.resolve("驻马店市交通运输局").key)
        XCTAssertEqual(registry.resolve("驻马店市人民政府办公室").key, registry.resolve("驻马店市政府办").key)
        XCTAssertEqual(registry.resolve("新疆自治区人民政府").key, "650000")
        // "市场" is no city.
        XCTAssertFalse(AgencyRegistry.namesPlace("市场监督管理局"))
    }

    func testRegistryFilesAddEntriesAndRefuseMalformedLines() throws {
        let file = temporaryDirectory().appendingPathComponent("agencies.tsv")
        try "name\tcode\tlevel\tparent\taliases\n青禾县\t419999\tcounty\t410000\t青禾县政府办\n".write(to: file, atomically: true, encoding: .utf8)
        let registry = try AgencyRegistry.load(file: file.path)
        XCTAssertEqual(registry.resolve("青禾县人民政府").key, "419999")
        XCTAssertEqual(registry.resolve("青禾县政府办").key, "419999")
        XCTAssertNotEqual(registry.fingerprint, AgencyRegistry.shipped.fingerprint)
        // Saved on Windows: CRLF ends lines too.
        try "name\tcode\tlevel\tparent\taliases\r\n青禾县\t419999\tcounty\t410000\t青禾县政府办\r\n# end\r\n".write(to: file, atomically: true, encoding: .utf8)
        XCTAssertEqual(try AgencyRegistry.load(file: file.path).resolve("青禾县政府办").key, "419999")
        try "青禾县\t419999\tnot-a-level\n".write(to: file, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try AgencyRegistry.load(file: file.path)) { error in
            XCTAssertTrue("\(error)".contains("line 1"), "\(error)")
        }
    }

    /// `namesPlace` skips its word removals where they cannot change the answer: the same answers as removing the
    /// words every time, on names built from the characters and words it looks for (and marks that combine with them).
    func testNamesPlaceAnswersAsTheWordRemovalsWould() {
        func removingEveryTime(_ name: String) -> Bool {
            let folded = ["市场", "城市", "都市", "社区", "小区", "园区", "区域", "地区", "县域"].reduce(LabelFolding.fold(name)) {
                $0.replacingOccurrences(of: $1, with: "")
            }
            return ["省", "市", "县", "区", "旗", "州", "盟", "镇", "乡", "街道", "村"].contains { folded.contains($0) }
        }
        let pieces = ["省", "市", "县", "区", "旗", "州", "盟", "镇", "乡", "街", "道", "村", "场", "城", "都", "社", "小", "园", "域", "地",
                      "人民政府", "局", "办公室", "市场", "社区", "Ａ", "1", " ", "\u{301}", "（", "區"]
        var random = SeededGenerator(seed: 7)
        for _ in 0..<4000 {
            let name = (0..<Int.random(in: 1...6, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
            XCTAssertEqual(AgencyRegistry.namesPlace(name), removingEveryTime(name), name)
        }
        for division in AgencyRegistry.shipped.divisions.values.prefix(500) {
            for name in [division.name, division.name + "市场监督管理局", division.name + "社区居委会", "财政局"] {
                XCTAssertEqual(AgencyRegistry.namesPlace(name), removingEveryTime(name), name)
            }
        }
    }
}
