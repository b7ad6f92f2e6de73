import XCTest
@testable import NianbaoKit

/// Four shard processes over the same inputs, merged, equal one unsharded run.
final class ShardMergeTests: XCTestCase {
    func testShardedRunsMergeToTheSameDatabase() throws {
        _ = try Paths.requireBinary()
        let directory = Paths.temporary()
        let inputs = directory.appendingPathComponent("inputs")
        try FileManager.default.copyItem(at: Paths.samples, to: inputs)
        if FileManager.default.fileExists(atPath: Paths.corpus.path) {
            for name in try FileManager.default.contentsOfDirectory(atPath: Paths.corpus.path) where !name.hasSuffix(".pdf") {
                try FileManager.default.copyItem(at: Paths.corpus.appendingPathComponent(name), to: inputs.appendingPathComponent(name))
            }
        }
        let config = directory.appendingPathComponent("pipeline.json")
        try Data(#"{"sources": [{"path": "inputs"}], "database": "out/single.sqlite", "workers": 1}"#.utf8).write(to: config)

        // Four shards at once, as a job array would start them.
        let processes = try (0..<4).map { index -> Process in
            let process = Process()
            process.executableURL = Paths.binary
            process.arguments = ["run", "--config", config.path, "--quiet", "--database", "out/shard-\(index).sqlite"]
            process.environment = ["JOB_COMPLETION_INDEX": "\(index)", "NIANBAO_SHARD_COUNT": "4"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            return process
        }
        for process in processes {
            process.waitUntilExit()
            XCTAssertEqual(process.terminationStatus, 0)
        }
        XCTAssertEqual(try Paths.run(["run", "--config", config.path, "--quiet"]).status, 0)
        let out = directory.appendingPathComponent("out")
        let shards = (0..<4).map { out.appendingPathComponent("shard-\($0).sqlite").path }
        let merged = out.appendingPathComponent("merged.sqlite").path
        let first = try Paths.run(["merge", "--into", merged] + shards)
        XCTAssertEqual(first.status, 0, first.err)

        let single = out.appendingPathComponent("single.sqlite").path
        let differences = try compare(merged, single)
        XCTAssertEqual(differences, [0, 0, 0, 0, 0, 0], "rows in one database and not the other: reports, cells, findings (both ways)")
        let counts = try rowCounts(merged)
        XCTAssertGreaterThan(counts[1], 1500)
        // The shards really split the work.
        for shard in shards { XCTAssertLessThan(try rowCounts(shard)[0], counts[0]) }

        // Merging again changes nothing.
        XCTAssertEqual(try Paths.run(["merge", "--into", merged] + shards).status, 0)
        XCTAssertEqual(try rowCounts(merged), counts)
        XCTAssertEqual(try compare(merged, single), [0, 0, 0, 0, 0, 0])
    }

    /// `merge --into M B A` with A older than B used to roll B's newer figures back.
    func testNewerVersionWinsWhateverTheOrderAndMergesTakeTheLock() throws {
        _ = try Paths.requireBinary()
        let directory = Paths.temporary()
        let inputs = directory.appendingPathComponent("inputs")
        try FileManager.default.createDirectory(at: inputs, withIntermediateDirectories: true)
        let file = inputs.appendingPathComponent("qinghe.html")
        let original = try String(contentsOf: Paths.samples.appendingPathComponent("qinghe_county_2019.html"), encoding: .utf8)
        try original.write(to: file, atomically: true, encoding: .utf8)
        let config = directory.appendingPathComponent("pipeline.json")
        try Data(#"{"sources": [{"path": "inputs"}], "database": "older.sqlite"}"#.utf8).write(to: config)
        XCTAssertEqual(try Paths.run(["run", "--config", config.path, "--quiet"]).status, 0)
        sleep(1)   // timestamps have one-second resolution
        let revised = try XCTUnwrap(NightlyRunTests.replacingAppealsReview(in: original))
        try revised.write(to: file, atomically: true, encoding: .utf8)
        XCTAssertEqual(try Paths.run(["run", "--config", config.path, "--quiet", "--database", directory.appendingPathComponent("newer.sqlite").path]).status, 0)
        let older = directory.appendingPathComponent("older.sqlite").path, newer = directory.appendingPathComponent("newer.sqlite").path
        func upheld(_ database: String) throws -> Double? {
            try SQLiteConnection(path: database).query("""
                SELECT value FROM cells WHERE table_code = 'appeals' AND row_code = 'review' AND col_code = 'upheld'
                """).first?.first?.real
        }
        let newValue = try upheld(newer)
        XCTAssertNotEqual(try upheld(older), newValue)
        for (name, order) in [("a.sqlite", [newer, older]), ("b.sqlite", [older, newer])] {
            let merged = directory.appendingPathComponent(name).path
            let result = try Paths.run(["merge", "--into", merged] + order)
            XCTAssertEqual(result.status, 0, result.err)
            XCTAssertEqual(try upheld(merged), newValue, "merge order \(order)")
            let connection = try SQLiteConnection(path: merged)
            XCTAssertEqual(try connection.query("SELECT count(*) FROM reports").first?.first?.integer, 1)
            if order.first == older {
                XCTAssertTrue(result.out.contains("replaced: "), result.out)
                XCTAssertEqual(try connection.query("SELECT count(*) FROM report_versions WHERE reason = 'merged'").first?.first?.integer, 1)
            }
        }
        // A merge into a database a run holds is refused (exit 3); queued merges (--wait) all succeed.
        let target = directory.appendingPathComponent("c.sqlite").path
        do {
            let held = try RunLock(database: target, wait: false)
            XCTAssertEqual(try Paths.run(["merge", "--into", target, older]).status, 3)
            withExtendedLifetime(held) {}
        }
        let merges = try (0..<6).map { index -> Process in
            let process = Process()
            process.executableURL = Paths.binary
            process.arguments = ["merge", "--wait", "--into", target, index % 2 == 0 ? older : newer]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            return process
        }
        for process in merges {
            process.waitUntilExit()
            XCTAssertEqual(process.terminationStatus, 0)
        }
        XCTAssertEqual(try SQLiteConnection(path: target).query("PRAGMA foreign_key_check").count, 0)
    }

    /// A newer shard in which the document failed, or read worse, used to delete or replace the stored report.
    func testMergeKeepsTheLastGoodReportWhateverTheOrder() throws {
        _ = try Paths.requireBinary()
        let directory = Paths.temporary()
        let inputs = directory.appendingPathComponent("inputs")
        try FileManager.default.createDirectory(at: inputs, withIntermediateDirectories: true)
        let file = inputs.appendingPathComponent("r.html")
        let full = try String(contentsOf: Paths.samples.appendingPathComponent("linchuan_transport_2021.html"), encoding: .utf8)
        let config = directory.appendingPathComponent("pipeline.json")
        try Data(#"{"sources": [{"path": "inputs"}], "database": "good.sqlite"}"#.utf8).write(to: config)
        try full.write(to: file, atomically: true, encoding: .utf8)
        XCTAssertEqual(try Paths.run(["run", "--config", config.path, "--quiet"]).status, 0)
        let good = directory.appendingPathComponent("good.sqlite").path
        // Newer shards (fresh databases): one saw garbage, one saw the page without table 四.
        try Data([0, 1, 2, 3, 0xFF]).write(to: file)
        let failed = directory.appendingPathComponent("failed.sqlite").path
        XCTAssertEqual(try Paths.run(["run", "--config", config.path, "--quiet", "--database", failed]).status, 1)
        let cut = try XCTUnwrap(full.range(of: "四、政府信息公开行政复议"))
        try (String(full[..<cut.lowerBound]) + "</div></body></html>").write(to: file, atomically: true, encoding: .utf8)
        let worse = directory.appendingPathComponent("worse.sqlite").path
        XCTAssertEqual(try Paths.run(["run", "--config", config.path, "--quiet", "--database", worse]).status, 0)
        func figures(_ database: String) throws -> [String] {
            try SQLiteConnection(path: database).query("SELECT table_code, row_code, col_code, value FROM canonical_cells ORDER BY 1, 2, 3").map { "\($0)" }
        }
        let expected = try figures(good)
        XCTAssertGreaterThan(expected.count, 150)
        for newer in [failed, worse] {
            for order in [[good, newer], [newer, good]] {
                let merged = directory.appendingPathComponent("m-\(UUID().uuidString).sqlite").path
                let result = try Paths.run(["merge", "--into", merged] + order)
                XCTAssertEqual(result.status, 0, result.err)
                XCTAssertEqual(try figures(merged), expected, "\(order.map { ($0 as NSString).lastPathComponent })")
                XCTAssertEqual(try SQLiteConnection(path: merged).query("SELECT stale FROM reports").first?.first?.integer, 1)
            }
        }
    }

    func rowCounts(_ path: String) throws -> [Int64] {
        let connection = try SQLiteConnection(path: path)
        return try ["reports", "cells", "findings", "runs", "documents"].map {
            try connection.query("SELECT count(*) FROM \($0)").first?.first?.integer ?? -1
        }
    }

    /// Counts of rows of A not in B and of B not in A, compared by content (ids differ between databases).
    func compare(_ a: String, _ b: String) throws -> [Int64] {
        let connection = try SQLiteConnection(path: a)
        try connection.prepare("ATTACH DATABASE ? AS other").run([.text(b)])
        func contents(_ schema: String) -> [String] {
            [
                "SELECT agency, year, title, source, sha256, encoding, active_format, requests_format, appeals_format, unsupported_format FROM \(schema).reports",
                "SELECT r.source, c.table_code, c.row_code, c.col_code, c.value, c.state, c.raw, c.flags FROM \(schema).cells c JOIN \(schema).reports r ON r.id = c.report_id",
                "SELECT r.source, f.rule, f.severity, f.table_code, f.row_code, f.col_code, f.expected, f.actual, f.message FROM \(schema).findings f JOIN \(schema).reports r ON r.id = f.report_id",
            ]
        }
        var result: [Int64] = []
        for (mine, theirs) in zip(contents("main"), contents("other")) {
            for (left, right) in [(mine, theirs), (theirs, mine)] {
                result.append(try connection.query("SELECT count(*) FROM (\(left) EXCEPT \(right))").first?.first?.integer ?? -1)
            }
        }
        return result
    }
}

/// The deployment manifests parse and carry the fields a job-array engine needs.
final class DeployManifestTests: XCTestCase {
    func testKubernetesAndSlurmFiles() throws {
        let check = """
            import sys, yaml
            backfill = list(yaml.safe_load_all(open(sys.argv[1])))
            merge = list(yaml.safe_load_all(open(sys.argv[2])))
            kinds = [d["kind"] for d in backfill]
            assert kinds == ["ConfigMap", "Job"], kinds
            job = backfill[1]
            assert job["apiVersion"] == "batch/v1"
            spec = job["spec"]
            assert spec["completionMode"] == "Indexed"
            n = spec["completions"]
            container = spec["template"]["spec"]["containers"][0]
            env = {e["name"]: e["value"] for e in container["env"]}
            assert env["NIANBAO_SHARD_COUNT"] == str(n), (env, n)
            assert "JOB_COMPLETION_INDEX" in " ".join(container["args"])
            assert any(m["mountPath"] == "/data" for m in container["volumeMounts"])
            assert spec["template"]["spec"]["restartPolicy"] in ("OnFailure", "Never")
            import json
            json.loads(backfill[0]["data"]["pipeline.json"])
            assert merge[0]["kind"] == "Job"
            assert "nianbao merge --into" in " ".join(merge[0]["spec"]["template"]["spec"]["containers"][0]["args"])
            print("ok")
            """
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let deploy = Paths.packageRoot.appendingPathComponent("deploy")
        python.arguments = ["python3", "-c", check, deploy.appendingPathComponent("kubernetes-backfill.yaml").path,
                            deploy.appendingPathComponent("kubernetes-merge.yaml").path]
        let output = Pipe()
        python.standardOutput = output
        python.standardError = output
        try python.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        python.waitUntilExit()
        if text.contains("No module named 'yaml'") { throw XCTSkip("PyYAML is not installed") }
        XCTAssertEqual(python.terminationStatus, 0, text)

        let bash = Process()
        bash.executableURL = URL(fileURLWithPath: "/bin/bash")
        bash.arguments = ["-n", deploy.appendingPathComponent("slurm-backfill.sh").path]
        try bash.run()
        bash.waitUntilExit()
        XCTAssertEqual(bash.terminationStatus, 0)
        let script = try String(contentsOf: deploy.appendingPathComponent("slurm-backfill.sh"), encoding: .utf8)
        XCTAssertTrue(script.contains("#SBATCH --array="))
        XCTAssertTrue(script.contains("--shard"))
        XCTAssertTrue(script.contains("nianbao merge --into"))
    }
}
