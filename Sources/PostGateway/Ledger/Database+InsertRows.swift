import GRDB
import GRDBSQLite

/// A value for `Database.insertRows`, bound straight to its statement's parameter.
enum RowValue {
    case text(String)
    case integer(Int64)
    case null

    init(_ text: String?) { self = text.map(RowValue.text) ?? .null }
    init(_ integer: Int64?) { self = integer.map(RowValue.integer) ?? .null }
    init(_ integer: Int) { self = .integer(Int64(integer)) }
}

extension Database {
    /// Inserts rows with statements of 64, 32, 16, 8, 4, 2 or 1 rows (`statementChunks`): seven shapes per table in the
    /// statement cache, whatever the number of rows. SQLite pays for each statement (its program, its statement journal
    /// and, when the table has triggers, a temporary table of the rows; its end), so a statement of many rows costs a
    /// fraction of as many statements of one (`IntakeRows`). `table` names the columns; `row` is one row's values, `?` for each value given.
    ///
    /// The values are bound with SQLite's own functions: GRDB's arguments (each value boxed, checked against the
    /// statement, turned into a `DatabaseValue`, then bound) were a sixth of the single writer's time once the rows
    /// went together. GRDB still runs the statement, so its transaction observers see what it does.
    func insertRows(_ rows: [[RowValue]], into table: String, row: String) throws {
        for chunk in Self.statementChunks(rows.count) {
            let statement = try cachedStatement(sql: "INSERT INTO \(table) VALUES \(Array(repeating: row, count: chunk.count).joined(separator: ", "))")
            // Resets the statement and clears its bindings, and has GRDB take the ones made below as given.
            statement.setUncheckedArguments([])
            var index: CInt = 0
            for values in rows[chunk] {
                for value in values {
                    index += 1
                    let code = switch value {
                    case .text(let text): sqlite3_bind_text(statement.sqliteStatement, index, text, -1, Self.transient)
                    case .integer(let integer): sqlite3_bind_int64(statement.sqliteStatement, index, integer)
                    case .null: sqlite3_bind_null(statement.sqliteStatement, index)
                    }
                    guard code == SQLITE_OK else { throw DatabaseError(resultCode: ResultCode(rawValue: code), message: lastErrorMessage, sql: statement.sql) }
                }
            }
            let parameters = sqlite3_bind_parameter_count(statement.sqliteStatement)
            guard index == parameters else {
                throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "\(index) values for \(parameters) parameters", sql: statement.sql)
            }
            try statement.execute()
        }
    }

    /// `0..<count` cut into runs of powers of two up to 64, largest first: a batch of fewer than 128 rows takes one
    /// statement per bit of its size (22 rows: 16, 4 and 2), and the statements take only seven shapes in the cache.
    /// Runs of 32, 8 or 1 took eight statements for those 22 rows, and the statements' own cost was then a fifth of the
    /// writer's time for an intake.
    static func statementChunks(_ count: Int) -> [Range<Int>] {
        var chunks: [Range<Int>] = []
        var start = 0
        while start < count {
            let size = [64, 32, 16, 8, 4, 2, 1].first { $0 <= count - start }!
            chunks.append(start..<(start + size))
            start += size
        }
        return chunks
    }

    /// SQLite copies the text before the bind returns (the Swift string's C form lives only for the call).
    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
}
