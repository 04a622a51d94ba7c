import Foundation
import GRDB
import Logging
import ServiceLifecycle

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Delivers the one-stop's status callbacks to the gateway, signed, and retries what is not acknowledged
/// with a 2xx for up to 72 hours — so callbacks can arrive late, twice, or out of order, as the contract warns.
struct CallbackSender: Service {
    let database: SandboxDatabase
    let controls: SandboxControls
    let callbackURL: URL?
    let signer: WebhookSigner
    let tick: Duration
    let logger: Logger
    let session: URLSession

    static let giveUpAfter: TimeInterval = 72 * 3600

    init(database: SandboxDatabase, controls: SandboxControls, callbackURL: URL?, signer: WebhookSigner, tick: Duration, logger: Logger) {
        self.database = database
        self.controls = controls
        self.callbackURL = callbackURL
        self.signer = signer
        self.tick = tick
        self.logger = logger
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 10
        session = URLSession(configuration: configuration)
    }

    func run() async throws {
        guard let callbackURL else { return try await gracefulShutdown() }
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let due = try await database.writer.read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT id, body, attempts, createdAt FROM callback WHERE state = 'pending' AND nextAttemptAt <= ? ORDER BY createdAt LIMIT 50
                        """, arguments: [SandboxDatabase.sqlDate(Date())])
            }
            for row in due {
                let id: String = row["id"]
                let body: String = row["body"]
                let attempts: Int = row["attempts"]
                let delivered = await deliver(id: id, body: Data(body.utf8), to: callbackURL)
                let now = Date()
                let created = (try? Date(row["createdAt"] as String, strategy: SandboxDatabase.dateStyle)) ?? now
                let backoff = Double.random(in: 0...min(300, pow(2, Double(attempts))))
                let state = delivered ? "delivered" : (now.timeIntervalSince(created) > Self.giveUpAfter ? "dead" : "pending")
                try await database.writer.write { db in
                    try db.execute(
                        sql: "UPDATE callback SET state = ?, attempts = attempts + 1, nextAttemptAt = ? WHERE id = ?",
                        arguments: [state, SandboxDatabase.sqlDate(now.addingTimeInterval(backoff)), id])
                }
            }
            try? await Task.sleep(for: tick)
        }
    }

    private func deliver(id: String, body: Data, to url: URL) async -> Bool {
        if SandboxControls.roll(controls.faults.callbackErrorRate) { return false }
        let timestamp = String(Int(Date().timeIntervalSince1970))
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.httpBody = body
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue(id, forHTTPHeaderField: "webhook-id")
        request.setValue(timestamp, forHTTPHeaderField: "webhook-timestamp")
        request.setValue(signer.signature(id: id, timestamp: timestamp, body: body), forHTTPHeaderField: "webhook-signature")
        do {
            let (_, response) = try await session.data(for: request)
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
            if !(200..<300).contains(status) { logger.debug("callback refused", metadata: ["webhook.id": "\(id)", "status": "\(status)"]) }
            return (200..<300).contains(status)
        } catch {
            logger.debug("callback not delivered", metadata: ["webhook.id": "\(id)", "error": "\(error)"])
            return false
        }
    }
}
