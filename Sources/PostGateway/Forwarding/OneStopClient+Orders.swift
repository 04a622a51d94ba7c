import Foundation

extension OneStopClient {
    /// How call 6's HTTP answer maps to what the counter tells the clerk. The reason kept is the one-stop's code and the
    /// fields it refused (`answer(status:body:kind:)`), never its free text, which can repeat the phone or the address.
    static func counterOrderAnswer(status: Int, body: Data) -> CounterOrderAnswer {
        switch status {
        case 200, 201:
            return OneStopDossierFacts(parsing: body).map(CounterOrderAnswer.registered)
                ?? .unavailable("HTTP \(status) with an answer that is not the contract's (\(body.count) bytes)")
        case 404: return .unknownDossier
        case 409: return .conflict
        default:
            switch answer(status: status, body: body, kind: .reportOrderProgress) {
            case .refused(let reason): return .refused(reason)
            case .unavailable(let reason): return .unavailable(reason)
            case .accepted, .needsRegistration: return .unavailable("HTTP \(status)")
            }
        }
    }
}
