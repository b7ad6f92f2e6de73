/// Options of the *read* stage (`"read"` in pipeline.json).
public struct ReadOptions: Sendable, Equatable {
    /// File-name patterns a directory walk picks up.
    public var include: [String] = ["*.html", "*.htm", "*.shtml", "*.txt", "*.md", "*.markdown", "*.pdf", "*.docx", "*.doc", "*.wps", "*.rtf"]
    /// File-name patterns a directory walk skips (checked first).
    public var exclude: [String] = ["*.expected.json", "README*", ".*"]
    /// Larger files are recorded as failures without being read.
    public var maxBytes: Int = 20_000_000
    public init() {}
}

/// Options of the *decode* stage.
public struct DecodeOptions: Sendable, Equatable {
    /// The encoding assumed when nothing declares one and the bytes are not UTF-8.
    public var fallbackEncoding: String = "GB18030"
    /// Read PDFs through `pdftotext -layout` when it is installed.
    public var pdftotext: String = "pdftotext"
    /// Convert `.doc`, `.wps` and `.rtf` to `.docx` with LibreOffice (`soffice`) when it is installed.
    public var libreoffice: String = "soffice"
    /// Read scanned PDFs (no text layer) with OCR.
    public var ocr: Bool = true
    /// The Tesseract executable, and poppler's page renderer for scanned PDFs.
    public var tesseract: String = "tesseract"
    public var pdftoppm: String = "pdftoppm"
    /// Resolution scanned PDF pages are rendered at for OCR.
    public var ocrDPI: Int = 300
    public init() {}
}

/// Options of the *validate* stage.
public struct ValidateOptions: Sendable, Equatable {
    /// Severity overrides by rule id, e.g. `{"requests.row_sum": "warning"}`.
    public var severities: [Rule: Severity] = [:]
    /// Rules whose findings are not recorded.
    public var disabledRules: Set<Rule> = []
    /// Findings of these severities make `run` exit 1 (documents still load).
    public var failOn: Set<Severity> = []
    /// Record identities that blanks make uncheckable, as `info`.
    public var reportNotCheckable: Bool = true
    public init() {}

    /// What a report's findings depend on besides its bytes: the pipeline version and the per-report settings.
    /// Stored with each report (`reports.validated_with`); a report stored with another fingerprint is read and
    /// validated again by the next run, so that a change of `validate.*` reaches the reports already loaded.
    public var fingerprint: String {
        let overrides = severities.filter { $0.key.scope == .report }.sorted { $0.key < $1.key }
            .map { "\($0.key.rawValue)=\($0.value.rawValue)" }.joined(separator: ",")
        let disabled = disabledRules.filter { $0.scope == .report }.sorted().map(\.rawValue).joined(separator: ",")
        return "pipeline \(PipelineVersion.current); severities [\(overrides)]; disabled [\(disabled)]; not_checkable \(reportNotCheckable)"
    }
}

/// Limits that keep one pathological document from stalling or swamping a run.
public struct LimitOptions: Sendable, Equatable {
    /// A document still being processed after this many seconds is abandoned at the next stage boundary
    /// and recorded as a failure (the expensive steps inside a stage are bounded themselves).
    public var documentSeconds: Double = 60
    /// Seconds a scanned page adds to its document's budget: OCR takes seconds a page, and a 20-page scan is
    /// one report, not a stuck document.
    public var ocrPageSeconds: Double = 20
    public init() {}
}

/// Settings of the analyst views (`analysis`), stored in the database by `run` (table `settings`) so that
/// `report`, `export` and SQL read the same.
public struct AnalysisOptions: Sendable, Equatable {
    /// Cases (a rate's denominator) an agency needs to be ranked on a rate (`analysis.ranking_min_cases`).
    public var rankingMinimumCases: Int = Measures.rankingMinimumCases
    public init() {}
}

/// Options of the *load* stage.
public struct LoadOptions: Sendable, Equatable {
    /// Documents committed per transaction.
    public var batchSize: Int = 64
    /// When a changed body may replace a stored report (`load.replace`).
    public var replace: ReplacementPolicy.Mode = .notWorse
    public init() {}
}
