import CSQLite

/// A minimal SQLite connection: statements prepared once and bound by parameter, never by string.
///
/// ```swift
/// let db = try SQLiteConnection(path: "out/nianbao.sqlite")
/// try db.execute("PRAGMA journal_mode=WAL")
/// let insert = try db.prepare("INSERT INTO t(a) VALUES (?)")
/// try insert.run([.text("x")])
/// ```
public final class SQLiteConnection {
    public enum Value: Equatable {
        case null
        case integer(Int64)
        case real(Double)
        case text(String)
    }

    let handle: OpaquePointer
    public let path: String
    private var statements: [String: SQLiteStatement] = [:]

    /// Process-wide SQLite settings, applied once before the first connection opens (SQLite takes them only
    /// before it initializes): memory statistics off — each allocation would otherwise take a global mutex.
    private static let configured: Void = { _ = nianbao_sqlite_disable_memstatus() }()

    /// - Parameter create: make the file when it does not exist. Off where the database must already be there: an
    ///   empty database made at a path whose file was moved away would take the moved database's `-wal` file
    ///   left at the path for its own and delete it, with the moved database's last commits in it.
    public init(path: String, readOnly: Bool = false, create: Bool = true) throws {
        Self.configured
        var pointer: OpaquePointer?
        let flags = readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0))
        let status = sqlite3_open_v2(path, &pointer, flags | SQLITE_OPEN_NOMUTEX, nil)
        guard status == SQLITE_OK, let pointer else {
            let message = pointer.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite3_close(pointer)
            throw NianbaoError.database(path: path, message: message)
        }
        handle = pointer
        self.path = path
        sqlite3_busy_timeout(handle, 5000)
    }

    deinit { sqlite3_close_v2(handle) }

    public func execute(_ sql: String) throws {
        var error: UnsafeMutablePointer<CChar>?
        if sqlite3_exec(handle, sql, nil, nil, &error) != SQLITE_OK {
            let message = error.map { String(cString: $0) } ?? lastError
            sqlite3_free(error)
            throw NianbaoError.database(path: path, message: message)
        }
    }

    public func prepare(_ sql: String) throws -> SQLiteStatement {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw NianbaoError.database(path: path, message: "\(lastError) in \(sql)")
        }
        return SQLiteStatement(statement, connection: self)
    }

    /// A statement prepared once per connection and reused (the load stage's inserts).
    public func cached(_ sql: String) throws -> SQLiteStatement {
        if let statement = statements[sql] { return statement }
        let statement = try prepare(sql)
        statements[sql] = statement
        return statement
    }

    /// All rows of a query, for small reads (state at start, tests).
    public func query(_ sql: String, _ parameters: [Value] = []) throws -> [[Value]] {
        let statement = try prepare(sql)
        return try statement.rows(parameters)
    }

    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    var lastError: String { String(cString: sqlite3_errmsg(handle)) }

    /// Runs `body` in a transaction; inside another one, in a savepoint of it (a corrections file records its
    /// lines in one transaction, each line in its own savepoint).
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        if sqlite3_get_autocommit(handle) == 0 {
            try execute("SAVEPOINT nested")
            do {
                let result = try body()
                try execute("RELEASE nested")
                return result
            } catch {
                try? execute("ROLLBACK TO nested")
                try? execute("RELEASE nested")
                throw error
            }
        }
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }
}

/// A prepared statement, reset and re-bound for each use.
public final class SQLiteStatement {
    let handle: OpaquePointer
    unowned let connection: SQLiteConnection

    init(_ handle: OpaquePointer, connection: SQLiteConnection) {
        self.handle = handle
        self.connection = connection
    }

    deinit { sqlite3_finalize(handle) }

    /// The parameters of the current use, kept with the statement and reused (their buffers keep their capacity).
    private var parameters = Parameters()

    /// A statement's parameters, in order, as ``run(binding:)`` is given them: texts as ranges of one byte buffer.
    ///
    /// A value of its own, filled while the statement lends it out: appended to as properties of the statement (a class),
    /// every parameter went through Swift's run-time exclusivity checks, 5 % of the writer thread.
    struct Parameters {
        fileprivate var slots: [Slot] = []
        /// The UTF-8 of the texts, one after another.
        fileprivate var textBytes: [UInt8] = []

        fileprivate enum Slot {
            case null
            case integer(Int64)
            case real(Double)
            case text(offset: Int, count: Int)
        }

        mutating func bind(_ number: Int64) { slots.append(.integer(number)) }
        mutating func bind(_ number: Double?) { slots.append(number.map { .real($0) } ?? .null) }
        mutating func bind(_ text: String?) {
            guard let text else { slots.append(.null); return }
            let offset = textBytes.count
            textBytes.append(contentsOf: text.utf8)
            slots.append(.text(offset: offset, count: textBytes.count - offset))
        }

        fileprivate mutating func removeAll() {
            slots.removeAll(keepingCapacity: true)
            textBytes.removeAll(keepingCapacity: true)
        }
    }

    /// Runs a statement that returns no rows with the parameters `fill` gives one by one (``Parameters``'s `bind`):
    /// the writer's row of a cell, without an array of values built, its texts retained and released, for each.
    ///
    /// ```swift
    /// try insert.run { $0.bind(reportID); $0.bind(cell.row); $0.bind(cell.value) }
    /// ```
    func run(binding fill: (inout Parameters) -> Void) throws {
        try withParameters(fill) {
            let status = sqlite3_step(handle)
            guard status == SQLITE_DONE || status == SQLITE_ROW else {
                throw NianbaoError.database(path: connection.path, message: connection.lastError)
            }
        }
    }

    /// Binds `values`, runs `body` (the steps) and resets the statement.
    private func withBindings<T>(_ values: [SQLiteConnection.Value], _ body: () throws -> T) throws -> T {
        try withParameters({ parameters in
            for value in values {
                switch value {
                case .null: parameters.slots.append(.null)
                case let .integer(number): parameters.slots.append(.integer(number))
                case let .real(number): parameters.slots.append(.real(number))
                case let .text(text): parameters.bind(text)
                }
            }
        }, body)
    }

    /// Lends the statement's parameters out to `fill` (emptied, their buffers' capacity kept), binds them, runs `body`
    /// and resets the statement; the parameters come back to the statement, whose bound texts they hold.
    ///
    /// Text is bound without a copy by SQLite (`SQLITE_STATIC`): the texts' UTF-8 is laid end to end in one buffer the
    /// statement owns and reuses, and `body` steps inside the scope that lends its address. (Copied by SQLite —
    /// `SQLITE_TRANSIENT` — each text cost a malloc, a memcpy and a free; lent one string at a time by nested
    /// `withUTF8` scopes, the binding of a cell row was an eighth of the run's reference counting.) Text goes with its
    /// byte length: a NUL inside is stored, not a cut.
    private func withParameters<T>(_ fill: (inout Parameters) -> Void, _ body: () throws -> T) throws -> T {
        var lent = parameters
        parameters = Parameters()
        defer { parameters = lent }
        lent.removeAll()
        fill(&lent)
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        return try lent.textBytes.withUnsafeBufferPointer { bytes in
            for (index, slot) in lent.slots.enumerated() {
                let position = Int32(index + 1)
                let status: Int32
                switch slot {
                case .null: status = sqlite3_bind_null(handle, position)
                case let .integer(number): status = sqlite3_bind_int64(handle, position, number)
                case let .real(number): status = sqlite3_bind_double(handle, position, number)
                case let .text(offset, count):
                    // An empty text is bound from a static empty string (a buffer of no texts has no address).
                    let start = count == 0 ? UnsafeRawPointer(("" as StaticString).utf8Start) : UnsafeRawPointer(bytes.baseAddress! + offset)
                    status = sqlite3_bind_text(handle, position, start.assumingMemoryBound(to: CChar.self), Int32(count), nianbao_sqlite_static())
                }
                guard status == SQLITE_OK else { throw NianbaoError.database(path: connection.path, message: connection.lastError) }
            }
            defer { sqlite3_reset(handle) }
            return try body()
        }
    }

    /// Runs a statement that returns no rows.
    public func run(_ parameters: [SQLiteConnection.Value] = []) throws {
        try withBindings(parameters) {
            let status = sqlite3_step(handle)
            guard status == SQLITE_DONE || status == SQLITE_ROW else {
                throw NianbaoError.database(path: connection.path, message: connection.lastError)
            }
        }
    }

    public func rows(_ parameters: [SQLiteConnection.Value] = []) throws -> [[SQLiteConnection.Value]] {
        var result: [[SQLiteConnection.Value]] = []
        try forEachRow(parameters) { result.append($0) }
        return result
    }

    /// Steps through the rows one at a time, without holding them all in memory.
    public func forEachRow(_ parameters: [SQLiteConnection.Value] = [], _ body: ([SQLiteConnection.Value]) throws -> Void) throws {
        try withBindings(parameters) { try stepRows(body) }
    }

    private func stepRows(_ body: ([SQLiteConnection.Value]) throws -> Void) throws {
        while true {
            let status = sqlite3_step(handle)
            if status == SQLITE_DONE { break }
            guard status == SQLITE_ROW else { throw NianbaoError.database(path: connection.path, message: connection.lastError) }
            var row: [SQLiteConnection.Value] = []
            for column in 0..<sqlite3_column_count(handle) {
                switch sqlite3_column_type(handle, column) {
                case SQLITE_INTEGER: row.append(.integer(sqlite3_column_int64(handle, column)))
                case SQLITE_FLOAT: row.append(.real(sqlite3_column_double(handle, column)))
                case SQLITE_NULL: row.append(.null)
                default:
                    // Text first, then its length in bytes (SQLite's documented order); NULs inside are kept.
                    let text = sqlite3_column_text(handle, column)
                    let count = Int(sqlite3_column_bytes(handle, column))
                    row.append(.text(text.map { String(decoding: UnsafeBufferPointer(start: $0, count: count), as: UTF8.self) } ?? ""))
                }
            }
            try body(row)
        }
    }
}

extension SQLiteConnection.Value {
    public var text: String? { if case let .text(value) = self { return value } else { return nil } }
    public var integer: Int64? { if case let .integer(value) = self { return value } else { return nil } }
    public var real: Double? {
        switch self {
        case let .real(value): return value
        case let .integer(value): return Double(value)
        default: return nil
        }
    }

    init(_ string: String?) { self = string.map { .text($0) } ?? .null }
    init(_ number: Double?) { self = number.map { .real($0) } ?? .null }
    init(_ number: Int?) { self = number.map { .integer(Int64($0)) } ?? .null }
}
