import Foundation

/// The result-only orders of a finished run (service 2, call 8), kept in the run's summary under `orders` beside the
/// postal dossiers' figures: how many each ledger holds, how many both hold, and the cash each expects the post to
/// collect on delivery, per agency, in đồng.
struct ReconciliationOrderFigures: Codable, Sendable, Equatable {
    struct AgencyTotals: Codable, Sendable, Equatable {
        var agencyCode: String
        var gatewayOrders = 0
        var gatewayCashOnDelivery: Int64 = 0
        var oneStopOrders = 0
        var oneStopCashOnDelivery: Int64 = 0
        var agree: Bool { gatewayOrders == oneStopOrders && gatewayCashOnDelivery == oneStopCashOnDelivery }

        mutating func add(gateway cash: Int64) {
            gatewayOrders += 1
            gatewayCashOnDelivery += cash
        }

        mutating func add(oneStop cash: Int64) {
            oneStopOrders += 1
            oneStopCashOnDelivery += cash
        }
    }

    var gatewayOrders = 0
    var oneStopOrders = 0
    var matched = 0
    var agencies: [AgencyTotals] = []
}

extension ReconciliationRunRecord {
    /// The run's result-only orders, from its summary: nil for a run that failed, or one from before orders were
    /// reconciled.
    var orderFigures: ReconciliationOrderFigures? {
        struct Stored: Decodable {
            let orders: ReconciliationOrderFigures?
        }
        return summary.flatMap { try? JSONDecoder().decode(Stored.self, from: Data($0.utf8)) }?.orders
    }
}
