/// The blank-aware check of one identity `left = right`, where each side is a sum of cells.
///
/// Blank, `na` and missing cells are unknown non-negative numbers:
/// - **pass**: the sums agree with every unknown read as 0;
/// - **fail**: no non-negative values in the unknowns could make them agree;
/// - **not checkable**: they disagree with unknowns as 0, but some filling would make them agree.
///
/// ```swift
/// IdentityCheck.evaluate(left: [10, 1, 0, 0], right: [0])   // .fail(expected: 11, actual: 0)
/// IdentityCheck.evaluate(left: [nil, nil], right: [263])    // .notCheckable
/// ```
enum IdentityCheck {
    enum Outcome: Equatable {
        case pass
        case fail(expected: Double, actual: Double)
        case notCheckable(expected: Double, actual: Double)
    }

    /// `left` are the parts, `right` the published total(s); nil is an unknown.
    static func evaluate(left: [Double?], right: [Double?]) -> Outcome {
        let leftSum = left.compactMap { $0 }.reduce(0, +)
        let rightSum = right.compactMap { $0 }.reduce(0, +)
        if abs(leftSum - rightSum) < 1e-9 { return .pass }
        let leftUnknown = left.contains { $0 == nil }
        let rightUnknown = right.contains { $0 == nil }
        // Unknowns can only raise their side: the smaller side needs one.
        let fixable = leftSum < rightSum ? leftUnknown : rightUnknown
        return fixable ? .notCheckable(expected: leftSum, actual: rightSum) : .fail(expected: leftSum, actual: rightSum)
    }
}
