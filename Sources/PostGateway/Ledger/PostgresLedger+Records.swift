import GRDB
import PostgresNIO

/// The ledger's record types on PostgreSQL: a record is written with the columns and values its GRDB encoding gives
/// (`databaseDictionary`), and read back through a GRDB `Row` made of the PostgreSQL row, so that one record type per
/// table serves both backends and a value is stored as the same text or integer on either.
extension PostgresLedger {
    /// `body`'s reads in one snapshot: a read-only repeatable-read transaction.
    func inSnapshot<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await client.withTransaction(logger: logger) { connection in
            // The transaction's first statement: its reads see one snapshot.
            try await connection.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY", logger: logger)
            return try await body(connection)
        }
    }

    /// A transaction that may write `audit`'s entry (`AuditSlot.append(outcome:at:on:logger:)`): once it has
    /// committed, the slot knows, as GRDB tells it on SQLite, so that `AuditMiddleware` does not write the entry again.
    func withTransaction<T: Sendable>(audit: AuditSlot?, _ body: (PostgresConnection) async throws -> T) async throws -> T {
        let result = try await client.withTransaction(logger: logger) { connection in try await body(connection) }
        audit?.transactionCommitted()
        return result
    }

    /// Inserts the record; answers the id PostgreSQL gave it when the record had none.
    @discardableResult
    static func insert(_ record: some EncodableRecord & TableRecord, on connection: PostgresConnection, logger: Logger) async throws -> Int64? {
        var columns: [String] = []
        var bindings = PostgresBindings()
        var assignsId = false
        for (column, value) in try record.databaseDictionary.sorted(by: { $0.key < $1.key }) {
            // A new row's id is the identity's to give.
            if column == "id" && value.isNull {
                assignsId = true
                continue
            }
            columns.append(column)
            try bind(value, into: &bindings, column: column)
        }
        let placeholders = (1...columns.count).map { "$\($0)" }.joined(separator: ", ")
        let returning = assignsId ? " RETURNING id" : ""
        let rows = try await connection.query(
            PostgresQuery(
                unsafeSQL:
                    "INSERT INTO \(type(of: record).databaseTableName) (\(columns.joined(separator: ", "))) VALUES (\(placeholders))\(returning)",
                binds: bindings), logger: logger)
        var id: Int64?
        for try await value in rows.decode(Int64.self) { id = value }
        return id
    }

    /// Writes the record's `columns`, as GRDB's `update(_:columns:)` does, to its row (by id).
    static func update(
        _ record: some EncodableRecord & TableRecord, columns: [String], on connection: PostgresConnection, logger: Logger
    ) async throws {
        let values = try record.databaseDictionary
        var bindings = PostgresBindings()
        for column in columns + ["id"] {
            guard let value = values[column] else { throw NoSuchColumn(table: type(of: record).databaseTableName, column: column) }
            try bind(value, into: &bindings, column: column)
        }
        let assignments = columns.enumerated().map { "\($1) = $\($0 + 1)" }.joined(separator: ", ")
        try await connection.query(
            PostgresQuery(
                unsafeSQL: "UPDATE \(type(of: record).databaseTableName) SET \(assignments) WHERE id = $\(columns.count + 1)", binds: bindings),
            logger: logger)
    }

    /// The first row a query answers, as a record.
    static func fetchOne<Record: FetchableRecord>(_ type: Record.Type, _ query: PostgresQuery, on connection: PostgresConnection, logger: Logger)
        async throws -> Record?
    {
        for try await row in try await connection.query(query, logger: logger) { return try Record(row: grdbRow(row)) }
        return nil
    }

    /// Every row a query answers, as records.
    static func fetchAll<Record: FetchableRecord>(_ type: Record.Type, _ query: PostgresQuery, on connection: PostgresConnection, logger: Logger)
        async throws -> [Record]
    {
        var records: [Record] = []
        for try await row in try await connection.query(query, logger: logger) { records.append(try Record(row: grdbRow(row))) }
        return records
    }

    /// Whether a query answers any row, on the pool.
    func exists(_ query: PostgresQuery) async throws -> Bool {
        for try await _ in try await client.query(query, logger: logger) { return true }
        return false
    }

    /// Whether a query answers any row, on `connection`.
    static func exists(_ query: PostgresQuery, on connection: PostgresConnection, logger: Logger) async throws -> Bool {
        for try await _ in try await connection.query(query, logger: logger) { return true }
        return false
    }

    /// Binds for a query said with `$n` placeholders (one statement text for several uses, or built around a fragment
    /// of the SQLite method's): values as the ledger stores them, in order.
    static func binds(_ values: (any DatabaseValueConvertible)?...) throws -> PostgresBindings { try binds(values) }

    static func binds(_ values: [(any DatabaseValueConvertible)?]) throws -> PostgresBindings {
        var bindings = PostgresBindings()
        for (index, value) in values.enumerated() { try bind(value?.databaseValue ?? .null, into: &bindings, column: "$\(index + 1)") }
        return bindings
    }

    /// A value as the ledger stores it: NULL, a 64-bit integer or text (the schema has no REAL or BLOB column).
    static func bind(_ value: DatabaseValue, into bindings: inout PostgresBindings, column: String) throws {
        switch value.storage {
        case .null: bindings.appendNull()
        case .int64(let integer): bindings.append(Int(integer))
        case .string(let text): bindings.append(text)
        case .double, .blob: throw UnstorableValue(column: column)
        }
    }

    struct NoSuchColumn: Error, CustomStringConvertible {
        let table: String
        let column: String
        var description: String { "\(table) has no column \(column)" }
    }

    struct UnstorableValue: Error, CustomStringConvertible {
        let column: String
        var description: String { "\(column) holds a value the ledger never writes (a real or a blob)" }
    }

    /// The PostgreSQL row as a GRDB row, for a record's `init(row:)` (whose column lookups ignore case, as PostgreSQL
    /// folds the schema's names to lower case).
    static func grdbRow(_ row: PostgresRow) throws -> Row {
        var values: [(String, (any DatabaseValueConvertible)?)] = []
        for cell in row {
            switch cell.dataType {
            case _ where cell.bytes == nil: values.append((cell.columnName, nil))
            case .int8, .int4, .int2: values.append((cell.columnName, try cell.decode(Int64.self)))
            case .bool: values.append((cell.columnName, try cell.decode(Bool.self)))
            default: values.append((cell.columnName, try cell.decode(String.self)))
            }
        }
        return Row(Dictionary(values, uniquingKeysWith: { first, _ in first }))
    }
}
