/// Recognizes the headings of the six sections (一、总体情况 … 六、其他需要报告的事项).
///
/// A heading is a short line that starts with its Chinese numeral and 、 (or is a markdown heading) and
/// names its section. Rows of table 三 such as "四、结转下年度继续办理" start the same way but name no
/// section, so they are not mistaken for headings.
public enum SectionHeadings {
    /// The section number 1…6 that `line` opens, or nil.
    public static func sectionNumber(of line: String) -> Int? {
        let stripped = LabelFolding.stripMarkers(line.drop { $0 == "#" || $0 == " " }.description)
        guard case let .chinese(number)? = stripped.markers.first, (1...6).contains(number) else { return nil }
        let body = LabelFolding.fold(stripped.body)
        guard !body.isEmpty, body.count <= 30 else { return nil }
        guard let section = TemplateSchema.sections.first(where: { $0.number == number }) else { return nil }
        return section.keys.contains { body.contains($0) } ? number : nil
    }
}
