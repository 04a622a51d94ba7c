import GRDB

extension AppDatabase {
    /// Append-only: a migration that has landed is never edited; changes come as new migrations.
    /// `idNumbers` seals the ID numbers a ledger from before v7 holds in clear.
    static func migrator(idNumbers: IdNumberSealer) -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: intake ledger") { db in
            try db.execute(
                sql: """
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
            try db.execute(
                sql: """
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
        migrator.registerMigration("v3: one-stop callbacks and result returns") { db in
            try db.execute(
                sql: """
                    -- The one-stop's status a dossier holds, at the one-stop's own time (ThoiDiem), and the desk's words.
                    ALTER TABLE dossier ADD COLUMN oneStopStatusAt TEXT;
                    ALTER TABLE dossier ADD COLUMN oneStopNote TEXT;
                    -- A supplement the citizen sends after status 5 is a dossier of its own, linked to the original.
                    ALTER TABLE dossier ADD COLUMN supplementOf INTEGER REFERENCES dossier(id) ON DELETE RESTRICT;
                    CREATE INDEX dossier_supplementOf ON dossier(supplementOf) WHERE supplementOf IS NOT NULL;

                    -- Delivery attempts are numbered; a delivery records that the recipient's identity was checked, never the number.
                    ALTER TABLE itemEvent ADD COLUMN attempt INTEGER CHECK (attempt IS NULL OR attempt >= 1);
                    ALTER TABLE itemEvent ADD COLUMN identityChecked INTEGER CHECK (identityChecked IS NULL OR identityChecked = 1);
                    CREATE INDEX item_kind_status_office ON item(kind, status, officeCode);

                    -- Every callback id, kept for ever: a replay is acknowledged and ignored.
                    CREATE TABLE oneStopCallback (
                        webhookId TEXT PRIMARY KEY NOT NULL,
                        receivedAt TEXT NOT NULL,
                        type TEXT NOT NULL,
                        trackingNumber TEXT,
                        status INTEGER CHECK (status IS NULL OR status BETWEEN 1 AND 10),
                        occurredAt TEXT,
                        dossierId INTEGER REFERENCES dossier(id) ON DELETE RESTRICT,
                        outcome TEXT NOT NULL CHECK (outcome IN ('applied', 'superseded', 'unknownDossier', 'unsupportedType')),
                        body TEXT NOT NULL
                    ) STRICT;
                    CREATE INDEX oneStopCallback_dossier ON oneStopCallback(dossierId, occurredAt) WHERE dossierId IS NOT NULL;
                    CREATE TRIGGER oneStopCallback_append_only_update BEFORE UPDATE ON oneStopCallback
                        BEGIN SELECT RAISE(ABORT, 'oneStopCallback is append-only'); END;
                    CREATE TRIGGER oneStopCallback_append_only_delete BEFORE DELETE ON oneStopCallback
                        BEGIN SELECT RAISE(ABORT, 'oneStopCallback is append-only'); END;
                    """)
        }
        migrator.registerMigration("v4: dossier revisions") { db in
            try db.execute(
                sql: """
                    -- A dossier's revision moves whenever anything the public tracking view shows of it changes: the
                    -- dossier itself, its items, their events, a supplement linked to it. The schema keeps this, not
                    -- each write path, so a cached tracking answer can never outlive a change that no one remembered.
                    CREATE TABLE dossierRevision (
                        dossierId INTEGER PRIMARY KEY NOT NULL,
                        revision INTEGER NOT NULL
                    ) STRICT;
                    CREATE TRIGGER dossierRevision_dossier_update AFTER UPDATE ON dossier BEGIN
                        INSERT INTO dossierRevision(dossierId, revision) VALUES (NEW.id, 1)
                        ON CONFLICT(dossierId) DO UPDATE SET revision = revision + 1;
                    END;
                    CREATE TRIGGER dossierRevision_supplement_insert AFTER INSERT ON dossier WHEN NEW.supplementOf IS NOT NULL BEGIN
                        INSERT INTO dossierRevision(dossierId, revision) VALUES (NEW.supplementOf, 1)
                        ON CONFLICT(dossierId) DO UPDATE SET revision = revision + 1;
                    END;
                    CREATE TRIGGER dossierRevision_item_insert AFTER INSERT ON item BEGIN
                        INSERT INTO dossierRevision(dossierId, revision) VALUES (NEW.dossierId, 1)
                        ON CONFLICT(dossierId) DO UPDATE SET revision = revision + 1;
                    END;
                    CREATE TRIGGER dossierRevision_item_update AFTER UPDATE ON item BEGIN
                        INSERT INTO dossierRevision(dossierId, revision) VALUES (NEW.dossierId, 1)
                        ON CONFLICT(dossierId) DO UPDATE SET revision = revision + 1;
                    END;
                    CREATE TRIGGER dossierRevision_event_insert AFTER INSERT ON itemEvent BEGIN
                        INSERT INTO dossierRevision(dossierId, revision) VALUES ((SELECT dossierId FROM item WHERE id = NEW.itemId), 1)
                        ON CONFLICT(dossierId) DO UPDATE SET revision = revision + 1;
                    END;
                    """)
        }
        migrator.registerMigration("v5: reconciliation runs, and revisions as one sequence") { db in
            try db.execute(
                sql: """
                    CREATE TABLE reconciliationRun (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        fromDay TEXT NOT NULL,
                        toDay TEXT NOT NULL CHECK (toDay >= fromDay),
                        dryRun INTEGER NOT NULL CHECK (dryRun IN (0, 1)),
                        origin TEXT NOT NULL CHECK (origin IN ('command', 'schedule', 'api')),
                        state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'agreed', 'repaired', 'findings', 'failed')),
                        requestedAt TEXT NOT NULL,
                        startedAt TEXT,
                        finishedAt TEXT,
                        error TEXT,
                        -- The report's figures as JSON (counts, counts by class, fee totals by agency); findings are rows below.
                        summary TEXT,
                        CHECK (state != 'failed' OR error IS NOT NULL)
                    ) STRICT;

                    CREATE TABLE reconciliationFinding (
                        runId INTEGER NOT NULL REFERENCES reconciliationRun(id) ON DELETE RESTRICT,
                        seq INTEGER NOT NULL,
                        trackingNumber TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        agencyCode TEXT,
                        gatewayValue TEXT,
                        oneStopValue TEXT,
                        ahead TEXT CHECK (ahead IS NULL OR ahead IN ('gateway', 'oneStop')),
                        repair TEXT NOT NULL,
                        repaired INTEGER NOT NULL CHECK (repaired IN (0, 1)),
                        PRIMARY KEY (runId, seq)
                    ) STRICT;
                    CREATE INDEX reconciliationFinding_number ON reconciliationFinding(trackingNumber);
                    """)
            // One sequence across the ledger instead of a count per dossier: a server finds what another process
            // (a reconcile run from cron) changed by asking for the revisions above the last one it saw.
            try db.execute(sql: "CREATE INDEX dossierRevision_revision ON dossierRevision(revision)")
            let bump = { (dossierId: String) in
                """
                INSERT INTO dossierRevision(dossierId, revision) VALUES (\(dossierId), (SELECT coalesce(max(revision), 0) + 1 FROM dossierRevision))
                ON CONFLICT(dossierId) DO UPDATE SET revision = (SELECT max(revision) + 1 FROM dossierRevision);
                """
            }
            try db.execute(
                sql: """
                    DROP TRIGGER dossierRevision_dossier_update;
                    DROP TRIGGER dossierRevision_supplement_insert;
                    DROP TRIGGER dossierRevision_item_insert;
                    DROP TRIGGER dossierRevision_item_update;
                    DROP TRIGGER dossierRevision_event_insert;
                    CREATE TRIGGER dossierRevision_dossier_update AFTER UPDATE ON dossier BEGIN \(bump("NEW.id")) END;
                    CREATE TRIGGER dossierRevision_supplement_insert AFTER INSERT ON dossier WHEN NEW.supplementOf IS NOT NULL
                        BEGIN \(bump("NEW.supplementOf")) END;
                    CREATE TRIGGER dossierRevision_item_insert AFTER INSERT ON item BEGIN \(bump("NEW.dossierId")) END;
                    CREATE TRIGGER dossierRevision_item_update AFTER UPDATE ON item BEGIN \(bump("NEW.dossierId")) END;
                    CREATE TRIGGER dossierRevision_event_insert AFTER INSERT ON itemEvent
                        BEGIN \(bump("(SELECT dossierId FROM item WHERE id = NEW.itemId)")) END;
                    """)
        }
        migrator.registerMigration("v6: finished dossiers for reports, complaints and incidents") { db in
            try db.execute(
                sql: """
                    -- When and how a dossier was first finished at the one-stop: a result (9, 10) or closed without one
                    -- (3 rejected, 7 withdrawn, 8 stopped). Reports judge resolution by this day against the appointment
                    -- date, and ask which dossiers were still open at the end of a period. Triggers keep it, not the write
                    -- paths, so a callback, a reconciliation repair or a seed all set it the same way.
                    ALTER TABLE dossier ADD COLUMN finishedAt TEXT;
                    ALTER TABLE dossier ADD COLUMN finishedStatus INTEGER CHECK (finishedStatus IS NULL OR finishedStatus IN (3, 7, 8, 9, 10));
                    UPDATE dossier SET finishedAt = coalesce(oneStopStatusAt, acceptedAt), finishedStatus = oneStopStatus
                        WHERE oneStopStatus IN (3, 7, 8, 9, 10);
                    CREATE TRIGGER dossier_finished_update AFTER UPDATE OF oneStopStatus ON dossier
                        WHEN NEW.finishedAt IS NULL AND NEW.oneStopStatus IN (3, 7, 8, 9, 10) BEGIN
                        UPDATE dossier SET finishedAt = coalesce(NEW.oneStopStatusAt, NEW.acceptedAt), finishedStatus = NEW.oneStopStatus
                            WHERE id = NEW.id;
                    END;
                    CREATE TRIGGER dossier_finished_insert AFTER INSERT ON dossier
                        WHEN NEW.finishedAt IS NULL AND NEW.oneStopStatus IN (3, 7, 8, 9, 10) BEGIN
                        UPDATE dossier SET finishedAt = coalesce(NEW.oneStopStatusAt, NEW.acceptedAt), finishedStatus = NEW.oneStopStatus
                            WHERE id = NEW.id;
                    END;
                    -- Finished dossiers by day, and the open ones by intake time: both small next to the ledger.
                    CREATE INDEX dossier_finishedAt ON dossier(finishedAt) WHERE finishedAt IS NOT NULL;
                    CREATE INDEX dossier_open ON dossier(acceptedAt) WHERE finishedAt IS NULL;

                    -- A customer's complaint about an item (Circular 17 Art 8), or a loss or damage the post found itself.
                    -- Circular 17 Art 13's periodic report counts them, the items lost or damaged, and the compensation paid.
                    CREATE TABLE postalCase (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        itemId INTEGER NOT NULL REFERENCES item(id) ON DELETE RESTRICT,
                        origin TEXT NOT NULL CHECK (origin IN ('customer', 'post')),
                        subject TEXT NOT NULL CHECK (subject IN ('delay', 'lost', 'damaged', 'other')),
                        openedAt TEXT NOT NULL,
                        openedBy TEXT NOT NULL,
                        dueDate TEXT NOT NULL,
                        note TEXT,
                        resolvedAt TEXT,
                        resolvedBy TEXT,
                        upheld INTEGER CHECK (upheld IS NULL OR upheld IN (0, 1)),
                        compensation INTEGER NOT NULL DEFAULT 0 CHECK (compensation >= 0),
                        resolution TEXT,
                        CHECK ((resolvedAt IS NULL) = (upheld IS NULL) AND (resolvedAt IS NULL) = (resolvedBy IS NULL)),
                        CHECK (compensation = 0 OR upheld = 1)
                    ) STRICT;
                    CREATE INDEX postalCase_item ON postalCase(itemId);
                    CREATE INDEX postalCase_openedAt ON postalCase(openedAt);
                    CREATE INDEX postalCase_resolvedAt ON postalCase(resolvedAt) WHERE resolvedAt IS NOT NULL;
                    """)
        }
        migrator.registerMigration("v7: staff accounts, API tokens, the audit log, sealed ID numbers") { db in
            try createAccountTables(db)
            try createAuditLog(db)
            try sealIdNumbers(db, idNumbers: idNumbers)
        }
        migrator.registerMigration("v8: handover times and reported return progress beside the rows reconciliation reads") { db in
            try addReconciliationColumns(db)
        }
        migrator.registerMigration("v9: drop item_status, which item_kind_status_office covers") { db in
            // Every query on an item's status names its kind too, and reads item_kind_status_office; item_status
            // was one more B-tree entry on every intake and every scan, read by nothing.
            try db.execute(sql: "DROP INDEX item_status")
        }
        migrator.registerMigration("v10: outbox messages sent again are tried for a whole horizon from then") { db in
            // NULL: never requeued, tried since createdAt.
            try db.execute(sql: "ALTER TABLE outboxMessage ADD COLUMN retryFrom TEXT")
        }
        migrator.registerMigration("v11: open manifests can be cancelled") { db in
            // A manifest is open, signed (the legal record of a filing, never cancelled) or cancelled, when the desk
            // would not take it as it was: its items are then free for another manifest.
            try db.execute(
                sql: """
                    ALTER TABLE handover ADD COLUMN cancelledAt TEXT;
                    ALTER TABLE handover ADD COLUMN cancelledBy TEXT
                        CHECK ((cancelledAt IS NULL) = (cancelledBy IS NULL) AND (cancelledAt IS NULL OR signedAt IS NULL));
                    """)
        }
        migrator.registerMigration("v12: idempotency keys are scoped to the office that took the dossier in") { db in
            // "250000 QUAY-000001": what `IntakeSubmission.ledgerKey` writes from now on, so a replay of a key written
            // before still finds its dossier.
            try db.execute(
                sql: """
                    UPDATE idempotencyKey SET key = (SELECT officeCode FROM dossier WHERE dossier.id = idempotencyKey.dossierId) || ' ' || key
                    """)
        }
        migrator.registerMigration("v13: the forwarding horizon of messages already tried counts from their creation") { db in
            // The forwarder now writes retryFrom at a message's first attempt. A message already being retried when
            // this version came has none, and would otherwise take its first attempt after the upgrade as its start.
            try db.execute(sql: "UPDATE outboxMessage SET retryFrom = createdAt WHERE retryFrom IS NULL AND attempts > 0")
        }
        migrator.registerMigration("v14: a message the one-stop refused is told from one that ran out of time") { db in
            // Sent again, a refused message meets the same refusal: reconciliation leaves it to a person instead of
            // queuing it again every night. Refusals so far are the dead messages whose error is the one-stop's 4xx.
            try db.execute(sql: "ALTER TABLE outboxMessage ADD COLUMN refused INTEGER CHECK (refused IS NULL OR refused = 1)")
            try db.execute(sql: "UPDATE outboxMessage SET refused = 1 WHERE state = 'dead' AND lastError LIKE 'HTTP 4%'")
        }
        migrator.registerMigration("v15: a dossier's own intake moves no revision") { db in
            // Revisions tell the tracking cache, here and in another process's watcher, which answers to drop. A dossier's
            // dossier item and that item's `accepted` event are only ever written with the dossier itself, in its intake's
            // transaction, and nothing about a dossier can be cached before it exists (unknown codes are never kept): they
            // have no answer to drop. Their two revision upserts, each reading the sequence's largest value, cost the single
            // writer about 4 µs per intake and three pages of every batch's commit. Every later item (a result) and event
            // still moves the dossier's revision, as do updates and a supplement. The bump is v5's.
            let bump = { (dossierId: String) in
                """
                INSERT INTO dossierRevision(dossierId, revision) VALUES (\(dossierId), (SELECT coalesce(max(revision), 0) + 1 FROM dossierRevision))
                ON CONFLICT(dossierId) DO UPDATE SET revision = (SELECT max(revision) + 1 FROM dossierRevision);
                """
            }
            try db.execute(
                sql: """
                    DROP TRIGGER dossierRevision_item_insert;
                    DROP TRIGGER dossierRevision_event_insert;
                    CREATE TRIGGER dossierRevision_item_insert AFTER INSERT ON item WHEN NEW.kind <> 'dossier'
                        BEGIN \(bump("NEW.dossierId")) END;
                    CREATE TRIGGER dossierRevision_event_insert AFTER INSERT ON itemEvent WHEN NEW.code <> 'accepted'
                        BEGIN \(bump("(SELECT dossierId FROM item WHERE id = NEW.itemId)")) END;
                    """)
        }
        migrator.registerMigration("v16: one index of items by dossier") { db in
            // item_dossier (every item by its dossier) and item_one_dossier_item (a dossier's one dossier item) were two
            // B-trees on the same key, both written by every intake. One unique index holds both: a dossier item under 0,
            // which no second dossier item of the same dossier can share, and a result under its own id (ids start at 1).
            // A lookup by dossier reads its first column, with or without the kind.
            try db.execute(
                sql: """
                    DROP INDEX item_dossier;
                    DROP INDEX item_one_dossier_item;
                    CREATE UNIQUE INDEX item_dossier ON item(dossierId, (CASE kind WHEN 'dossier' THEN 0 ELSE id END));
                    """)
        }
        migrator.registerMigration("v17: no insert triggers on dossier") { db in
            // Dropped for the speed of intake's many-row inserts, which are gone since v20; v20 brings back the finish
            // trigger, as the schema, not each write path, should keep a dossier's finish.
            // A dossier's status still changes by update, and `dossier_finished_update` still records its finish.
            try db.execute(
                sql: """
                    DROP TRIGGER dossierRevision_supplement_insert;
                    DROP TRIGGER dossier_finished_insert;
                    """)
        }
        migrator.registerMigration("v18: wrong PINs counted per dossier, and the PIN view closed after too many") { db in
            // A 6-digit PIN falls to guessing through per-minute limits alone (three codes a dossier, many addresses), so
            // the dossier itself counts its wrong PINs (`PinGuard`).
            try db.execute(
                sql: """
                    CREATE TABLE pinFailure (
                        id INTEGER PRIMARY KEY,
                        dossierId INTEGER NOT NULL REFERENCES dossier(id),
                        failedAt TEXT NOT NULL
                    );
                    CREATE INDEX pinFailure_dossier ON pinFailure(dossierId, failedAt);
                    CREATE TABLE pinLockout (
                        dossierId INTEGER PRIMARY KEY REFERENCES dossier(id),
                        closedAt TEXT NOT NULL,
                        closedUntil TEXT NOT NULL CHECK (closedUntil > closedAt)
                    );
                    """)
        }
        migrator.registerMigration("v19: failed logins counted per username as typed and per address, never locking") { db in
            // `LoginThrottle`: the key is a hash of the username (known or not) or the client's address. The account's
            // own count (`failedLogins`) locked it after ten failures, which let an outsider lock any account out.
            try db.execute(
                sql: """
                    CREATE TABLE loginThrottle (
                        key TEXT PRIMARY KEY,
                        failures INTEGER NOT NULL CHECK (failures > 0),
                        lastFailureAt TEXT NOT NULL
                    ) WITHOUT ROWID;
                    UPDATE staffAccount SET failedLogins = 0, lastFailedLoginAt = NULL;
                    """)
        }
        migrator.registerMigration("v20: no dossier revisions; the finish of a dossier written finished kept by the schema again") { db in
            // Public tracking reads the ledger on every lookup, so nothing needs telling which dossiers changed.
            try db.execute(
                sql: """
                    CREATE TRIGGER dossier_finished_insert AFTER INSERT ON dossier
                        WHEN NEW.finishedAt IS NULL AND NEW.oneStopStatus IN (3, 7, 8, 9, 10) BEGIN
                        UPDATE dossier SET finishedAt = coalesce(NEW.oneStopStatusAt, NEW.acceptedAt), finishedStatus = NEW.oneStopStatus
                            WHERE id = NEW.id;
                    END;
                    DROP TRIGGER IF EXISTS dossierRevision_dossier_update;
                    DROP TRIGGER IF EXISTS dossierRevision_supplement_insert;
                    DROP TRIGGER IF EXISTS dossierRevision_item_insert;
                    DROP TRIGGER IF EXISTS dossierRevision_item_update;
                    DROP TRIGGER IF EXISTS dossierRevision_event_insert;
                    DROP TABLE IF EXISTS dossierRevision;
                    """)
        }
        migrator.registerMigration("v21: the 2025 map: J + n by zone instead of district, and the commune (or province) of the result address") {
            db in
            // Districts were abolished on 1 July 2025: the circular's "same district" row now applies within a transit
            // zone. A dossier's stored scope keeps its row; only the name changes.
            try db.execute(
                sql: """
                    UPDATE dossier SET transitScope = 'sameZone' WHERE transitScope = 'sameDistrict';
                    ALTER TABLE dossier ADD COLUMN resultUnitCode TEXT;
                    ALTER TABLE dossier ADD COLUMN resultProvinceCode TEXT;
                    """)
        }
        migrator.registerMigration("v22: result-only orders, for dossiers filed online or at the desk") { db in
            try addResultOnlyService(db)
        }
        migrator.registerMigration("v23: messages to citizens who agreed to them, by Zalo or SMS") { db in
            try addNotices(db)
        }
        return migrator
    }
}
