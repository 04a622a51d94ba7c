// ServiceLifecycle logs each service with `String(describing:)` at debug level. A struct's default description
// is every stored property, down to the ledger, the keyring and the reference data; a name is all the log needs.
extension ReconciliationService: CustomStringConvertible { var description: String { "ReconciliationService" } }
extension Forwarder: CustomStringConvertible { package var description: String { "Forwarder" } }
extension Notifier: CustomStringConvertible { package var description: String { "Notifier" } }
