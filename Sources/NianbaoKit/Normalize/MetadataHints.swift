/// The agency and year a URL list or a hints manifest gives for a document, applied to its report.
///
/// The report's own metadata wins: a hint fills only what the report lacks, and where both say something
/// different a `metadata.hint_conflict` warning names both (agencies are compared after resolution, so one
/// agency printed two ways is no conflict). A report left without an agency or a year gets `metadata.missing`:
/// it cannot be lined up with the agency's other years, nor told apart from another copy of itself.
public struct MetadataHints: Sendable, Equatable {
    public var agency: String?
    public var year: Int?

    public init(agency: String? = nil, year: Int? = nil) {
        self.agency = agency
        self.year = year
    }

    func apply(to report: inout Report, registry: AgencyRegistry) {
        var metadata = report.metadata
        if let hint = agency {
            if let printed = metadata.agency {
                if registry.resolve(printed).key != registry.resolve(hint).key {
                    report.findings.append(Finding(rule: .metadataHintConflict, severity: .warning,
                                                   message: "the report names its agency \(printed), the hint says \(hint); the report's is kept"))
                }
            } else {
                metadata.agency = hint
            }
        }
        if let hint = year {
            if let printed = metadata.year {
                if printed != hint {
                    report.findings.append(Finding(rule: .metadataHintConflict, severity: .warning, expected: Double(hint), actual: Double(printed),
                                                   message: "the report is for \(printed), the hint says \(hint); the report's is kept"))
                }
            } else {
                metadata.year = hint
            }
        }
        let missing = [metadata.agency == nil ? "agency (发布机关)" : nil, metadata.year == nil ? "reporting year" : nil].compactMap { $0 }
        if !missing.isEmpty {
            report.findings.append(Finding(rule: .metadataMissing, severity: .warning,
                                           message: "the report does not say its \(missing.joined(separator: " or ")) and no hint gives it: it cannot be lined up with other years; give it in a hints manifest or a URL list"))
        }
        report.metadata = metadata
    }
}
