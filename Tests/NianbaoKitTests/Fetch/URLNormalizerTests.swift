import XCTest
@testable import NianbaoKit

final class URLNormalizerTests: XCTestCase {
    func testSpellingsOfOnePageAreOne() {
        let spellings = [
            "http://www.pingtan.gov.cn/zwgk/年报/t20250310_97791.htm",
            "http://www.pingtan.gov.cn/zwgk/%E5%B9%B4%E6%8A%A5/t20250310_97791.htm",
            "http://www.pingtan.gov.cn/zwgk/%e5%b9%b4%e6%8a%a5/t20250310_97791.htm",
            "HTTP://WWW.PINGTAN.GOV.CN:80/zwgk/./年报/t20250310_97791.htm#table",
            "http://www.pingtan.gov.cn/zwgk/x/../年报/t20250310_97791.htm",
            " http://www.pingtan.gov.cn/zwgk/%E5%B9%B4%E6%8A%A5/t20250310_%39%37791.htm\n",
        ]
        XCTAssertEqual(Set(spellings.map(URLNormalizer.normalize)), ["http://www.pingtan.gov.cn/zwgk/%E5%B9%B4%E6%8A%A5/t20250310_97791.htm"])
    }

    func testIndexPagesPortsAndSchemes() {
        XCTAssertEqual(URLNormalizer.normalize("https://a.gov.cn:443/nb/index.html"), "https://a.gov.cn/nb/index.html")
        XCTAssertEqual(URLNormalizer.identity("https://a.gov.cn:443/nb/Index.jsp?page=2"), "a.gov.cn/nb/?page=2")
        XCTAssertEqual(URLNormalizer.identity("https://a.gov.cn/nb/index.html/x.html"), "a.gov.cn/nb/index.html/x.html")
        XCTAssertEqual(URLNormalizer.normalize("https://a.gov.cn/nb/"), "https://a.gov.cn/nb/")
        XCTAssertEqual(URLNormalizer.normalize("http://a.gov.cn"), "http://a.gov.cn/")
        XCTAssertEqual(URLNormalizer.normalize("http://a.gov.cn:8080/x"), "http://a.gov.cn:8080/x")
        XCTAssertEqual(URLNormalizer.identity("http://a.gov.cn/nb/"), URLNormalizer.identity("https://a.gov.cn/nb/index.html"))
        XCTAssertNotEqual(URLNormalizer.normalize("http://a.gov.cn/x"), URLNormalizer.normalize("https://a.gov.cn/x"))
        // Queries keep their order and delimiters; escapes there are made canonical too.
        XCTAssertEqual(URLNormalizer.normalize("http://a.gov.cn/list.jsp?id=3&name=年报"), "http://a.gov.cn/list.jsp?id=3&name=%E5%B9%B4%E6%8A%A5")
    }
}
