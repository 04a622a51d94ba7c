import Foundation
import GRDB
import GRDBSQLite

/// Steps a prepared statement and hands out its current row, read by column position with SQLite's own accessors.
///
/// It is what `Row.fetchCursor` does, without the `Row` that indexes every column's name each time a cursor is
/// made: for the reads made on almost every request (a first tracking lookup, a token check) that index showed in
/// the profiles. Like any GRDB cursor it is valid only inside its database access, and a row only until the next.
final class ColumnCursor: DatabaseCursor {
    typealias Element = Columns

    /// The current row of the statement. It keeps its cursor alive: a cursor that went away would reset the
    /// statement under it (`deinit`), and Swift may release a cursor right after its last `next()`.
    struct Columns {
        let cursor: ColumnCursor
        var sqliteStatement: SQLiteStatement { cursor._statement.sqliteStatement }

        func isNull(_ index: CInt) -> Bool { sqlite3_column_type(sqliteStatement, index) == SQLITE_NULL }
        func int64(_ index: CInt) -> Int64 { Int64(sqliteStatement: sqliteStatement, index: index) }
        func string(_ index: CInt) -> String { String(sqliteStatement: sqliteStatement, index: index) }
        func optionalInt(_ index: CInt) -> Int? { isNull(index) ? nil : Int(sqliteStatement: sqliteStatement, index: index) }
        func optionalString(_ index: CInt) -> String? { isNull(index) ? nil : string(index) }

        /// An instant as the ledger writes it (`LedgerTime`); a column that holds none is a broken ledger.
        func date(_ index: CInt) throws -> Date {
            if sqlite3_column_type(sqliteStatement, index) == SQLITE_TEXT, let text = sqlite3_column_text(sqliteStatement, index),
               let date = LedgerTime.date(utf8: UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(sqliteStatement, index)))) {
                return date
            }
            guard let date = Date(sqliteStatement: sqliteStatement, index: index) else {
                throw DatabaseError(resultCode: .SQLITE_MISMATCH, message: "column \(index) does not hold a date")
            }
            return date
        }
    }

    let _statement: Statement
    var _isDone = false

    /// Binds `arguments` (which resets the statement) and starts before its first row.
    init(_ statement: Statement, arguments: StatementArguments) throws {
        try statement.setArguments(arguments)
        _statement = statement
    }

    deinit {
        // A cursor left before its last row would keep its read snapshot open until the statement is reused.
        sqlite3_reset(_statement.sqliteStatement)
    }

    func _element(sqliteStatement: SQLiteStatement) -> Columns { Columns(cursor: self) }
}
