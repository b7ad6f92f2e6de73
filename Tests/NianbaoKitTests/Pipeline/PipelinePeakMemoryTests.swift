import XCTest
@testable import NianbaoKit

/// `peak_rss_kb` is read as the run ends, whichever way it ends.
final class PipelinePeakMemoryTests: XCTestCase {
    func testARunThatFailsStillReportsItsPeakMemory() throws {
        let directory = temporaryDirectory()
        try Data("not a folder".utf8).write(to: directory.appendingPathComponent("file"))
        var configuration = PipelineConfiguration(baseDirectory: directory)
        configuration.sources = [.path("inputs")]
        configuration.database = "file/db.sqlite"   // under a file: the run cannot start
        let pipeline = Pipeline(configuration: configuration)
        XCTAssertThrowsError(try pipeline.run())
        XCTAssertGreaterThan(pipeline.summary.peakResidentKB, 0)
    }

}
