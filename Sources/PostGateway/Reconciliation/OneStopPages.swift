import Foundation

/// Every page of one of the one-stop's lists (call 4's dossiers, call 8's orders), each page's rows checked and handed on
/// as they come. The next page is asked for before this one is taken apart, so that the one-stop writes a page while the
/// gateway reads the last one: a province's month is a thousand pages. A row listed twice, a cursor that comes back or a
/// list that never ends stops the run.
enum OneStopPages {
    /// `list` names the list in the run's failure ("the one-stop's ledger"); `key` tells rows apart and `name` says one.
    /// Answers how many rows there were.
    static func read<Row: Sendable, Checked, Key: Hashable>(
        _ list: String, maxPages: Int, fetch: @escaping @Sendable (String?) async throws -> (rows: [Row], next: String?),
        check: (Row) throws -> Checked, key: (Checked) -> Key, name: (Checked) -> String, _ visit: ([Checked]) throws -> Void
    ) async throws -> Int {
        typealias Page = (rows: [Row], next: String?)
        @Sendable func page(_ cursor: String?) async throws -> Page {
            do {
                return try await fetch(cursor)
            } catch {
                throw ReconciliationFailure(reason: "\(list) could not be read: \(error)")
            }
        }
        return try await withThrowingTaskGroup(of: Page.self) { pages in
            var keysSeen: Set<Key> = []
            var cursorsSeen: Set<String> = []
            pages.addTask { try await page(nil) }
            for _ in 0..<maxPages {
                guard let current = try await pages.next() else { break }
                if let next = current.next {
                    guard cursorsSeen.insert(next).inserted else {
                        throw ReconciliationFailure(reason: "\(list) returned the cursor \(next) twice")
                    }
                    pages.addTask { try await page(next) }
                }
                let rows = try current.rows.map(check)
                for row in rows where !keysSeen.insert(key(row)).inserted {
                    throw ReconciliationFailure(reason: "\(list) lists \(name(row)) twice")
                }
                try visit(rows)
                if current.next == nil { return keysSeen.count }
            }
            throw ReconciliationFailure(reason: "\(list) did not end after \(maxPages) pages")
        }
    }
}
