import Foundation

/// Why a run could not complete: reported as a failure (exit 2), never as "0 findings".
struct ReconciliationFailure: Error, CustomStringConvertible {
    let reason: String
    var description: String { reason }
}

/// Reads the one-stop's ledger for a range of days, every page of it (ONESTOP_API.md §4), and hands each page's
/// rows on as they come. Anything a correct page cannot hold stops the run: a page that is not the contract's, a
/// row without an S10 number or a status, a number listed twice, a cursor that comes back.
package struct OneStopLedgerReader: Sendable {
    let client: OneStopClient
    var pageSize = 1000
    /// A ceiling on pages, against a one-stop whose cursor never ends.
    var maxPages = 100_000

    /// Reads every page, handing each page's checked rows to `visit`; answers how many rows there were.
    @discardableResult
    package func read(from: LocalDate, to: LocalDate, _ visit: @Sendable ([(TrackingNumber, LedgerFacts)]) throws -> Void) async throws -> Int {
        typealias Page = (rows: [OneStopLedgerRow], next: String?)
        let client = client
        let pageSize = pageSize
        @Sendable func fetch(_ cursor: String?) async throws -> Page {
            do {
                return try await client.listDossiers(from, to, cursor, pageSize)
            } catch {
                throw ReconciliationFailure(reason: "the one-stop's ledger could not be read: \(error)")
            }
        }
        // The next page is asked for before this one is taken apart, so that the one-stop writes a page while
        // the gateway reads the last one: a province's month is a thousand pages.
        return try await withThrowingTaskGroup(of: Page.self) { pages in
            var numbersSeen: Set<UInt64> = []
            var cursorsSeen: Set<String> = []
            pages.addTask { try await fetch(nil) }
            for _ in 0..<maxPages {
                guard let page = try await pages.next() else { break }
                if let next = page.next {
                    guard cursorsSeen.insert(next).inserted else {
                        throw ReconciliationFailure(reason: "the one-stop's ledger returned the cursor \(next) twice")
                    }
                    pages.addTask { try await fetch(next) }
                }
                let rows = try page.rows.map(Self.parse)
                for (number, _) in rows where !numbersSeen.insert(number.packed).inserted {
                    throw ReconciliationFailure(reason: "the one-stop's ledger lists \(number) twice")
                }
                try visit(rows)
                if page.next == nil { return numbersSeen.count }
            }
            throw ReconciliationFailure(reason: "the one-stop's ledger did not end after \(maxPages) pages")
        }
    }

    /// One row of the list, checked: the fields the reconciliation compares must be there and make sense.
    static func parse(_ row: OneStopLedgerRow) throws -> (TrackingNumber, LedgerFacts) {
        guard let raw = row.maBuuGui, let number = try? TrackingNumber(parsing: raw) else {
            throw ReconciliationFailure(reason: "a row of the one-stop's ledger has no valid MaBuuGui")
        }
        guard let agency = row.maCoQuan else {
            throw ReconciliationFailure(reason: "the one-stop's row \(number) has no MaCoQuan")
        }
        guard let code = row.trangThaiHoSo, let status = OneStopStatus(rawValue: Int(truncatingIfNeeded: code)), Int64(status.rawValue) == code else {
            throw ReconciliationFailure(reason: "the one-stop's row \(number) has no TrangThaiHoSo from 1 to 10")
        }
        // Bounded like the counter's amounts: the run adds fees up per agency, and a sum that overflowed would stop the
        // whole server, which runs the nightly reconciliation.
        guard let fee = row.lePhi, Money.validRange.contains(fee) else {
            throw ReconciliationFailure(reason: "the one-stop's row \(number) has no LePhi from 0 to \(Money.validRange.upperBound)")
        }
        return (
            number,
            LedgerFacts(
                agencyCode: agency, fee: fee, status: status, dossierCode: row.maHoSo, appointmentDate: row.ngayHenTra,
                handoverAt: row.thoiDiemBanGiao, resultNumber: row.maBuuGuiKetQua, resultState: row.trangThaiKetQua)
        )
    }
}
