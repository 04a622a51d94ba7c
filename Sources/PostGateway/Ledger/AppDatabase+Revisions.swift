import GRDB

extension AppDatabase {
    func latestDossierRevision() async throws -> Int64 {
        try await read { db in try Int64.fetchOne(db, sql: "SELECT coalesce(max(revision), 0) FROM dossierRevision") ?? 0 }
    }

    /// The dossiers whose revision moved past `revision`, and the latest revision.
    func dossiersChanged(afterRevision revision: Int64) async throws -> (Set<Int64>, Int64) {
        try await read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT dossierId, revision FROM dossierRevision WHERE revision > ? ORDER BY revision LIMIT 100000",
                                        arguments: [revision])
            return (Set(rows.map { $0[0] as Int64 }), rows.last.map { $0[1] as Int64 } ?? revision)
        }
    }

    /// Moves a dossier's revision past every other, as the schema's revision triggers do (v5), for the one change no
    /// trigger sees since v17: a supplement written by intake, which changes what its original's tracking view links to.
    static func moveRevision(ofDossier id: Int64, in db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO dossierRevision(dossierId, revision) VALUES (?, (SELECT coalesce(max(revision), 0) + 1 FROM dossierRevision))
            ON CONFLICT(dossierId) DO UPDATE SET revision = (SELECT max(revision) + 1 FROM dossierRevision)
            """).execute(arguments: [id])
    }
}
