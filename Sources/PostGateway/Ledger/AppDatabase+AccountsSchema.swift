import GRDB

/// Migration v7's parts, kept apart from the older migrations for reading (they are registered there).
extension AppDatabase {
    static func createAccountTables(_ db: Database) throws {
        try db.execute(
            sql: """
                -- Staff who sign in on the web pages. Clerks and supervisors belong to one post office; admins to none.
                CREATE TABLE staffAccount (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    username TEXT NOT NULL UNIQUE CHECK (length(username) BETWEEN 3 AND 64 AND username NOT GLOB '*[^a-z0-9._-]*'),
                    displayName TEXT NOT NULL CHECK (length(displayName) > 0),
                    role TEXT NOT NULL CHECK (role IN ('clerk', 'supervisor', 'admin')),
                    officeCode TEXT,
                    passwordHash TEXT NOT NULL CHECK (passwordHash GLOB '$2[aby]$*'),
                    createdAt TEXT NOT NULL,
                    disabledAt TEXT,
                    failedLogins INTEGER NOT NULL DEFAULT 0 CHECK (failedLogins >= 0),
                    lastFailedLoginAt TEXT,
                    CHECK ((role = 'admin') = (officeCode IS NULL))
                ) STRICT;

                -- A signed-in browser: the cookie holds the token, the ledger only its SHA-256.
                CREATE TABLE staffSession (
                    tokenHash TEXT PRIMARY KEY NOT NULL,
                    accountId INTEGER NOT NULL REFERENCES staffAccount(id) ON DELETE CASCADE,
                    csrfToken TEXT NOT NULL,
                    createdAt TEXT NOT NULL,
                    expiresAt TEXT NOT NULL
                ) STRICT;
                CREATE INDEX staffSession_account ON staffSession(accountId);

                -- Scanners and integrations: bearer tokens bound to a role and an office, stored only as SHA-256.
                CREATE TABLE apiToken (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    tokenHash TEXT NOT NULL UNIQUE,
                    label TEXT NOT NULL,
                    role TEXT NOT NULL CHECK (role IN ('clerk', 'supervisor', 'admin')),
                    officeCode TEXT,
                    createdAt TEXT NOT NULL,
                    revokedAt TEXT,
                    lastUsedAt TEXT,
                    CHECK ((role = 'admin') = (officeCode IS NULL))
                ) STRICT;
                """)
    }

    static func createAuditLog(_ db: Database) throws {
        try db.execute(
            sql: """
                -- Who did or saw what, when, from where. Each row's hash covers the row and the previous row's hash, so
                -- an edited or removed row breaks the chain from there on; `postgateway audit verify` names the first.
                CREATE TABLE auditLog (
                    id INTEGER PRIMARY KEY,
                    at TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    action TEXT NOT NULL,
                    subject TEXT,
                    officeCode TEXT,
                    remoteAddress TEXT,
                    outcome INTEGER NOT NULL,
                    previousHash TEXT NOT NULL,
                    hash TEXT NOT NULL
                ) STRICT;
                CREATE TRIGGER auditLog_append_only_update BEFORE UPDATE ON auditLog
                    BEGIN SELECT RAISE(ABORT, 'auditLog is append-only'); END;
                CREATE TRIGGER auditLog_append_only_delete BEFORE DELETE ON auditLog
                    BEGIN SELECT RAISE(ABORT, 'auditLog is append-only'); END;
                """)
    }

    /// Rebuilds `dossier` with the ID number column replaced by a sealed one (SQLite cannot change a column's
    /// CHECK in place), sealing what an older ledger holds in clear and the copies frozen in pending outbox
    /// payloads. The table's own indexes and triggers are read back and recreated as they were.
    static func sealIdNumbers(_ db: Database, idNumbers: IdNumberSealer) throws {
        let oldColumn = "applicantIdNumber TEXT NOT NULL CHECK (length(applicantIdNumber) = 12 AND applicantIdNumber NOT GLOB '*[^0-9]*')"
        let newColumn = "applicantIdSealed TEXT NOT NULL CHECK (applicantIdSealed GLOB 'aesgcm:*')"
        guard let tableSQL = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'dossier'"),
            tableSQL.contains(oldColumn)
        else {
            throw DatabaseError(message: "v7: the dossier table is not the one v1–v6 made")
        }
        let companions = try String.fetchAll(
            db,
            sql: """
                SELECT sql FROM sqlite_master WHERE tbl_name = 'dossier' AND type IN ('index', 'trigger') AND sql IS NOT NULL
                """)
        // The numbers in clear must not survive in freed pages or overwritten cells: zero them as they go (the
        // WAL is truncated once the migration commits, see AppDatabase.init).
        try db.execute(sql: "PRAGMA secure_delete = ON")
        let columns = try db.columns(in: "dossier").map(\.name)
        let newSQL = tableSQL.replacingOccurrences(of: oldColumn, with: newColumn)
            .replacingOccurrences(of: "CREATE TABLE dossier", with: "CREATE TABLE dossier_v7")
        try db.execute(sql: newSQL)
        let targetColumns = columns.map { $0 == "applicantIdNumber" ? "applicantIdSealed" : $0 }
        db.add(
            function: DatabaseFunction("pg_seal_id", argumentCount: 1, pure: false) { values in
                String.fromDatabaseValue(values[0]).map(idNumbers.seal)
            })
        try db.execute(
            sql: """
                INSERT INTO dossier_v7 (\(targetColumns.joined(separator: ", ")))
                SELECT \(columns.map { $0 == "applicantIdNumber" ? "pg_seal_id(applicantIdNumber)" : $0 }.joined(separator: ", ")) FROM dossier
                """)
        try db.execute(sql: "DROP TABLE dossier")
        try db.execute(sql: "ALTER TABLE dossier_v7 RENAME TO dossier")
        for sql in companions { try db.execute(sql: sql) }

        // A registration carries the number in its frozen payload: seal it there too.
        try rewriteRegistrationPayloads(in: db) { _, payload in OneStopRegistration.sealingIdNumber(payload, with: idNumbers) }
        try db.execute(sql: "PRAGMA secure_delete = OFF")
    }
}
