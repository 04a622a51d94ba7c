import Foundation

/// How the stand-in one-stop runs: where it listens, where it keeps its own ledger, whom it calls back.
public struct SandboxConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var dataDirectory: String
    /// The gateway's `POST /api/v1/onestop/events`.
    public var callbackURL: String?
    /// What a caller must present as `Authorization: Bearer …`.
    public var token: String
    /// What the `/_sandbox` controls (moving dossiers, faults, the whole ledger) take as `Authorization: Bearer …`:
    /// a token of their own, so that the contract's token, which the gateway holds, cannot move a dossier.
    public var controlToken: String
    /// The Standard Webhooks secret the callbacks are signed with (`whsec_` + base64).
    public var webhookSecret: String
    /// How often the callback sender and the autopilot look for work.
    public var tickInterval: Duration
    /// Where the autopilot's citizens file online and ask for their results by post: desks, procedures and communes the
    /// gateway knows, given by whoever starts the sandbox (the sandbox has no map of its own). Empty: no demo orders.
    public var orderPlaces: [OrderPlace] = []

    /// A desk, a procedure it handles, and a commune it delivers to.
    public struct OrderPlace: Sendable, Equatable {
        public let agencyCode: String
        public let procedureCode: String
        public let unitCode: String
        public let unitName: String

        public init(agencyCode: String, procedureCode: String, unitCode: String, unitName: String) {
            self.agencyCode = agencyCode
            self.procedureCode = procedureCode
            self.unitCode = unitCode
            self.unitName = unitName
        }
    }

    public init(
        host: String = "127.0.0.1", port: Int = 8090, dataDirectory: String = "data/sandbox", callbackURL: String? = nil,
        token: String, controlToken: String, webhookSecret: String, tickInterval: Duration = .milliseconds(200)
    ) {
        self.host = host
        self.port = port
        self.dataDirectory = dataDirectory
        self.callbackURL = callbackURL
        self.token = token
        self.controlToken = controlToken
        self.webhookSecret = webhookSecret
        self.tickInterval = tickInterval
    }

    var databasePath: String { (dataDirectory as NSString).appendingPathComponent("onestop.sqlite") }
}
