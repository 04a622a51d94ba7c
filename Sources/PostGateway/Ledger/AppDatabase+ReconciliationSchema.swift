import GRDB

extension AppDatabase {
    /// Migration v8: what the nightly reconciliation compares, kept on the rows it already reads. A dossier item
    /// keeps the instant its handover was signed, and a dossier the last return progress it reported to the
    /// one-stop. Before, every dossier cost three correlated lookups (handoverItem, handover, outboxMessage):
    /// two thirds of the gateway's side of a million-dossier run.
    ///
    /// Triggers keep both columns, as v6's keep `finishedAt`, so that every writer agrees: the handover
    /// controller, the callbacks, the repairs and the seeds.
    static func addReconciliationColumns(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE item ADD COLUMN handedOverAt TEXT;
                ALTER TABLE dossier ADD COLUMN reportedReturnState TEXT;

                -- A manifest is signed after its items are put on it; a seed may write it signed and add items after.
                CREATE TRIGGER item_handedOverAt_sign AFTER UPDATE OF signedAt ON handover WHEN NEW.signedAt IS NOT NULL BEGIN
                    UPDATE item SET handedOverAt = NEW.signedAt WHERE id IN (SELECT itemId FROM handoverItem WHERE handoverId = NEW.id);
                END;
                CREATE TRIGGER item_handedOverAt_add AFTER INSERT ON handoverItem
                    WHEN (SELECT signedAt FROM handover WHERE id = NEW.handoverId) IS NOT NULL BEGIN
                    UPDATE item SET handedOverAt = (SELECT signedAt FROM handover WHERE id = NEW.handoverId) WHERE id = NEW.itemId;
                END;
                CREATE TRIGGER dossier_reportedReturnState AFTER INSERT ON outboxMessage WHEN NEW.kind = 'reportReturnProgress' BEGIN
                    UPDATE dossier SET reportedReturnState = json_extract(NEW.payload, '$.TrangThai') WHERE id = NEW.dossierId;
                END;

                UPDATE item SET handedOverAt = (
                    SELECT max(h.signedAt) FROM handoverItem hi JOIN handover h ON h.id = hi.handoverId WHERE hi.itemId = item.id)
                WHERE id IN (SELECT hi.itemId FROM handoverItem hi JOIN handover h ON h.id = hi.handoverId WHERE h.signedAt IS NOT NULL);
                UPDATE dossier SET reportedReturnState = (
                    SELECT json_extract(m.payload, '$.TrangThai') FROM outboxMessage m
                    WHERE m.dossierId = dossier.id AND m.kind = 'reportReturnProgress' ORDER BY m.id DESC LIMIT 1)
                WHERE id IN (SELECT dossierId FROM outboxMessage WHERE kind = 'reportReturnProgress');
                """)
    }
}
