/// When a changed body may replace a stored report (`load.replace` in pipeline.json).
///
/// `not_worse` (the default): the new report must read at least as many of the three tables and at least as
/// many figures (cells with a number) as the stored one, and a report with tables is never replaced by a
/// pre-2019 (unsupported) one.
/// A half-written page, a redesign that hides a table, or a maintenance notice that happens to carry one table
/// is then refused: the stored report stays, marked stale, and the refusal is counted and recorded. `always`
/// lets every readable body replace the stored report (its figures are still archived when they differ).
///
/// ```swift
/// let policy = ReplacementPolicy(mode: .notWorse)
/// policy.decide(stored: ReportShape(tables: 3, figures: 200, unsupported: false), new: ReportShape(report))  // .refuse("…")
/// ```
public struct ReplacementPolicy: Sendable, Equatable {
    public enum Mode: String, Sendable, CaseIterable {
        case notWorse = "not_worse"
        case always
    }

    /// How much of the template a report reads: tables, and cells holding a figure (a blanked figure counts
    /// as lost).
    public struct ReportShape: Sendable, Equatable {
        public var tables: Int
        public var figures: Int
        public var unsupported: Bool

        public init(tables: Int, figures: Int, unsupported: Bool) {
            self.tables = tables
            self.figures = figures
            self.unsupported = unsupported
        }

        public init(_ report: Report) {
            self.init(tables: report.formats.count, figures: report.cells.filter { $0.state == .number }.count,
                      unsupported: report.unsupportedFormat)
        }
    }

    public enum Decision: Sendable, Equatable {
        case replace
        case refuse(String)
    }

    public var mode: Mode

    public init(mode: Mode = .notWorse) { self.mode = mode }

    public func decide(stored: ReportShape, new: ReportShape) -> Decision {
        guard mode == .notWorse else { return .replace }
        if new.unsupported && !stored.unsupported {
            return .refuse("the new body reads as a pre-2019 report without tables where the stored report has \(stored.tables)")
        }
        if new.tables < stored.tables || new.figures < stored.figures {
            return .refuse("the new body reads \(new.tables) table(s) and \(new.figures) figures where the stored report has "
                           + "\(stored.tables) and \(stored.figures) (load.replace is not_worse)")
        }
        return .replace
    }
}
