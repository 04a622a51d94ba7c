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
            let statement = try cachedStatement(sql: Self.insertSQL(into: table, row: row, count: chunk.count))
            // Resets the statement and clears its bindings, and has GRDB take the ones made below as given.
            statement.setUncheckedArguments([])
            let sqliteStatement = statement.sqliteStatement
            // The chunk's text, copied once into one buffer that outlives the statement's run, is bound where it lies
            // (SQLITE_STATIC): binding each text for SQLite to copy cost a C string, a malloc and a free per value, a
            // tenth of the writer's time. The bindings are cleared before the buffer goes.
            var text: [UInt8] = []
            for values in rows[chunk] {
                for case .text(var value) in values { value.withUTF8 { text.append(contentsOf: $0) } }
            }
            text.append(0)  // never empty, so that the buffer has an address even when every text is ""
            try text.withUnsafeBufferPointer { buffer in
                defer { sqlite3_clear_bindings(sqliteStatement) }
                // The texts lie in the buffer in the order they are bound, each where the one before it ends.
                var next = UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self)
                var index: CInt = 0
                for values in rows[chunk] {
                    for value in values {
                        index += 1
                        let code: CInt
                        switch value {
                        case .text(let string):
                            let count = string.utf8.count
                            code = sqlite3_bind_text(sqliteStatement, index, next, CInt(count), nil)  // nil: SQLITE_STATIC
                            next += count
                        case .integer(let integer): code = sqlite3_bind_int64(sqliteStatement, index, integer)
                        case .null: code = sqlite3_bind_null(sqliteStatement, index)
                        }
                        guard code == SQLITE_OK else { throw DatabaseError(resultCode: ResultCode(rawValue: code), message: lastErrorMessage, sql: statement.sql) }
                    }
                }
                let parameters = sqlite3_bind_parameter_count(sqliteStatement)
                guard index == parameters else {
                    throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "\(index) values for \(parameters) parameters", sql: statement.sql)
                }
                try statement.execute()
            }
        }
    }

    /// `INSERT INTO table VALUES row, row, …` with `count` rows, written into one string of the right size.
    static func insertSQL(into table: String, row: String, count: Int) -> String {
        var sql = "INSERT INTO "
        sql.reserveCapacity(sql.utf8.count + table.utf8.count + 8 + (row.utf8.count + 2) * count)
        sql += table
        sql += " VALUES "
        for index in 0..<count {
            if index > 0 { sql += ", " }
            sql += row
        }
        return sql
    }

    /// `0..<count` cut into runs of powers of two up to 64, largest first: a batch of fewer than 128 rows takes one
    /// statement per bit of its size (22 rows: 16, 4 and 2; runs of 32, 8 or 1 took eight), and the statements take only
    /// seven shapes in the cache.
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
}
