import Foundation
import GRDB

extension AppDatabase {
    /// Every result-only order the gateway took on the local days `from`…`to`, as the reconciliation compares it with
    /// call 8, in one read transaction. One row per order: its code, status, result item (number and cash to collect),
    /// the last progress it reported (`reportOrderProgress`), and whether a message is on its way.
    func scanResultOrders<State: Sendable>(
        from: LocalDate, to: LocalDate, into initial: State,
        _ visit: @escaping @Sendable (inout State, GatewayOrder) throws -> Void
    ) async throws -> State {
        try await read { db in
            var state = initial
            let forwarding = try Self.forwardingState(db)
            let rows = try Row.fetchCursor(
                db, sql: Self.orderColumns + " WHERE d.service = 'resultOnly' AND d.acceptedAt >= ? AND d.acceptedAt < ?",
                arguments: [LedgerTime.string(from.startInstant), LedgerTime.string(to.adding(days: 1).startInstant)])
            while let row = try rows.next() {
                guard let order = Self.gatewayOrder(row, forwarding) else { continue }
                try visit(&state, order)
            }
            return state
        }
    }

    /// The result-only orders of these mã hồ sơ, whatever day the gateway took them: the one-stop lists an order by when
    /// it was placed, and the gateway may have taken it after a run's last day.
    func resultOrders(codes: [String]) async throws -> [GatewayOrder] {
        guard !codes.isEmpty else { return [] }
        return try await read { db in
            let forwarding = try Self.forwardingState(db)
            var orders: [GatewayOrder] = []
            for start in stride(from: 0, to: codes.count, by: 500) {
                let chunk = Array(codes[start..<min(codes.count, start + 500)])
                let rows = try Row.fetchCursor(
                    db,
                    sql: Self.orderColumns + " WHERE d.service = 'resultOnly' AND d.oneStopCode IN (\(databaseQuestionMarks(count: chunk.count)))",
                    arguments: StatementArguments(chunk))
                while let row = try rows.next() {
                    if let order = Self.gatewayOrder(row, forwarding) { orders.append(order) }
                }
            }
            return orders
        }
    }

    /// The dossiers with a message on its way, and those with a message the one-stop refused, looked up once per read
    /// rather than by a subquery per row. Behind a dead message nothing of its dossier is tried (the forwarder keeps each
    /// dossier's order), so such a dossier is not waited for: what died in a long outage is queued again by the repair.
    static func forwardingState(_ db: Database) throws -> (onItsWay: Set<Int64>, refused: Set<Int64>) {
        let onItsWay = try Set(
            Int64.fetchCursor(
                db,
                sql: """
                    SELECT DISTINCT dossierId FROM outboxMessage m WHERE state IN ('pending', 'inFlight')
                      AND NOT EXISTS (SELECT 1 FROM outboxMessage e WHERE e.dossierId = m.dossierId AND e.state = 'dead')
                    """))
        let refused = try Set(Int64.fetchCursor(db, sql: "SELECT DISTINCT dossierId FROM outboxMessage WHERE state = 'dead' AND refused = 1"))
        return (onItsWay, refused)
    }

    /// An order's row: its latest result item, and its latest progress report by the outbox's order, which is the order
    /// the scans came in (a repair copies an order's reports in that order too). A counter's order with no report yet is
    /// taken: call 6 gave the one-stop its number, which the one-stop records as `TIEP_NHAN_DON`.
    private static let orderColumns = """
        SELECT d.id, d.oneStopCode, d.agencyCode, d.oneStopStatus, r.trackingNumber AS resultNumber, r.cashOnDelivery,
               coalesce(
                   (SELECT json_extract(m.payload, '$.TrangThai') FROM outboxMessage m
                    WHERE m.dossierId = d.id AND m.kind = 'reportOrderProgress' ORDER BY m.id DESC LIMIT 1),
                   CASE WHEN d.orderedVia = 'counter' THEN 'TIEP_NHAN_DON' END) AS resultState,
               EXISTS (SELECT 1 FROM outboxMessage m WHERE m.dossierId = d.id AND m.kind = 'reportOrderProgress') AS hasProgressReports
        FROM dossier d
        LEFT JOIN item r ON r.id = (SELECT max(i.id) FROM item i WHERE i.dossierId = d.id AND i.kind = 'result')
        """

    /// nil for a row without its mã hồ sơ, which v22 never writes for an order: nothing to compare it by.
    private static func gatewayOrder(_ row: Row, _ forwarding: (onItsWay: Set<Int64>, refused: Set<Int64>)) -> GatewayOrder? {
        guard let code = row["oneStopCode"] as String? else { return nil }
        let dossierId: Int64 = row["id"]
        let facts = OrderFacts(
            agencyCode: row["agencyCode"], status: (row["oneStopStatus"] as Int?).flatMap(OneStopStatus.init(rawValue:)),
            resultNumber: row["resultNumber"], cashOnDelivery: row["cashOnDelivery"] as Int64? ?? 0, resultState: row["resultState"])
        return GatewayOrder(
            dossierCode: code, dossierId: dossierId, facts: facts, hasUndeliveredMessages: forwarding.onItsWay.contains(dossierId),
            refusedByOneStop: forwarding.refused.contains(dossierId), hasProgressReports: row["hasProgressReports"])
    }
}
