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
}
