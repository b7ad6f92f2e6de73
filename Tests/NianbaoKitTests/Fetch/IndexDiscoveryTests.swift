import XCTest
@testable import NianbaoKit

/// The parts of index discovery and attachment choice that need no server (the whole path is ReportColumnTests).
final class IndexDiscoveryTests: XCTestCase {
    func testPaginationWords() {
        for text in ["下一页", " [下一页] ", "尾页", "2", "第3页", "Next", "»"] { XCTAssertTrue(IndexDiscovery.isPagination(text), text) }
        for text in ["2023年度报告", "12345", "第三季度报告", ""] { XCTAssertFalse(IndexDiscovery.isPagination(text), text) }
    }

    func testCreatePageHTMLListsEveryPage() {
        let page = URL(string: "http://www.a.gov.cn/zwgk/nb/index.html")!
        let body = Array(#"<div><script>createPageHTML(4, 0, "index", "shtml");</script></div>"#.utf8)
        XCTAssertEqual(IndexDiscovery.scriptPages(in: body, of: page), [
            "http://www.a.gov.cn/zwgk/nb/index.shtml", "http://www.a.gov.cn/zwgk/nb/index_1.shtml",
            "http://www.a.gov.cn/zwgk/nb/index_2.shtml", "http://www.a.gov.cn/zwgk/nb/index_3.shtml",
        ])
        XCTAssertEqual(IndexDiscovery.scriptPages(in: Array("createPageHTML('2','1','list','htm')".utf8), of: page),
                       ["http://www.a.gov.cn/zwgk/nb/list.htm", "http://www.a.gov.cn/zwgk/nb/list_1.htm"])
        XCTAssertEqual(IndexDiscovery.scriptPages(in: Array("<p>no script</p>".utf8), of: page), [])
    }

    func testRegistrableDomains() {
        XCTAssertEqual(IndexDiscovery.registrableDomain("www.pingtan.gov.cn"), "pingtan.gov.cn")
        XCTAssertEqual(IndexDiscovery.registrableDomain("xxgk.pingtan.gov.cn"), "pingtan.gov.cn")
        XCTAssertEqual(IndexDiscovery.registrableDomain("gov.cn"), "gov.cn")
        XCTAssertEqual(IndexDiscovery.registrableDomain("news.example.com"), "example.com")
    }

    func testTheLikeliestAttachmentComesFirst() throws {
        let page = """
            <p><a href="/files/guide.pdf">办事指南</a> <a href="/img/logo.png">logo</a>
            <a href="mailto:x@a.gov.cn">邮箱</a> <a href="ftp://a.gov.cn/x.doc">ftp</a>
            附件：<a href="/files/附件1.docx">附件1</a>
            <a href="/files/2023nb.wps" title="2023年政府信息公开工作年度报告">2023年...</a>
            <a href="/files/guide.pdf">again</a></p>
            """
        let pattern = try NSRegularExpression(pattern: "年度报告|年报")
        XCTAssertEqual(DocumentProcessor.attachments(of: Array(page.utf8), at: URL(string: "http://a.gov.cn/art/1.html")!, pattern: pattern), [
            "http://a.gov.cn/files/2023nb.wps", "http://a.gov.cn/files/%E9%99%84%E4%BB%B61.docx", "http://a.gov.cn/files/guide.pdf",
        ])
    }
}
