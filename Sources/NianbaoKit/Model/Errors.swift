/// The stages of the pipeline, in the order they run. `read` takes local files and `fetch` takes URLs;
/// both hand a document to `decode`.
public enum StageName: String, Sendable, CaseIterable, Codable {
    case read, fetch, decode, extract, normalize, validate, load
}

/// A document could not go through a stage. The run records it in `failures` and goes on.
public struct StageFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public var stage: StageName
    public var reason: String

    public init(stage: StageName, reason: String) {
        self.stage = stage
        self.reason = reason
    }

    public var description: String { "\(stage.rawValue): \(reason)" }
}

/// Errors that stop a whole command (bad configuration, unusable database), as opposed to one document.
public enum NianbaoError: Error, Sendable, CustomStringConvertible {
    /// A bad key or value in the configuration; `key` is its path, e.g. `read.max_bytes`.
    case configuration(key: String, message: String)
    /// The database could not be opened, created or written.
    case database(path: String, message: String)
    /// Another run holds the database.
    case locked(path: String)
    /// The command would not do what was asked because it could not be done safely (exit 1).
    case refused(String)

    public var description: String {
        switch self {
        case let .configuration(key, message): return "configuration error at `\(key)`: \(message)"
        case let .database(path, message): return "database error in \(path): \(message)"
        case let .locked(path): return "another nianbao run is writing \(path); wait for it to end, or run with --wait"
        case let .refused(message): return message
        }
    }
}
