/// Agencies the division list does not name the way reports print them, and known misprints, as data.
///
/// Columns (tab-separated): the canonical name, its division code (or empty), level (`province`, `city`,
/// `county`, `township`, `department`, `other`), parent division code, and aliases separated by `|` — other
/// spellings, OCR confusions and typos seen in published reports. A `pipeline.json` registry file in the same
/// format adds entries or overrides these (``AgencyRegistry``).
///
/// Sources of the facts: 平潭综合实验区 administers 平潭县 (code 350128 in the national list); 沐阳县 is an OCR
/// reading of 沭阳县 (沭 and 沐 differ by one stroke) seen in a PDF→markdown conversion of its 2025 report.
enum AgencyTable {
    static let tsv = """
        name	code	level	parent	aliases
        平潭综合实验区	350128	county	350100	平潭综合实验区管委会|平潭综合实验区党工委管委会|平潭综合实验区管理委员会|平潭综合试验区
        沭阳县	321322	county	321300	沐阳县
        """
}
