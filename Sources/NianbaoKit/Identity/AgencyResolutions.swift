import Foundation

/// The registry's answers for one run, each printed name resolved once.
///
/// The writer resolves each report's agency as it inserts the report (on the writer thread, while the workers
/// read documents), and the identity step after the documents asks the same object: a first run's identity
/// step used to resolve every report again and update its row, and then resolve every unresolved one a third
/// time for its note — a quarter of the run's single-threaded end.
///
/// ```swift
/// let resolutions = AgencyResolutions(registry: .shipped)
/// resolutions.resolve("驻马店市人民政府").key   // "411700"
/// resolutions.version                          // stored in reports.resolved_with
/// ```
public final class AgencyResolutions: @unchecked Sendable {
    public let registry: AgencyRegistry
    /// `reports.resolved_with` of a report resolved with this registry: a changed registry resolves stored reports
    /// again.
    public let version: String
    private var known: [String: AgencyRegistry.Resolution] = [:]
    private let lock = NSLock()

    public init(registry: AgencyRegistry) {
        self.registry = registry
        version = "registry \(registry.fingerprint)"
    }

    public func resolve(_ printed: String) -> AgencyRegistry.Resolution {
        lock.lock()
        defer { lock.unlock() }
        if let resolution = known[printed] { return resolution }
        let resolution = registry.resolve(printed)
        known[printed] = resolution
        return resolution
    }

    /// The values of `agency_key, agency_name, division_code, level, parent_code, resolved_with` for a report that
    /// prints `agency` (none printed: no agency, resolved all the same).
    func columns(agency: String?) -> [SQLiteConnection.Value] {
        guard let agency, !agency.isEmpty else { return [.null, .null, .null, .null, .null, .text(version)] }
        let resolution = resolve(agency)
        return [resolution.key.isEmpty ? .null : .text(resolution.key), .text(resolution.name), .init(resolution.divisionCode),
                .init(resolution.level?.rawValue), .init(resolution.parentCode), .text(version)]
    }
}
