import GRDB
import Logging

extension Logger.MetadataValue {
    /// An error as the logs may keep it: without the personal data some errors carry. GRDB's `RowDecodingError`
    /// prints the whole row it could not decode (a dossier row holds a name, a phone, an address), so only its
    /// type is kept. A `DatabaseError` is kept whole: its statement's arguments are left out unless the
    /// configuration makes them public, which the ledger's never does.
    static func error(_ error: any Error) -> Logger.MetadataValue {
        switch error {
        case is RowDecodingError: "\(type(of: error)) (the row is not logged)"
        default: "\(error)"
        }
    }
}
