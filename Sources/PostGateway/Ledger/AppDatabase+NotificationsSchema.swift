import GRDB

extension AppDatabase {
    /// Migration v23: messages to citizens (issue 35). `dossier.notifyBy` is the consent the counter recorded (NULL: no
    /// messages); `notice` is an outbox of its own, beside the one-stop's, as its provider, its keys and its quiet
    /// hours are its own. Its rows go with their dossier (kept as long as it is, erased with it).
    static func addNotices(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE dossier ADD COLUMN notifyBy TEXT CHECK (notifyBy IN ('zalo', 'sms'));
                CREATE TABLE notice (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    dossierId INTEGER NOT NULL REFERENCES dossier(id) ON DELETE CASCADE,
                    key TEXT NOT NULL UNIQUE,
                    milestone TEXT NOT NULL,
                    stage INTEGER NOT NULL,
                    channel TEXT NOT NULL CHECK (channel IN ('zalo', 'sms')),
                    parameters TEXT NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('pending', 'inFlight', 'sent', 'dead', 'dropped')),
                    attempts INTEGER NOT NULL,
                    nextAttemptAt TEXT NOT NULL,
                    retryFrom TEXT,
                    lastError TEXT,
                    sentVia TEXT CHECK (sentVia IN ('zalo', 'sms')),
                    sentAt TEXT CHECK ((sentAt IS NULL) = (state <> 'sent')),
                    providerMessageId TEXT,
                    text TEXT,
                    createdAt TEXT NOT NULL,
                    updatedAt TEXT NOT NULL
                ) STRICT;
                CREATE INDEX notice_due ON notice(state, nextAttemptAt);
                CREATE INDEX notice_dossier ON notice(dossierId, id);
                """)
    }
}
