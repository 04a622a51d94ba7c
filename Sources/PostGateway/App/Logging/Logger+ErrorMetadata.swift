import GRDB
import Hummingbird
import Logging

extension Logger.MetadataValue {
    /// An error as the logs may keep it: without the personal data some errors carry. GRDB's `RowDecodingError`
    /// prints the whole row it could not decode (a dossier row holds a name, a phone, an address), so only its
    /// type is kept. A `DatabaseError` is kept whole: its statement's arguments are left out unless the
    /// configuration makes them public, which the ledger's never does.
    ///
    /// Decoders quote what they could not read: Foundation's `DecodingError` the value ("invalid String value …"),
    /// Hummingbird's `URLEncodedFormError` the form's text (a login form's password). Of those only the type, and the
    /// path of the field, are kept.
    static func error(_ error: any Error) -> Logger.MetadataValue {
        switch error {
        case is RowDecodingError: "\(type(of: error)) (the row is not logged)"
        case let error as DecodingError: "DecodingError at \(error.fieldPath) (the value is not logged)"
        case is URLEncodedFormError: "\(type(of: error)) (the form is not logged)"
        default: "\(error)"
        }
    }
}

extension DecodingError {
    /// "applicant.fullName": where the decoder stopped, without what it found there.
    fileprivate var fieldPath: String {
        let context: Context? =
            switch self {
            case .typeMismatch(_, let context), .valueNotFound(_, let context), .keyNotFound(_, let context), .dataCorrupted(let context): context
            @unknown default: nil
            }
        let path = context?.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue } ?? []
        return path.isEmpty ? "(top)" : path.joined(separator: ".")
    }
}
