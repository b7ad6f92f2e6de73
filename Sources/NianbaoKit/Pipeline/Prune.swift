import Foundation

/// What `nianbao prune` found: stored documents whose sources are gone.
public struct PruneResult: Sendable {
    /// Stored sources that are gone (with whether a report is stored).
    public var gone: [(source: String, hasReport: Bool)] = []
    /// Stored sources no configured source lists any more but that are still there (a file that exists, a URL
    /// that does not answer 404/410): kept, and said.
    public var unlistedButPresent: [String] = []
    public var applied = false
}

extension Pipeline {
    /// Finds the stored documents whose sources are gone, and with `apply` removes them with their reports,
    /// cells, findings, failures and versions (rows orphaned by hand-made deletions go too).
    ///
    /// An outage must never look like a vanished source, so a document is gone only when no configured source
    /// lists it any more **and** it is not there: a file that does not exist, a URL that answers 404 or 410
    /// itself. Nothing is removed when a source could not be listed completely (an index page failed, pagination
    /// was cut) or listed nothing at all (a maintenance page served as the index, an unmounted share), nor when
    /// more than half of the stored documents would go (`allowMany` lifts that). Documents kept as what an
    /// address served before (`superseded`) are never removed.
    public func prune(apply: Bool, allowMany: Bool = false) throws -> PruneResult {
        var processor = DocumentProcessor(configuration: configuration)
        processor.cancellation = cancellation
        var whole = configuration
        whole.shard = nil
        if configuration.sources.contains(where: { !$0.isLocal }) {
            processor.fetcher = Fetcher(options: configuration.fetch, cacheDirectory: URL(fileURLWithPath: configuration.cachePath))
        }
        let lock = try RunLock(database: configuration.databasePath, wait: waitForLock, cancellation: cancellation)
        defer { withExtendedLifetime(lock) {} }
        guard FileManager.default.fileExists(atPath: configuration.databasePath) else {
            throw NianbaoError.database(path: configuration.databasePath, message: "no such database")
        }
        let store = try ReportStore(path: configuration.databasePath)
        let listing = try Pipeline(configuration: whole, logger: logger).listSources(processor: processor)
        if let incomplete = listing.sources.first(where: { $0.failedPages > 0 || $0.paginationCut || $0.isEmpty }) {
            throw NianbaoError.refused("not pruning: \(incomplete.source) could not be listed completely (failed index pages, cut pagination, or nothing listed at all); an outage must not look like vanished sources")
        }
        let listed = Set(listing.items.map { source -> String in
            if case let .url(url) = source.location { return "url " + URLNormalizer.identity(url) }
            return source.source
        } + listing.failures.map(\.info.source))
        var result = PruneResult()
        for row in try store.connection.query("""
            SELECT d.source, r.id IS NOT NULL FROM documents d LEFT JOIN reports r ON r.document_id = d.id
            WHERE d.status <> 'superseded' ORDER BY d.source
            """) {
            guard let source = row[0].text else { continue }
            let isURL = source.contains("://")
            if listed.contains(isURL ? "url " + URLNormalizer.identity(source) : source) { continue }
            if isGone(source, processor: processor) {
                result.gone.append((source, row[1].integer == 1))
            } else {
                result.unlistedButPresent.append(source)
            }
        }
        guard apply else { return result }
        let total = Int(try store.connection.query("SELECT count(*) FROM documents WHERE status <> 'superseded'").first?.first?.integer ?? 0)
        if !allowMany, result.gone.count * 2 > total {
            throw NianbaoError.refused("not pruning: \(result.gone.count) of \(total) documents would go; if that is right, run again with --allow-many")
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
        let registry = try AgencyRegistry.load(file: configuration.registryPath)
        try ReportIdentity(registry: registry, options: configuration.validate).run(on: store.connection)
        _ = try CrossReportValidator(options: configuration.validate).run(on: store.connection)
        result.applied = true
        return result
    }

    /// A file that does not exist, or a URL that answers 404 or 410 (offline: never, the cache cannot tell).
    private func isGone(_ source: String, processor: DocumentProcessor) -> Bool {
        guard source.contains("://") else { return !FileManager.default.fileExists(atPath: source) }
        guard let fetcher = processor.fetcher, !configuration.fetch.offline, let url = URL(string: source) else { return false }
        // Error pages are small; a body over a megabyte is a page that is there.
        let request = HTTPRequest(url: url, timeout: configuration.fetch.timeoutSeconds, maxBytes: 1 << 20, cancellation: cancellation)
        guard case let .success(response) = fetcher.client.send(request) else { return false }
        return response.status == 404 || response.status == 410
    }
}
