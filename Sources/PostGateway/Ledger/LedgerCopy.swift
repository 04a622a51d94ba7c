import Crypto
import GRDB
import Logging
import PostgresNIO

/// `postgateway ledger copy`: a live SQLite ledger into an empty PostgreSQL one, so that a province that started
/// embedded can move to a shared database.
///
/// The SQLite side is read from one snapshot, so the gateway may go on writing while it runs: what it writes after the
/// snapshot is not copied, which is why the move ends with the gateway stopped and a last copy onto a fresh database.
/// The PostgreSQL side is written in one transaction, so a copy that fails leaves the target as empty as it was.
/// Then both sides are compared: the rows of each table, a digest of each table's content in key order, and the audit
/// chain, walked again on PostgreSQL.
struct LedgerCopy {
    struct Table: Sendable {
        let name: String
        /// Each column with whether SQLite declares it INTEGER (a BIGINT on PostgreSQL) or text.
        let columns: [(name: String, isInteger: Bool)]
        /// The primary key's columns, which order the digest.
        let key: [String]
        let hasRowid: Bool
        let parents: Set<String>

        /// Every row, in the key's order: what the digest of each side reads.
        var inKeyOrder: String {
            "SELECT \(columns.map(\.name).joined(separator: ", ")) FROM \(name) ORDER BY \(key.joined(separator: ", "))"
        }
    }

    struct Report: Sendable {
        let rows: [(table: String, count: Int)]
        let audit: AppDatabase.AuditVerification
    }

    struct Refused: Error, CustomStringConvertible {
        let description: String
    }

    let source: DatabaseSnapshot
    let target: PostgresLedger
    let logger: Logger

    /// Rows a page carries: a statement takes at most 65,535 parameters.
    private static let parametersPerStatement = 30_000

    func run() async throws -> Report {
        try await target.migrate()
        let tables = try await source.read { db in try Self.tables(db) }
        do {
            try await write(tables)
        } catch let error as PostgresTransactionError {
            // What went wrong inside, rather than the transaction's wrapping of it (it was rolled back).
            throw error.closureError ?? error
        }
        return try await verify(tables)
    }

    private func write(_ tables: [Table]) async throws {
        try await target.client.withTransaction(logger: logger) { connection in
            for table in tables {
                try await refuseUnlessEmpty(table, on: connection)
                // The rows as SQLite holds them: the triggers already did their work there (a hand-over time, a finish),
                // and the append-only ones guard against changes, which a copy makes none of. Back on at the end of
                // the transaction, or never off if it fails.
                try await connection.query(PostgresQuery(unsafeSQL: "ALTER TABLE \(table.name) DISABLE TRIGGER USER"), logger: logger)
                try await copy(table, on: connection)
                try await connection.query(PostgresQuery(unsafeSQL: "ALTER TABLE \(table.name) ENABLE TRIGGER USER"), logger: logger)
            }
            // The next id each identity gives out follows the copied ones, as SQLite's AUTOINCREMENT would (a table
            // without an identity, the audit log's, has no sequence: setval of NULL does nothing).
            for table in tables where table.columns.contains(where: { $0.name == "id" }) {
                try await connection.query(
                    PostgresQuery(
                        unsafeSQL: """
                            SELECT setval(pg_get_serial_sequence('\(table.name.lowercased())', 'id'), (SELECT coalesce(max(id), 0) + 1 FROM \(table.name)), false)
                            """), logger: logger)
            }
        }
    }

    /// The ledger's tables, each after the tables its foreign keys name (a dossier's supplement names a dossier with a
    /// smaller id, so a table that names itself copies in id order).
    static func tables(_ db: Database) throws -> [Table] {
        let names = try String.fetchAll(
            db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'grdb_migrations' ORDER BY name")
        var unordered: [Table] = []
        for name in names {
            let info = try Row.fetchAll(db, sql: "SELECT name, type, pk FROM pragma_table_info(?) ORDER BY cid", arguments: [name])
            let key = info.map { (name: $0["name"] as String, position: $0["pk"] as Int) }.filter { $0.position > 0 }
                .sorted { $0.position < $1.position }.map(\.name)
            let withoutRowid = try Bool.fetchOne(db, sql: "SELECT wr FROM pragma_table_list WHERE name = ?", arguments: [name]) ?? false
            let parents = try String.fetchAll(db, sql: "SELECT \"table\" FROM pragma_foreign_key_list(?)", arguments: [name])
            unordered.append(
                Table(
                    name: name, columns: info.map { ($0["name"], ($0["type"] as String).uppercased() == "INTEGER") },
                    key: key.isEmpty ? info.map { $0["name"] } : key, hasRowid: !withoutRowid, parents: Set(parents).subtracting([name])))
        }
        var ordered: [Table] = []
        while !unordered.isEmpty {
            let placed = Set(ordered.map(\.name))
            guard let next = unordered.firstIndex(where: { $0.parents.isSubset(of: placed) }) else {
                throw Refused(description: "the ledger's foreign keys go round in a circle: \(unordered.map(\.name))")
            }
            ordered.append(unordered.remove(at: next))
        }
        return ordered
    }

    private func refuseUnlessEmpty(_ table: Table, on connection: PostgresConnection) async throws {
        let rows = try await connection.query(PostgresQuery(unsafeSQL: "SELECT EXISTS (SELECT 1 FROM \(table.name))"), logger: logger)
        for try await holdsRows in rows.decode(Bool.self) where holdsRows {
            throw Refused(description: "the PostgreSQL ledger already holds rows in \(table.name): copy into an empty database only")
        }
    }

    /// Page after page of the snapshot, each page one INSERT of many rows.
    private func copy(_ table: Table, on connection: PostgresConnection) async throws {
        let columnList = table.columns.map(\.name).joined(separator: ", ")
        let pageSize = max(1, Self.parametersPerStatement / table.columns.count)
        var after: Int64 = .min
        while true {
            let from = after
            let (rows, last) = try await source.read { db in
                // A table without rowid is one of the small ones (login slow-downs): read whole.
                let sql =
                    table.hasRowid
                    ? "SELECT rowid, \(columnList) FROM \(table.name) WHERE rowid > ? ORDER BY rowid LIMIT \(pageSize)"
                    : "SELECT NULL, \(columnList) FROM \(table.name) WHERE ? IS NOT NULL"
                var page: [[DatabaseValue]] = []
                var last = from
                for row in try Row.fetchAll(db, sql: sql, arguments: [from]) {
                    if table.hasRowid { last = row[0] }
                    page.append((1..<row.count).map { row[$0] })
                }
                return (page, last)
            }
            guard !rows.isEmpty else { return }
            var bindings = PostgresBindings(capacity: rows.count * table.columns.count)
            var sql = "INSERT INTO \(table.name) (\(columnList)) VALUES "
            var parameter = 0
            for (index, row) in rows.enumerated() {
                sql += index == 0 ? "(" : ", ("
                for (column, value) in row.enumerated() {
                    parameter += 1
                    sql += column == 0 ? "$\(parameter)" : ", $\(parameter)"
                    try PostgresLedger.bind(value, into: &bindings, column: "\(table.name).\(table.columns[column].name)")
                }
                sql += ")"
            }
            try await connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger)
            guard table.hasRowid, rows.count == pageSize else { return }
            after = last
        }
    }

    private func verify(_ tables: [Table]) async throws -> Report {
        var counts: [(table: String, count: Int)] = []
        for table in tables {
            let (sourceCount, sourceDigest) = try await source.read { db in try Self.digest(table, db) }
            let (targetCount, targetDigest) = try await Self.digest(table, client: target.client)
            guard sourceCount == targetCount else {
                throw Refused(description: "\(table.name): \(sourceCount) rows in SQLite, \(targetCount) in PostgreSQL")
            }
            guard sourceDigest == targetDigest else { throw Refused(description: "\(table.name): the rows differ between the two ledgers") }
            counts.append((table.name, sourceCount))
        }
        let audit = try await target.verifyAudit()
        if case .broken(let rowId, let reason) = audit {
            throw Refused(description: "the audit chain breaks on PostgreSQL at row \(rowId): \(reason)")
        }
        return Report(rows: counts, audit: audit)
    }

    /// The table's rows and a SHA-256 of its content in key order, from the snapshot.
    static func digest(_ table: Table, _ db: Database) throws -> (Int, String) {
        var digest = TableDigest()
        let rows = try Row.fetchCursor(db, sql: table.inKeyOrder)
        while let row = try rows.next() {
            try digest.add((0..<row.count).map { row[$0] }, of: table)
        }
        return digest.result
    }

    /// The same from PostgreSQL, in the same order (the database sorts text byte for byte, as SQLite does).
    static func digest(_ table: Table, client: PostgresClient) async throws -> (Int, String) {
        var digest = TableDigest()
        for try await row in try await client.query(PostgresQuery(unsafeSQL: table.inKeyOrder)) {
            var values: [DatabaseValue] = []
            for (cell, column) in zip(row, table.columns) {
                values.append(column.isInteger ? try cell.decode(Int64?.self).databaseValue : try cell.decode(String?.self).databaseValue)
            }
            try digest.add(values, of: table)
        }
        return digest.result
    }

    /// Rows hashed one after the other, each value with its kind and length, so that no two tables hash alike by chance
    /// of where one value ends and the next begins.
    private struct TableDigest {
        private var hash = SHA256()
        private var count = 0

        mutating func add(_ row: [DatabaseValue], of table: Table) throws {
            var text = ""
            for (value, column) in zip(row, table.columns) {
                switch value.storage {
                case .null: text += "n;"
                case .int64(let integer): text += "i\(integer);"
                case .string(let string): text += "t\(string.utf8.count):\(string);"
                case .double, .blob: throw PostgresLedger.UnstorableValue(column: "\(table.name).\(column.name)")
                }
            }
            text += "\n"
            hash.update(data: Array(text.utf8))
            count += 1
        }

        var result: (Int, String) { (count, Hex.string(hash.finalize())) }
    }
}
