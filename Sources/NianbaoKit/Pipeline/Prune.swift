import Foundation

/// What `nianbao prune` found: stored documents whose sources the configuration no longer lists.
public struct PruneResult: Sendable {
    /// Sources in the database that no configured source gives any more (with whether a report is stored).
    public var gone: [(source: String, hasReport: Bool)] = []
    public var applied = false
}

extension Pipeline {
    /// Lists the sources as a run would (under the database's lock) and finds the stored documents none of
    /// them gives any more: files deleted or moved, URLs no longer in the list or on the index pages. With
    /// `apply`, removes them with their reports, cells, findings, failures and versions (rows orphaned by
    /// hand-made deletions go too). Refuses to remove anything when a source could not be listed completely
    /// (an index page failed, pagination was cut): an outage must never look like a vanished source.
    public func prune(apply: Bool) throws -> PruneResult {
        var processor = DocumentProcessor(configuration: configuration)
        processor.cancellation = cancellation
        if configuration.sources.contains(where: { !$0.isLocal }) {
            processor.fetcher = Fetcher(options: configuration.fetch, cacheDirectory: URL(fileURLWithPath: configuration.cachePath))
        }
        let lock = try RunLock(database: configuration.databasePath, wait: waitForLock, cancellation: cancellation)
        defer { withExtendedLifetime(lock) {} }
        guard FileManager.default.fileExists(atPath: configuration.databasePath) else {
            throw NianbaoError.database(path: configuration.databasePath, message: "no such database")
        }
        let store = try ReportStore(path: configuration.databasePath)
        var listing = try listSources(processor: processor)
        if configuration.shard != nil {
            var whole = configuration
            whole.shard = nil
            listing = try Pipeline(configuration: whole, logger: logger).listSources(processor: processor)
        }
        let incomplete = listing.sources.filter { $0.failedPages > 0 || $0.paginationCut }
        let listed = Set(listing.items.map(\.source) + listing.failures.map(\.info.source))
        var result = PruneResult()
        for row in try store.connection.query("""
            SELECT d.source, r.id IS NOT NULL FROM documents d LEFT JOIN reports r ON r.document_id = d.id ORDER BY d.source
            """) {
            guard let source = row[0].text, !listed.contains(source) else { continue }
            result.gone.append((source, row[1].integer == 1))
        }
        guard apply else { return result }
        guard incomplete.isEmpty else {
            throw NianbaoError.configuration(key: "sources", message: "not pruning: \(incomplete.map(\.source).joined(separator: ", ")) could not be listed completely (failed index pages or cut pagination)")
        }
        try store.connection.transaction {
            let delete = try store.connection.prepare("DELETE FROM documents WHERE source = ?")
            for document in result.gone { try delete.run([.text(document.source)]) }
            for orphans in [
                "DELETE FROM reports WHERE document_id NOT IN (SELECT id FROM documents)",
                "DELETE FROM failures WHERE document_id NOT IN (SELECT id FROM documents)",
                "DELETE FROM report_versions WHERE document_id NOT IN (SELECT id FROM documents)",
                "DELETE FROM cells WHERE report_id NOT IN (SELECT id FROM reports)",
                "DELETE FROM findings WHERE report_id NOT IN (SELECT id FROM reports)",
                "DELETE FROM report_sections WHERE report_id NOT IN (SELECT id FROM reports)",
                "DELETE FROM report_version_cells WHERE version_id NOT IN (SELECT id FROM report_versions)",
            ] { try store.connection.execute(orphans) }
        }
        try ReportIdentity(registry: try AgencyRegistry.load(file: configuration.registryPath), options: configuration.validate).run(on: store.connection)
        _ = try CrossReportValidator(options: configuration.validate).run(on: store.connection)
        result.applied = true
        return result
    }
}
