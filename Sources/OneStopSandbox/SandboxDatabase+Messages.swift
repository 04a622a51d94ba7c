import Foundation
import GRDB

extension SandboxDatabase {
    /// A message as the sandbox recorded it, for `GET /_sandbox/messages`.
    struct Message: Codable, Sendable {
        let phone: String
        let channel: String
        let template: String
        let trackingId: String
        let text: String
        let sentAt: String
    }

    /// Records a message once per tracking id; answers its id, and whether it was recorded before (a retry).
    func recordMessage(trackingId: String, phone: String, channel: String, template: String, text: String, now: Date) async throws -> (
        id: Int64, repeated: Bool
    ) {
        try await writer.write { db in
            if let id = try Int64.fetchOne(db, sql: "SELECT id FROM message WHERE trackingId = ?", arguments: [trackingId]) {
                return (id, true)
            }
            try db.execute(
                sql: "INSERT INTO message (trackingId, phone, channel, template, text, sentAt) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [trackingId, phone, channel, template, text, ISO8601DateFormatter().string(from: now)])
            return (db.lastInsertedRowID, false)
        }
    }

    func messages() async throws -> [Message] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT phone, channel, template, trackingId, text, sentAt FROM message ORDER BY id").map { row in
                Message(
                    phone: row["phone"], channel: row["channel"], template: row["template"], trackingId: row["trackingId"], text: row["text"],
                    sentAt: row["sentAt"])
            }
        }
    }

    /// Spends a refresh token (the first one always passes: an OA authorised afresh) and hands out a new pair; nil
    /// for a token it never gave or already spent.
    func refreshZaloTokens(_ refreshToken: String, initial: String, accessSeconds: Int, now: Date) async throws -> (access: String, refresh: String)?
    {
        try await writer.write { db in
            if refreshToken != initial {
                try db.execute(
                    sql: "UPDATE zaloToken SET usedAt = ? WHERE token = ? AND kind = 'refresh' AND usedAt IS NULL",
                    arguments: [now, refreshToken])
                guard db.changesCount == 1 else { return nil }
            }
            let access = "sbx-access-" + UUID().uuidString
            let refresh = "sbx-refresh-" + UUID().uuidString
            try db.execute(
                sql: "INSERT INTO zaloToken (token, kind, expiresAt) VALUES (?, 'access', ?), (?, 'refresh', NULL)",
                arguments: [access, now.addingTimeInterval(TimeInterval(accessSeconds)), refresh])
            return (access, refresh)
        }
    }

    /// Ends every access token still good; the refresh tokens stay as they are. The number ended.
    func expireAccessTokens(now: Date) async throws -> Int {
        try await writer.write { db in
            try db.execute(sql: "UPDATE zaloToken SET expiresAt = ? WHERE kind = 'access' AND expiresAt > ?", arguments: [now, now])
            return db.changesCount
        }
    }

    func isValidAccessToken(_ token: String, now: Date) async throws -> Bool {
        try await writer.read { db in
            try Bool.fetchOne(
                db, sql: "SELECT 1 FROM zaloToken WHERE token = ? AND kind = 'access' AND expiresAt > ?", arguments: [token, now]) == true
        }
    }
}
