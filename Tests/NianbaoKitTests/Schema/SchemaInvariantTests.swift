import XCTest
@testable import NianbaoKit

/// Invariants of the schema that the readers rely on.
final class SchemaInvariantTests: XCTestCase {
    /// Each row's column codes are distinct: ``TableReader/indicesByHeader(_:columns:)`` places a slot by the code's
    /// position in the row.
    func testColumnCodesAreDistinctInEveryRow() {
        for table in TemplateSchema.tables {
            for row in table.rows {
                let codes = row.columns.map(\.code)
                XCTAssertEqual(Set(codes).count, codes.count, "\(table.code.rawValue).\(row.code)")
            }
        }
        XCTAssertGreaterThan(TemplateSchema.tables.count, 3)
    }
}
