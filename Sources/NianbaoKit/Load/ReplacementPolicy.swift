/// When a changed body may replace a stored report (`load.replace` in pipeline.json).
///
/// `not_worse` (the default): the new report must read at least as many of the three tables and at least as
/// many cells as the stored one, and a report with tables is never replaced by a pre-2019 (unsupported) one.
/// A half-written page, a redesign that hides a table, or a maintenance notice that happens to carry one table
/// is then refused: the stored report stays, marked stale, and the refusal is counted and recorded. `always`
/// lets every readable body replace the stored report (its figures are still archived when they differ).
///
/// ```swift
/// let policy = ReplacementPolicy(mode: .notWorse)
/// policy.decide(stored: ReportShape(tables: 3, cells: 200, unsupported: false), new: report)  // .refuse("…")
/// ```
public struct ReplacementPolicy: Sendable, Equatable {
    public enum Mode: String, Sendable, CaseIterable {
        case notWorse = "not_worse"
        case always
    }

    /// How much of the template a report reads.
    public struct ReportShape: Sendable, Equatable {
        public var tables: Int
        public var cells: Int
        public var unsupported: Bool

        public init(tables: Int, cells: Int, unsupported: Bool) {
            self.tables = tables
            self.cells = cells
            self.unsupported = unsupported
        }

        public init(_ report: Report) {
            self.init(tables: report.formats.count, cells: report.cells.count, unsupported: report.unsupportedFormat)
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
        if new.tables < stored.tables || new.cells < stored.cells {
            return .refuse("the new body reads \(new.tables) table(s) and \(new.cells) cells where the stored report has "
                           + "\(stored.tables) and \(stored.cells) (load.replace is not_worse)")
        }
        return .replace
    }
}
