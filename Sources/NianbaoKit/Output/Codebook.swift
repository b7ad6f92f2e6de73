/// What every code of an export means (`nianbao export --codebook`): tables, rows and columns of both forms with
/// their printed labels, cell states, flags, measures and rates with their formulas — written from the schema,
/// so that it never disagrees with the data.
///
/// ```swift
/// print(Codebook.json().serialized(indent: 2))
/// ```
public enum Codebook {
    public static func json(rankingMinimumCases: Int = Measures.rankingMinimumCases) -> JSONValue {
        let tables: [JSONValue] = TableCode.allCases.flatMap { table in
            TableFormat.allCases.map { format -> JSONValue in
                let definition = TemplateSchema.table(table, format)
                return .object([
                    ("table", .string(table.rawValue)), ("format", .string(format.rawValue)),
                    ("rows", .array(definition.rows.map { row in
                        .object([("code", .string(row.code)), ("label", .string(row.labels.first ?? "")),
                                 ("columns", .array(row.columns.map { column in
                                     .object([("code", .string(column.code)), ("label", .string(column.label)),
                                              ("kind", .string(kind(column.kind)))])
                                 }))])
                    })),
                ])
            }
        }
        let states: [(String, String)] = [
            ("number", "a figure was read; value is the figure (money in 万元)"),
            ("blank", "the cell is empty (publishers usually mean 0; value NULL)"),
            ("na", "\"/\", \"—\", \"无\" and the like (value NULL)"),
            ("text", "words where a figure belongs (value NULL, raw kept)"),
        ]
        let flags: [(String, String)] = [
            ("inferred", "split out of figures printed without separators, or placed by its position: not read directly"),
            ("note", "the cell carried a note (kept in note)"),
            ("ocr", "read by OCR from a scan and proven by an identity or read with high confidence"),
            ("completed", "taken from another document of the same report where the canonical one left it empty"),
            ("corrected", "set by an analyst (nianbao correct); the extracted figure stays in canonical_cells"),
            ("confirmed", "checked by an analyst and found right"),
        ]
        let longColumns: [(String, String)] = [
            ("report_id", "the canonical report's id in the database"), ("agency", "the agency as the registry names it"),
            ("agency_key", "the resolved agency (division code, or code/department)"), ("year", "the report's year"),
            ("level", "province, city, county, township, department or other"), ("format", "the table's form: 2019 or 2021"),
            ("table_code", "active, requests or appeals"), ("row_code", "the row's code (tables below)"),
            ("col_code", "the column's code (tables below)"), ("value", "the figure, NULL unless state is number"),
            ("state", "see states"), ("raw", "the cell's printed text"), ("flags", "see flags, comma-separated"),
            ("note", "a note printed in the cell, or where a completed cell came from"), ("source", "the document read"),
            ("position", "where in the document the figure was read: table, grid row and column (HTML, Word, markdown, scans), or page and line (PDF) or line (text); a table printed run together gives its lines"),
        ]
        return .object([
            ("long_columns", .object(longColumns.map { ($0.0, .string($0.1)) })),
            ("tables", .array(tables)),
            ("states", .object(states.map { ($0.0, .string($0.1)) })),
            ("flags", .object(flags.map { ($0.0, .string($0.1)) })),
            ("measures", .array(Measures.all.map { measure in
                .object([("code", .string(measure.code)),
                         ("cells", .object(measure.cells.sorted { $0.key.rawValue < $1.key.rawValue }.map { ($0.key.rawValue, .array($0.value.map(JSONValue.string))) }))])
            })),
            ("rates", .array(Measures.rates.map { rate in
                .object([("code", .string(rate.code)), ("formula", .string(rate.formula)),
                         ("numerator", .array(rate.numerator.map { .string(($0.sign < 0 ? "-" : "+") + $0.measure) })),
                         ("denominator", .array(rate.denominator.map { .string(($0.sign < 0 ? "-" : "+") + $0.measure) })),
                         ("ranked_from_cases", .number(Double(rankingMinimumCases)))])
            })),
            ("rollup_measures", .array(Measures.rollupMeasures.map(JSONValue.string))),
        ])
    }

    private static func kind(_ kind: ColumnDefinition.Kind) -> String {
        switch kind {
        case .count: return "count"
        case .signed: return "signed"
        case .money: return "money (万元)"
        }
    }
}
