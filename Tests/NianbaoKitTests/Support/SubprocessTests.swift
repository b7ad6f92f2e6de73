import XCTest
@testable import NianbaoKit

/// External converters run under a deadline, an output cap and the run's cancellation.
final class SubprocessTests: XCTestCase {
    func testOutputAndInputThroughPipes() throws {
        let output = try Subprocess.run("/bin/cat", [], input: Array("汉字 text".utf8), limits: .init(seconds: 10, maxOutput: 1000))
        XCTAssertEqual(String(decoding: output.stdout, as: UTF8.self), "汉字 text")
    }

    func testDeadlineKillsTheChild() {
        let started = Date()
        XCTAssertThrowsError(try Subprocess.run("/bin/sleep", ["30"], limits: .init(seconds: 0.5, maxOutput: 1000))) { error in
            XCTAssertEqual(error as? Subprocess.Failure, .timedOut(seconds: 0.5))
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 3)
    }

    func testOutputCapStopsTheChild() {
        XCTAssertThrowsError(try Subprocess.run("/bin/cat", ["/dev/zero"], limits: .init(seconds: 10, maxOutput: 1_000_000))) { error in
            XCTAssertEqual(error as? Subprocess.Failure, .outputTooLarge(limit: 1_000_000))
        }
    }

    func testCancellationStopsTheChildAtOnce() {
        let cancellation = Cancellation()
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) { cancellation.cancel() }
        let started = Date()
        XCTAssertThrowsError(try Subprocess.run("/bin/sleep", ["30"], limits: .init(seconds: 60, maxOutput: 10, cancellation: cancellation))) { error in
            XCTAssertTrue(error is CancelledError, "\(error)")
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 3)
    }

    func testMemoryLimitStopsAGreedyChild() throws {
        guard Subprocess.prlimit != nil else { throw XCTSkip("util-linux prlimit is not installed") }
        XCTAssertThrowsError(try Subprocess.run("/usr/bin/python3", ["-c", "x = bytearray(800_000_000); print(len(x))"],
                                                limits: .init(seconds: 30, maxOutput: 100, memoryBytes: 200 << 20)))
        let fine = try Subprocess.run("/usr/bin/python3", ["-c", "print(len(bytearray(10_000_000)))"],
                                      limits: .init(seconds: 30, maxOutput: 100, memoryBytes: 200 << 20))
        XCTAssertEqual(String(decoding: fine.stdout, as: UTF8.self), "10000000\n")
    }

    /// A child that exits without reading a large input must not kill us with SIGPIPE.
    func testChildThatIgnoresItsInputAndMissingExecutables() {
        XCTAssertThrowsError(try Subprocess.run("/bin/false", [], input: [UInt8](repeating: 65, count: 5_000_000),
                                                limits: .init(seconds: 10, maxOutput: 10))) { error in
            XCTAssertEqual(error as? Subprocess.Failure, .exited(status: 1, stderr: ""))
        }
        XCTAssertThrowsError(try Subprocess.run("nianbao-no-such-tool", [], limits: .init(seconds: 10, maxOutput: 10)))
    }
}
