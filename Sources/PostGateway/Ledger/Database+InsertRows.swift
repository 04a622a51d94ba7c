import GRDB

extension Database {
    /// Inserts rows with statements of 32, 8 or 1 rows each: three shapes per table in the statement cache, whatever
    /// the number of rows. SQLite pays for each statement (its program, its statement journal when the table has
    /// triggers, its end), so a statement of many rows costs a fraction of as many statements of one
    /// (`IntakeRows`). `table` names the columns; `row` is one row's values, `?` for each value given.
    func insertRows(_ rows: [[(any DatabaseValueConvertible)?]], into table: String, row: String) throws {
        var start = 0
        while start < rows.count {
            let size = Self.insertChunkSizes.first { $0 <= rows.count - start }!
            var arguments = StatementArguments()
            for values in rows[start..<(start + size)] { arguments += StatementArguments(values) }
            try cachedStatement(sql: "INSERT INTO \(table) VALUES \(Array(repeating: row, count: size).joined(separator: ", "))")
                .execute(arguments: arguments)
            start += size
        }
    }

    /// The sizes of the statements `insertRows` writes with, largest first, the last one 1.
    static let insertChunkSizes = [32, 8, 1]
}
