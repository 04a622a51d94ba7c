import GRDB

extension AppDatabase {
    /// Migration v22: results of dossiers filed online or at the desk (Decision 45/2016 Art 5's second service). Such a
    /// dossier never passes through the post: its row holds the receiver, the delivery address and the one-stop's mã hồ
    /// sơ, and its only item is the result. The receiver's identity is checked at delivery, never taken, so the ID number
    /// a dossier taken in at the counter must carry is absent.
    ///
    /// SQLite cannot change a CHECK in place: the table is rebuilt as v7 rebuilt it. Triggers elsewhere that name
    /// `dossier` are dropped first and made again after, as a rename checks every trigger against the schema.
    static func addResultOnlyService(_ db: Database) throws {
        // The ID check is a CASE: a CHECK passes when it is NULL, and `NULL GLOB …` is NULL.
        let replacements = [
            (
                "service TEXT NOT NULL CHECK (service IN ('sendOnly', 'sendAndReturn'))",
                "service TEXT NOT NULL CHECK (service IN ('sendOnly', 'sendAndReturn', 'resultOnly'))"
            ),
            (
                "applicantIdSealed TEXT NOT NULL CHECK (applicantIdSealed GLOB 'aesgcm:*')",
                "applicantIdSealed TEXT CHECK (CASE WHEN applicantIdSealed IS NULL THEN service = 'resultOnly' ELSE applicantIdSealed GLOB 'aesgcm:*' END)"
            ),
        ]
        guard var tableSQL = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'dossier'"),
            replacements.allSatisfy({ tableSQL.contains($0.0) }), tableSQL.hasSuffix(") STRICT")
        else {
            throw DatabaseError(message: "v22: the dossier table is not the one v1–v21 made")
        }
        for (old, new) in replacements { tableSQL = tableSQL.replacingOccurrences(of: old, with: new) }
        // Where a result-only order came from: the portal (KenhNop 2), the desk (KenhNop 1), or a post office's counter; and
        // its mã hồ sơ, by which every write about it is keyed. A column's CHECK, as a new column's text goes last.
        tableSQL =
            String(tableSQL.dropLast(") STRICT".count)) + """
                ,
                    orderedVia TEXT CHECK ((orderedVia IS NULL) = (service <> 'resultOnly') AND (orderedVia IS NULL OR orderedVia IN ('portal', 'desk', 'counter'))
                        AND (service <> 'resultOnly' OR oneStopCode IS NOT NULL))
                ) STRICT
                """
        let columns = try db.columns(in: "dossier").map(\.name).joined(separator: ", ")
        let companions = try String.fetchAll(
            db, sql: "SELECT sql FROM sqlite_master WHERE tbl_name = 'dossier' AND type IN ('index', 'trigger') AND sql IS NOT NULL")
        let mentioning = try Row.fetchAll(
            db,
            sql: """
                SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name <> 'dossier' AND sql LIKE '%dossier%'
                """)
        for trigger in mentioning { try db.execute(sql: "DROP TRIGGER \(trigger["name"] as String)") }
        // v7's rename left the name quoted: `CREATE TABLE "dossier" (`.
        guard let name = tableSQL.range(of: #"^CREATE TABLE "?dossier"?"#, options: .regularExpression) else {
            throw DatabaseError(message: "v22: the dossier table's statement does not start as expected")
        }
        try db.execute(sql: tableSQL.replacingCharacters(in: name, with: "CREATE TABLE dossier_v22"))
        try db.execute(sql: "INSERT INTO dossier_v22 (\(columns)) SELECT \(columns) FROM dossier")
        try db.execute(sql: "DROP TABLE dossier")
        try db.execute(sql: "ALTER TABLE dossier_v22 RENAME TO dossier")
        for sql in companions { try db.execute(sql: sql) }
        for trigger in mentioning { try db.execute(sql: trigger["sql"]) }

        try db.execute(
            sql: """
                -- A change to a result-only order the one-stop sent after the post had picked the result up: refused (409),
                -- and kept for the serving office, whose staff must settle it with the desk. The callback's id is the key,
                -- so the one-stop's retries meet the same refusal and add nothing.
                CREATE TABLE refusedOrderChange (
                    webhookId TEXT PRIMARY KEY NOT NULL,
                    dossierId INTEGER NOT NULL REFERENCES dossier(id) ON DELETE RESTRICT,
                    reason TEXT NOT NULL CHECK (reason IN ('pickedUp', 'notResultOnly')),
                    receivedAt TEXT NOT NULL
                ) STRICT;
                CREATE INDEX refusedOrderChange_dossier ON refusedOrderChange(dossierId);

                -- A result's documents count (KetQua.SoLuongGiayTo), for the pickup biên bản the desk signs.
                ALTER TABLE item ADD COLUMN documentCount INTEGER CHECK (documentCount IS NULL OR documentCount >= 0);
                -- A result order taken at a counter, between the item number the ledger reserved for it and the one-stop's
                -- answer to call 6: the clerk's retry with the same key sends the same order again, which the one-stop
                -- answers as a replay. dossierId is set once the order is written; a refused order leaves no row.
                -- The frozen body (it holds the receiver) is cleared once the order is written.
                CREATE TABLE counterOrder (
                    key TEXT PRIMARY KEY NOT NULL,
                    requestHash TEXT NOT NULL,
                    dossierCode TEXT NOT NULL,
                    officeCode TEXT NOT NULL,
                    trackingNumber TEXT NOT NULL UNIQUE,
                    payload TEXT,
                    postage INTEGER NOT NULL CHECK (postage >= 0),
                    createdAt TEXT NOT NULL,
                    dossierId INTEGER UNIQUE REFERENCES dossier(id) ON DELETE RESTRICT,
                    CHECK ((payload IS NULL) = (dossierId IS NOT NULL))
                ) STRICT;
                CREATE INDEX counterOrder_pending ON counterOrder(dossierCode) WHERE dossierId IS NULL;
                -- Status callbacks by mã hồ sơ alone that came before their order, for the order to take when it comes.
                CREATE INDEX oneStopCallback_early_order_status ON oneStopCallback(json_extract(body, '$.MaHoSo'))
                    WHERE outcome = 'unknownDossier' AND trackingNumber IS NULL;
                -- A biên bản carries dossiers to a desk, or (the courier collecting results in a batch) results from it.
                ALTER TABLE handover ADD COLUMN direction TEXT NOT NULL DEFAULT 'dossiers' CHECK (direction IN ('dossiers', 'results'));
                """)
    }
}
