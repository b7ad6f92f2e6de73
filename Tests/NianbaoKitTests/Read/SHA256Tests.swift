import XCTest
@testable import NianbaoKit

final class SHA256Tests: XCTestCase {
    func testKnownVectors() {
        XCTAssertEqual(SHA256.hex([]), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256.hex(Array("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        // A million 'a's crosses many blocks and the length padding.
        XCTAssertEqual(SHA256.hex([UInt8](repeating: 0x61, count: 1_000_000)),
                       "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
    /// Every length around the 64-byte blocks and the padding boundary (55/56 bytes), and a page-sized input,
    /// against coreutils' sha256sum: the digest does not depend on which implementation computes it.
    func testLengthsAroundBlockBoundariesMatchSha256sum() throws {
        let directory = temporaryDirectory()
        var lengths = Array(0...130)
        lengths += [183, 191, 192, 193, 1000, 4095, 4096, 4097, 95_311]
        var inputs: [(URL, [UInt8])] = []
        for length in lengths {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ length) }
            let url = directory.appendingPathComponent("input-\(length)")
            try Data(bytes).write(to: url)
            inputs.append((url, bytes))
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sha256sum"] + inputs.map(\.0.path)
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let expected = output.split(separator: "\n").map { String($0.prefix(64)) }
        XCTAssertEqual(expected.count, inputs.count)
        for ((url, bytes), digest) in zip(inputs, expected) { XCTAssertEqual(SHA256.hex(bytes), digest, url.lastPathComponent) }
    }
}
