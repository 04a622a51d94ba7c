import Foundation

/// Reads the one-stop's result orders for a range of days, every page of call 8 (ONESTOP_API.md §8), and hands each
/// page's rows on as they come, paged as `OneStopLedgerReader` pages call 4. Anything a correct page cannot hold stops
/// the run: a page that is not the contract's, an order without its code, agency, status or cash, a code listed twice,
/// a cursor that comes back.
struct OneStopOrderReader: Sendable {
    let client: OneStopClient
    var pageSize = 1000
    /// A ceiling on pages, against a one-stop whose cursor never ends.
    var maxPages = 100_000

    /// How many days before a run its orders are read from: the one-stop retries a callback for up to 72 hours, so an
    /// order placed up to three days before the run's first day may have reached the gateway within it.
    static let lookBehindDays = 3

    /// Reads every page, handing each page's checked orders to `visit`; answers how many orders there were.
    @discardableResult
    func read(from: LocalDate, to: LocalDate, _ visit: @Sendable ([OneStopOrder]) throws -> Void) async throws -> Int {
        let client = client
        let pageSize = pageSize
        return try await OneStopPages.read(
            "the one-stop's list of result orders", maxPages: maxPages, fetch: { cursor in try await client.listOrders(from, to, cursor, pageSize) },
            check: Self.parse, key: \.dossierCode, name: \.dossierCode, visit)
    }

    /// One row of the list, checked: the fields the reconciliation compares must be there and make sense.
    static func parse(_ row: OneStopOrderRow) throws -> OneStopOrder {
        let code = row.maHoSo
        // A mã hồ sơ is the one-stop's text, up to 50 characters (DESIGN §2); it is also a finding's key in the ledger.
        guard !code.isEmpty, code.count <= 50 else {
            throw ReconciliationFailure(reason: "an order of the one-stop's list has no MaHoSo of 1 to 50 characters")
        }
        guard let agency = row.maCoQuan else {
            throw ReconciliationFailure(reason: "the one-stop's order \(code) has no MaCoQuan")
        }
        guard let statusCode = row.trangThaiHoSo, let status = OneStopStatus(rawValue: Int(truncatingIfNeeded: statusCode)),
            Int64(status.rawValue) == statusCode
        else {
            throw ReconciliationFailure(reason: "the one-stop's order \(code) has no TrangThaiHoSo from 1 to 10")
        }
        // Bounded like the counter's amounts: the run adds the cash up per agency.
        guard let cash = row.tienThuKhiPhat, Money.validRange.contains(cash) else {
            throw ReconciliationFailure(reason: "the one-stop's order \(code) has no TienThuKhiPhat from 0 to \(Money.validRange.upperBound)")
        }
        var placedOn: LocalDate?
        if let placed = row.ngayDatHang {
            guard let instant = LocalTime.instant(compact: placed) else {
                throw ReconciliationFailure(reason: "the one-stop's order \(code) has a NgayDatHang that is not yyyyMMddHHmmss")
            }
            placedOn = LocalDate(instant)
        }
        return OneStopOrder(
            dossierCode: code,
            facts: OrderFacts(
                agencyCode: agency, status: status, resultNumber: row.maBuuGuiKetQua, cashOnDelivery: cash, resultState: row.trangThaiKetQua),
            placedOn: placedOn)
    }
}
