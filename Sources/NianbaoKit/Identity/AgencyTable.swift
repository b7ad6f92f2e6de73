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
        内蒙古自治区	150000	province		内蒙古
        广西壮族自治区	450000	province		广西自治区|广西
        西藏自治区	540000	province		西藏
        宁夏回族自治区	640000	province		宁夏自治区|宁夏
        新疆维吾尔自治区	650000	province		新疆自治区|新疆
        """

    /// Departments' short names and their full names (one department printed two ways is one agency): the
    /// common abbreviations of government departments, each side as printed after the place.
    static let unitAliases = """
        short	full
        交通局	交通运输局
        市场监管局	市场监督管理局
        人社局	人力资源和社会保障局
        人力资源社会保障局	人力资源和社会保障局
        卫健委	卫生健康委员会
        卫健局	卫生健康局
        发改委	发展和改革委员会
        发展改革委	发展和改革委员会
        住建局	住房和城乡建设局
        文旅局	文化和旅游局
        文广旅局	文化广电和旅游局
        应急局	应急管理局
        医保局	医疗保障局
        退役军人局	退役军人事务局
        行政审批局	行政审批服务局
        政府办	政府办公室
        """
}
