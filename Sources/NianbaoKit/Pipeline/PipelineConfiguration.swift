import Foundation

/// `pipeline.json`: where documents come from, the options of each stage, and where they go.
///
/// ```json
/// {"sources": [{"path": "samples"}], "database": "out/nianbao.sqlite", "workers": 2,
///  "stages": ["read", "decode", "extract", "normalize", "validate", "load"],
///  "read": {"max_bytes": 20000000}, "validate": {"fail_on": ["error"]}, "load": {"batch_size": 64}}
/// ```
/// Unknown keys and bad values are rejected with a message naming the key (``NianbaoError/configuration``).
public struct PipelineConfiguration: Sendable {
    /// One entry of `sources`: where documents come from, and whether it may give none.
    public struct Source: Sendable, Equatable, CustomStringConvertible {
        public enum Kind: Sendable, Equatable {
            case path(String)
            case urls(String)
            case index(String)
        }

        public var kind: Kind
        /// A source that gives no document makes the run exit 4, unless this is set (`"allow_empty": true`).
        public var allowEmpty = false

        public init(_ kind: Kind, allowEmpty: Bool = false) {
            self.kind = kind
            self.allowEmpty = allowEmpty
        }

        public static func path(_ path: String) -> Source { Source(.path(path)) }
        public static func urls(_ file: String) -> Source { Source(.urls(file)) }
        public static func index(_ url: String) -> Source { Source(.index(url)) }

        public var isLocal: Bool { if case .path = kind { return true } else { return false } }

        public var description: String {
            switch kind {
            case let .path(path): return "path \(path)"
            case let .urls(file): return "urls \(file)"
            case let .index(url): return "index \(url)"
            }
        }
    }

    public var sources: [Source] = []
    public var database: String = "out/nianbao.sqlite"
    /// Concurrent workers; 0 means one per core.
    public var workers: Int = 0
    /// A prefix of the stage sequence; without `load` nothing is written.
    public var stages: [StageName] = StageName.allCases
    public var read = ReadOptions()
    public var fetch = FetchOptions()
    public var decode = DecodeOptions()
    public var validate = ValidateOptions()
    public var load = LoadOptions()
    public var limits = LimitOptions()
    public var analysis = AnalysisOptions()
    /// Documents that failed are processed again on every run, even when their bytes did not change.
    public var retryFailed = true
    /// An agency registry file that adds to or overrides the shipped one (`registry.file`).
    public var registryFile: String?
    /// A manifest giving agency and year for files whose reports do not say them (`hints`).
    public var hintsFile: String?
    /// The part of the sources this process handles, for sharded runs; nil for all.
    public var shard: Shard?
    /// Relative paths are resolved against this folder (the configuration file's).
    public var baseDirectory: URL

    public init(baseDirectory: URL) { self.baseDirectory = baseDirectory }

    /// The database path, resolved.
    public var databasePath: String {
        database.hasPrefix("/") ? database : baseDirectory.appendingPathComponent(database).path
    }

    /// The registry file, resolved.
    public var registryPath: String? { registryFile.map(resolve) }

    /// The hints manifest, resolved.
    public var hintsPath: String? { hintsFile.map(resolve) }

    func resolve(_ path: String) -> String { path.hasPrefix("/") ? path : baseDirectory.appendingPathComponent(path).path }

    /// The raw cache folder, resolved.
    public var cachePath: String {
        fetch.cacheDirectory.hasPrefix("/") ? fetch.cacheDirectory : baseDirectory.appendingPathComponent(fetch.cacheDirectory).path
    }

    /// More workers than this is a typo, not a machine (each holds a thread and a document in memory).
    public static let maximumWorkers = 1024

    public var effectiveWorkers: Int { workers > 0 ? workers : ProcessInfo.processInfo.activeProcessorCount }

    public static func load(from path: String) throws -> PipelineConfiguration {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw NianbaoError.configuration(key: "(file)", message: "cannot read \(path)")
        }
        let base = URL(fileURLWithPath: path).deletingLastPathComponent()
        return try parse(data, baseDirectory: base)
    }

    public static func parse(_ data: Data, baseDirectory: URL) throws -> PipelineConfiguration {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw NianbaoError.configuration(key: "(file)", message: "not valid JSON: \(error.localizedDescription)")
        }
        var reader = try ConfigurationReader(object, path: "")
        var config = PipelineConfiguration(baseDirectory: baseDirectory)
        config.sources = try reader.array("sources", required: true).enumerated().map { index, item in
            var entry = try ConfigurationReader(item, path: "sources[\(index)]")
            let path = try entry.string("path"), urls = try entry.string("urls"), indexPage = try entry.string("index")
            let allowEmpty = try entry.bool("allow_empty") ?? false
            try entry.finish()
            switch (path, urls, indexPage) {
            case let (path?, nil, nil): return Source(.path(path), allowEmpty: allowEmpty)
            case let (nil, urls?, nil): return Source(.urls(urls), allowEmpty: allowEmpty)
            case let (nil, nil, page?):
                // A typo here used to fail the run (exit 1) and leave a failure record for a page that never existed.
                guard let url = URL(string: page), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), !(url.host ?? "").isEmpty else {
                    throw NianbaoError.configuration(key: "sources[\(index)].index", message: "\(page) is not an http(s) URL")
                }
                return Source(.index(page), allowEmpty: allowEmpty)
            default:
                throw NianbaoError.configuration(key: "sources[\(index)]",
                                                 message: "give exactly one of \"path\", \"urls\" or \"index\"")
            }
        }
        guard !config.sources.isEmpty else {
            throw NianbaoError.configuration(key: "sources", message: "give at least one source (a path, a URL list or an index page)")
        }
        let topDatabase = try reader.string("database")
        config.workers = try reader.integer("workers", minimum: 0) ?? 0
        guard config.workers <= Self.maximumWorkers else {
            throw NianbaoError.configuration(key: "workers", message: "must be at most \(Self.maximumWorkers) (0: one per core)")
        }
        config.retryFailed = try reader.bool("retry_failed") ?? true
        config.hintsFile = try reader.string("hints")
        if var section = try reader.section("registry") {
            config.registryFile = try section.string("file")
            try section.finish()
        }
        if let stages = try reader.array("stages") {
            config.stages = try stages.enumerated().map { index, item in
                guard let name = item as? String, let stage = StageName(rawValue: name) else {
                    throw NianbaoError.configuration(key: "stages[\(index)]", message: "unknown stage \(item); stages are \(StageName.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return stage
            }
            // `fetch` may be named or not (it only acts on URL sources); the rest must be a prefix.
            let core = config.stages.filter { $0 != .fetch }
            let sequence = StageName.allCases.filter { $0 != .fetch }
            let ordered = StageName.allCases.filter(config.stages.contains)
            guard !core.isEmpty, core == Array(sequence.prefix(core.count)), config.stages == ordered else {
                throw NianbaoError.configuration(key: "stages", message: "must be a non-empty prefix of \(StageName.allCases.map(\.rawValue).joined(separator: " → "))")
            }
        }
        if var section = try reader.section("read") {
            config.read.include = try section.stringArray("include") ?? config.read.include
            config.read.exclude = try section.stringArray("exclude") ?? config.read.exclude
            config.read.maxBytes = try section.integer("max_bytes", minimum: 1) ?? config.read.maxBytes
            try section.finish()
        }
        if var section = try reader.section("fetch") {
            var fetch = config.fetch
            fetch.timeoutSeconds = try section.number("timeout_seconds", minimum: 0.001) ?? fetch.timeoutSeconds
            fetch.retries = try section.integer("retries", minimum: 0) ?? fetch.retries
            fetch.backoffSeconds = try section.number("backoff_seconds", minimum: 0) ?? fetch.backoffSeconds
            fetch.maxBackoffSeconds = try section.number("max_backoff_seconds", minimum: 0) ?? fetch.maxBackoffSeconds
            fetch.perHostConcurrency = try section.integer("per_host_concurrency", minimum: 1) ?? fetch.perHostConcurrency
            fetch.perHostDelaySeconds = try section.number("per_host_delay_seconds", minimum: 0) ?? fetch.perHostDelaySeconds
            fetch.userAgent = try section.string("user_agent") ?? fetch.userAgent
            fetch.maxRedirects = try section.integer("max_redirects", minimum: 0) ?? fetch.maxRedirects
            fetch.maxBytes = try section.integer("max_bytes", minimum: 1) ?? fetch.maxBytes
            fetch.cacheDirectory = try section.string("cache_dir") ?? fetch.cacheDirectory
            fetch.offline = try section.bool("offline") ?? fetch.offline
            if let pattern = try section.string("link_pattern") {
                guard (try? NSRegularExpression(pattern: pattern)) != nil else {
                    throw NianbaoError.configuration(key: "fetch.link_pattern", message: "not a valid regular expression")
                }
                fetch.linkPattern = pattern
            }
            fetch.maxIndexPages = try section.integer("max_index_pages", minimum: 1) ?? fetch.maxIndexPages
            fetch.allowedHosts = try section.stringArray("allowed_hosts") ?? fetch.allowedHosts
            fetch.siblingHosts = try section.bool("sibling_hosts") ?? fetch.siblingHosts
            try section.finish()
            config.fetch = fetch
        }
        if var section = try reader.section("decode") {
            if let fallback = try section.string("fallback_encoding") {
                guard EncodingDetector.canonicalName(fallback) != nil else {
                    throw NianbaoError.configuration(key: "decode.fallback_encoding", message: "unknown encoding \(fallback)")
                }
                config.decode.fallbackEncoding = fallback
            }
            config.decode.pdftotext = try section.string("pdftotext") ?? config.decode.pdftotext
            config.decode.libreoffice = try section.string("libreoffice") ?? config.decode.libreoffice
            config.decode.ocr = try section.bool("ocr") ?? config.decode.ocr
            config.decode.tesseract = try section.string("tesseract") ?? config.decode.tesseract
            config.decode.pdftoppm = try section.string("pdftoppm") ?? config.decode.pdftoppm
            if let dpi = try section.integer("ocr_dpi", minimum: 100) {
                guard (100...600).contains(dpi) else {
                    throw NianbaoError.configuration(key: "decode.ocr_dpi", message: "must be between 100 and 600")
                }
                config.decode.ocrDPI = dpi
            }
            try section.finish()
        }
        if let section = try reader.section("extract") { try section.finish() }
        if let section = try reader.section("normalize") { try section.finish() }
        if var section = try reader.section("validate") {
            if let severities = try section.section("severities") {
                for (id, value) in severities.remaining.sorted(by: { $0.key < $1.key }) {
                    let rule = try Self.rule(id, key: "validate.severities.\(id)")
                    guard let name = value as? String, let severity = Severity(rawValue: name) else {
                        throw NianbaoError.configuration(key: "validate.severities.\(id)", message: "must be \"error\", \"warning\" or \"info\"")
                    }
                    config.validate.severities[rule] = severity
                }
            }
            config.validate.disabledRules = Set(try (section.stringArray("disabled_rules") ?? []).map {
                try Self.rule($0, key: "validate.disabled_rules")
            })
            if let failOn = try section.stringArray("fail_on") {
                config.validate.failOn = Set(try failOn.map { name in
                    guard let severity = Severity(rawValue: name) else {
                        throw NianbaoError.configuration(key: "validate.fail_on", message: "unknown severity \(name)")
                    }
                    return severity
                })
            }
            config.validate.reportNotCheckable = try section.bool("report_not_checkable") ?? true
            try section.finish()
        }
        if var section = try reader.section("limits") {
            config.limits.documentSeconds = try section.number("document_seconds", minimum: 0.001) ?? config.limits.documentSeconds
            config.limits.ocrPageSeconds = try section.number("ocr_page_seconds", minimum: 0) ?? config.limits.ocrPageSeconds
            try section.finish()
        }
        if var section = try reader.section("analysis") {
            config.analysis.rankingMinimumCases = try section.integer("ranking_min_cases", minimum: 1) ?? config.analysis.rankingMinimumCases
            try section.finish()
        }
        var loadDatabase: String?
        if var section = try reader.section("load") {
            loadDatabase = try section.string("database")
            config.load.batchSize = try section.integer("batch_size", minimum: 1) ?? config.load.batchSize
            if let replace = try section.string("replace") {
                guard let mode = ReplacementPolicy.Mode(rawValue: replace) else {
                    throw NianbaoError.configuration(key: "load.replace", message: "must be one of \(ReplacementPolicy.Mode.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                config.load.replace = mode
            }
            try section.finish()
        }
        try reader.finish()
        if let topDatabase, let loadDatabase, topDatabase != loadDatabase {
            throw NianbaoError.configuration(key: "load.database", message: "differs from \"database\"; give the path once")
        }
        config.database = topDatabase ?? loadDatabase ?? config.database
        return config
    }
}

extension PipelineConfiguration {
    /// A rule id named in the configuration; an id outside the catalogue is refused, naming the key.
    static func rule(_ id: String, key: String) throws -> Rule {
        guard let rule = Rule(rawValue: id) else {
            throw NianbaoError.configuration(key: key, message: "unknown rule id \"\(id)\"; the rules are \(Rule.list)")
        }
        return rule
    }
}

/// Reads one JSON object of the configuration, remembering which keys were used so that unknown ones
/// can be reported with their full path.
struct ConfigurationReader {
    private(set) var remaining: [String: Any]
    let path: String

    init(_ object: Any, path: String) throws {
        guard let dictionary = object as? [String: Any] else {
            throw NianbaoError.configuration(key: path.isEmpty ? "(top level)" : path, message: "must be a JSON object")
        }
        remaining = dictionary
        self.path = path
    }

    private func key(_ name: String) -> String { path.isEmpty ? name : "\(path).\(name)" }

    mutating func string(_ name: String) throws -> String? {
        guard let value = remaining.removeValue(forKey: name) else { return nil }
        guard let string = value as? String, !string.isEmpty else {
            throw NianbaoError.configuration(key: key(name), message: "must be a non-empty string")
        }
        return string
    }

    mutating func integer(_ name: String, minimum: Int) throws -> Int? {
        guard let value = remaining.removeValue(forKey: name) else { return nil }
        guard !Self.isBoolean(value), let number = value as? NSNumber,
              number.doubleValue == number.doubleValue.rounded(), number.intValue >= minimum,
              // A number past Int's range wraps around in intValue (18446744073709551617 read as 1).
              Double(number.intValue) == number.doubleValue else {
            throw NianbaoError.configuration(key: key(name), message: "must be a whole number ≥ \(minimum)")
        }
        return number.intValue
    }

    mutating func number(_ name: String, minimum: Double) throws -> Double? {
        guard let value = remaining.removeValue(forKey: name) else { return nil }
        guard !Self.isBoolean(value), let number = value as? NSNumber, number.doubleValue >= minimum else {
            throw NianbaoError.configuration(key: key(name), message: "must be a number ≥ \(minimum)")
        }
        return number.doubleValue
    }

    mutating func bool(_ name: String) throws -> Bool? {
        guard let value = remaining.removeValue(forKey: name) else { return nil }
        guard Self.isBoolean(value), let number = value as? NSNumber else {
            throw NianbaoError.configuration(key: key(name), message: "must be true or false")
        }
        return number.boolValue
    }

    mutating func array(_ name: String, required: Bool = false) throws -> [Any]? {
        guard let value = remaining.removeValue(forKey: name) else {
            if required { throw NianbaoError.configuration(key: key(name), message: "is required") }
            return nil
        }
        guard let array = value as? [Any] else {
            throw NianbaoError.configuration(key: key(name), message: "must be an array")
        }
        return array
    }

    mutating func array(_ name: String, required: Bool) throws -> [Any] {
        try array(name, required: required) ?? []
    }

    mutating func stringArray(_ name: String) throws -> [String]? {
        guard let array = try array(name) else { return nil }
        return try array.map {
            guard let string = $0 as? String else {
                throw NianbaoError.configuration(key: key(name), message: "must be an array of strings")
            }
            return string
        }
    }

    mutating func section(_ name: String) throws -> ConfigurationReader? {
        guard let value = remaining.removeValue(forKey: name) else { return nil }
        return try ConfigurationReader(value, path: key(name))
    }

    /// JSON true/false, told apart from the numbers 1 and 0 (both arrive as NSNumber on some platforms).
    static func isBoolean(_ value: Any) -> Bool {
        if "\(type(of: value))".contains("Bool") { return true }
        guard let number = value as? NSNumber else { return false }
        return String(cString: number.objCType) == "c"
    }

    func finish() throws {
        if let unknown = remaining.keys.sorted().first {
            throw NianbaoError.configuration(key: key(unknown), message: "unknown key")
        }
    }
}
