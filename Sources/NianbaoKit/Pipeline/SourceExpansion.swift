import Foundation

/// The configured sources expanded into documents, with what each source gave.
struct SourceListing {
    var items: [SourceItem] = []
    /// Files that could not be documents (a FIFO, a non-UTF-8 name, a link loop) and index pages that could not
    /// be read: recorded as failures.
    var failures: [DocumentOutcome] = []
    var sources: [SourceSummary] = []
    /// Index pages read this time: failures recorded for them by earlier runs are cleared.
    var indexPagesRead: [String] = []
}

extension Pipeline {
    /// Every source expanded, in configuration order: files (sorted per source), listed URLs, and URLs
    /// discovered from index pages; duplicates dropped, then the shard's part kept. The counts per source are
    /// taken before sharding, so that an empty source is told from a shard that got nothing.
    func listSources(processor: DocumentProcessor) throws -> SourceListing {
        var listing = SourceListing()
        let lister = SourceLister(options: configuration.read)
        let manifest = try configuration.hintsPath.map { try HintManifest.load(path: $0, baseDirectory: configuration.baseDirectory) }
        for source in configuration.sources {
            try cancellation.check()
            var counts = SourceSummary(source: source.description, kind: "\(source.kind)".prefix { $0 != "(" }.description,
                                       allowEmpty: source.allowEmpty)
            switch source.kind {
            case let .path(path):
                let found = try lister.list(path, relativeTo: configuration.baseDirectory)
                listing.items += found.files.map { file in
                    let hints = manifest?.hints(for: file)
                    return SourceItem(.file(file), agencyHint: hints?.agency, yearHint: hints?.year)
                }
                listing.failures += found.skipped.map {
                    .failed(DocumentInfo(source: $0.path, sha256: "", size: 0), StageFailure(stage: .read, reason: $0.reason))
                }
                counts.discovered = found.files.count
                counts.skipped = found.skipped.count
                if found.missing { counts.problem = "no such file or directory" }
            case let .urls(file):
                guard let fetcher = processor.fetcher else { continue }
                let path = file.hasPrefix("/") ? file : configuration.baseDirectory.appendingPathComponent(file).path
                let items = try URLSourceLister(fetcher: fetcher, decoder: processor.decoder).readList(path)
                listing.items += items
                counts.discovered = items.count
            case let .index(url):
                guard let fetcher = processor.fetcher else { continue }
                let budget = configuration.limits.documentSeconds
                let found = try IndexDiscovery(fetcher: fetcher, decoder: processor.decoder, logger: logger)
                    .discover(url, limits: WorkLimits(seconds: budget, cancellation: cancellation))
                listing.items += found.items
                listing.failures += found.failures
                listing.indexPagesRead += found.pages
                counts.discovered = found.items.count
                counts.pagesRead = found.pagesRead
                counts.failedPages = found.failures.count
                counts.paginationCut = found.paginationCut
                if found.paginationCut {
                    logger.warning("\(url): pagination goes on past fetch.max_index_pages (\(configuration.fetch.maxIndexPages)); later pages were not read")
                }
            }
            if counts.isEmpty && !source.allowEmpty {
                logger.warning("\(source): no document found\(counts.problem.map { " (\($0))" } ?? "") (set \"allow_empty\": true on the source if that is expected)")
            }
            listing.sources.append(counts)
        }
        // One page listed twice (http and https, raw and percent-encoded…) is one document: the first spelling wins.
        var seen = Set<String>()
        listing.items = listing.items.filter { item in
            guard case let .url(url) = item.location else { return seen.insert(item.source).inserted }
            return seen.insert("url " + URLNormalizer.identity(url)).inserted
        }
        if let shard = configuration.shard {
            listing.items = listing.items.filter { shard.contains($0.source) }
            listing.failures = listing.failures.filter { shard.contains($0.info.source) }
        }
        return listing
    }
}
