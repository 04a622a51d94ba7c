import GRDB

extension AppDatabase {
    /// Append-only: a migration that has landed is never edited; changes come as new migrations.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: intake ledger") { db in
            try db.execute(sql: """
                CREATE TABLE serialCounter (
                    prefix TEXT PRIMARY KEY NOT NULL CHECK (length(prefix) = 2 AND prefix GLOB '[A-Z][A-Z]'),
                    lastSerial INTEGER NOT NULL CHECK (lastSerial BETWEEN 0 AND 99999999)
                ) STRICT;

                CREATE TABLE dossier (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    service TEXT NOT NULL CHECK (service IN ('sendOnly', 'sendAndReturn')),
                    procedureCode TEXT NOT NULL,
                    procedureName TEXT NOT NULL,
                    agencyCode TEXT NOT NULL,
                    officeCode TEXT NOT NULL,
                    applicantName TEXT NOT NULL CHECK (length(applicantName) > 0),
                    applicantIdNumber TEXT NOT NULL CHECK (length(applicantIdNumber) = 12 AND applicantIdNumber NOT GLOB '*[^0-9]*'),
                    applicantPhone TEXT NOT NULL,
                    applicantEmail TEXT,
                    applicantAddress TEXT NOT NULL,
                    resultAddress TEXT CHECK (service = 'sendOnly' OR resultAddress IS NOT NULL),
                    documents TEXT NOT NULL,
                    postage INTEGER NOT NULL CHECK (postage >= 0),
                    administrativeFee INTEGER NOT NULL CHECK (administrativeFee >= 0),
                    note TEXT,
                    pinHash TEXT NOT NULL,
                    transitScope TEXT NOT NULL,
                    jDate TEXT NOT NULL,
                    dueDate TEXT NOT NULL,
                    oneStopCode TEXT UNIQUE,
                    oneStopStatus INTEGER CHECK (oneStopStatus BETWEEN 1 AND 10),
                    appointmentDate TEXT,
                    acceptedAt TEXT NOT NULL,
                    acceptedBy TEXT NOT NULL
                ) STRICT;
                CREATE INDEX dossier_acceptedAt ON dossier(acceptedAt);
                CREATE INDEX dossier_office ON dossier(officeCode, id);
                CREATE INDEX dossier_agency ON dossier(agencyCode, id);

                CREATE TABLE item (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    dossierId INTEGER NOT NULL REFERENCES dossier(id) ON DELETE RESTRICT,
                    kind TEXT NOT NULL CHECK (kind IN ('dossier', 'result')),
                    trackingNumber TEXT NOT NULL UNIQUE,
                    status TEXT NOT NULL,
                    officeCode TEXT NOT NULL,
                    dueDate TEXT,
                    cashOnDelivery INTEGER NOT NULL DEFAULT 0 CHECK (cashOnDelivery >= 0),
                    createdAt TEXT NOT NULL,
                    updatedAt TEXT NOT NULL
                ) STRICT;
                CREATE INDEX item_dossier ON item(dossierId);
                CREATE UNIQUE INDEX item_one_dossier_item ON item(dossierId) WHERE kind = 'dossier';
                CREATE INDEX item_status ON item(status);

                CREATE TABLE itemEvent (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    itemId INTEGER NOT NULL REFERENCES item(id) ON DELETE RESTRICT,
                    code TEXT NOT NULL,
                    upuCode TEXT,
                    occurredAt TEXT NOT NULL,
                    officeCode TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    note TEXT,
                    recordedAt TEXT NOT NULL
                ) STRICT;
                CREATE INDEX itemEvent_item ON itemEvent(itemId, id);

                CREATE TABLE outboxMessage (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    dossierId INTEGER NOT NULL REFERENCES dossier(id) ON DELETE RESTRICT,
                    kind TEXT NOT NULL,
                    payload TEXT NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('pending', 'inFlight', 'delivered', 'dead')),
                    attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
                    nextAttemptAt TEXT NOT NULL,
                    lastError TEXT,
                    createdAt TEXT NOT NULL,
                    updatedAt TEXT NOT NULL
                ) STRICT;
                CREATE INDEX outboxMessage_due ON outboxMessage(state, nextAttemptAt);
                CREATE INDEX outboxMessage_dossier ON outboxMessage(dossierId, id);

                CREATE TABLE idempotencyKey (
                    key TEXT PRIMARY KEY NOT NULL,
                    requestHash TEXT NOT NULL,
                    dossierId INTEGER NOT NULL REFERENCES dossier(id) ON DELETE RESTRICT,
                    createdAt TEXT NOT NULL
                ) STRICT;
                """)
        }
        migrator.registerMigration("v2: handover manifests") { db in
            try db.execute(sql: """
                CREATE TABLE handover (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    number TEXT NOT NULL UNIQUE,
                    agencyCode TEXT NOT NULL,
                    officeCode TEXT NOT NULL,
                    createdAt TEXT NOT NULL,
                    createdBy TEXT NOT NULL,
                    signedAt TEXT,
                    receivedBy TEXT,
                    signedBy TEXT,
                    CHECK ((signedAt IS NULL) = (receivedBy IS NULL) AND (signedAt IS NULL) = (signedBy IS NULL)),
                    CHECK (receivedBy IS NULL OR length(trim(receivedBy)) > 0)
                ) STRICT;
                CREATE INDEX handover_office ON handover(officeCode, id);

                -- isOpen is 1 while the manifest is unsigned and NULL after: an item is on at most one open manifest.
                CREATE TABLE handoverItem (
                    handoverId INTEGER NOT NULL REFERENCES handover(id) ON DELETE RESTRICT,
                    itemId INTEGER NOT NULL REFERENCES item(id) ON DELETE RESTRICT,
                    isOpen INTEGER CHECK (isOpen = 1),
                    PRIMARY KEY (handoverId, itemId)
                ) STRICT;
                CREATE UNIQUE INDEX handoverItem_one_open_manifest ON handoverItem(itemId) WHERE isOpen = 1;
                CREATE INDEX handoverItem_item ON handoverItem(itemId);
                """)
        }
        return migrator
    }
}
