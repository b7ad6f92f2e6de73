import Foundation

/// One shard `K/N` of a run split over N processes (a Kubernetes Indexed Job, a Slurm job array).
///
/// Every shard expands the sources identically; a source belongs to shard K when the first eight bytes of
/// the SHA-256 of its identity (path or URL as listed), read as a number, are K modulo N — stable across
/// machines, runs and orderings.
///
/// ```swift
/// try Shard(parsing: "2/8").contains("samples/a.html")
/// ```
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    public let index: Int
    public let count: Int

    public init(index: Int, count: Int) throws {
        guard count >= 1, (0..<count).contains(index) else {
            throw NianbaoError.configuration(key: "--shard", message: "shard \(index)/\(count): K must be in 0..<N and N ≥ 1")
        }
        self.index = index
        self.count = count
    }

    /// "K/N", e.g. "0/4".
    public init(parsing text: String) throws {
        let parts = text.split(separator: "/").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 2, let index = parts[0], let count = parts[1] else {
            throw NianbaoError.configuration(key: "--shard", message: "expected K/N, e.g. 0/4, not \(text)")
        }
        try self.init(index: index, count: count)
    }

    /// The shard named by the environment of a job-array engine, if any: `NIANBAO_SHARD=K/N`, or the index
    /// from `JOB_COMPLETION_INDEX` (Kubernetes) or `SLURM_ARRAY_TASK_ID` (Slurm, minus `SLURM_ARRAY_TASK_MIN`)
    /// with the count from `NIANBAO_SHARD_COUNT` or `SLURM_ARRAY_TASK_COUNT`.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Shard? {
        if let text = environment["NIANBAO_SHARD"] { return try Shard(parsing: text) }
        let countText = environment["NIANBAO_SHARD_COUNT"] ?? environment["SLURM_ARRAY_TASK_COUNT"]
        if let indexText = environment["JOB_COMPLETION_INDEX"], let countText {
            return try Shard(parsing: "\(indexText)/\(countText)")
        }
        if let indexText = environment["SLURM_ARRAY_TASK_ID"], let countText, let task = Int(indexText) {
            let minimum = environment["SLURM_ARRAY_TASK_MIN"].flatMap(Int.init) ?? 0
            return try Shard(parsing: "\(task - minimum)/\(countText)")
        }
        return nil
    }

    public func contains(_ source: String) -> Bool {
        let digest = SHA256.digest(Array(source.utf8))
        let number = digest.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return number % UInt64(count) == UInt64(index)
    }

    public var description: String { "\(index)/\(count)" }
}
