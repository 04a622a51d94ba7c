/// Where the ledger lives (`ledger.url`): an SQLite file in this process (the default, in the data folder), or a
/// PostgreSQL database that several gateway instances share.
enum LedgerLocation: Sendable, Equatable, CustomStringConvertible {
    /// nil: `<dataDir>/ledger.sqlite`.
    case sqlite(path: String?)
    case postgres(PostgresURL)

    /// A location as an operator writes it, `sqlite:PATH` or `postgres://user@host:port/database?sslmode=…`.
    init(_ text: String) throws(Invalid) {
        if text.hasPrefix("sqlite:") {
            let path = String(text.dropFirst("sqlite:".count))
            guard !path.isEmpty else { throw Invalid(reason: "sqlite: must name the ledger's file (sqlite:data/ledger.sqlite)") }
            self = .sqlite(path: path)
        } else if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            do throws(PostgresURL.Invalid) { self = .postgres(try PostgresURL(text)) } catch { throw Invalid(reason: error.reason) }
        } else {
            throw Invalid(reason: "must be sqlite:PATH (the embedded ledger) or postgres://user@host:port/database")
        }
    }

    struct Invalid: Error, Equatable, CustomStringConvertible {
        let reason: String
        var description: String { reason }
    }

    /// Never shows a password.
    var description: String {
        switch self {
        case .sqlite(let path): "sqlite:\(path ?? "<dataDir>/ledger.sqlite")"
        case .postgres(let url): url.description
        }
    }
}
