// ServiceLifecycle logs each service with `String(describing:)`; a name is all the log needs.
extension CallbackSender: CustomStringConvertible { var description: String { "CallbackSender" } }
extension Autopilot: CustomStringConvertible { var description: String { "Autopilot" } }
