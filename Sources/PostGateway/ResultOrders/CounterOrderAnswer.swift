import Foundation

/// What the one-stop answered a counter's result order (call 6).
enum CounterOrderAnswer: Sendable, Equatable {
    /// 201, or 200 for a replay of the same order: the one-stop's view of the dossier.
    case registered(OneStopDossierFacts)
    /// 404: no dossier has this mã hồ sơ.
    case unknownDossier
    /// 409: the dossier has an order already, or its result was returned.
    case conflict
    /// 400 or 422: the one-stop refused the order's fields (their names).
    case refused(String)
    /// 5xx, a timeout, a refused connection or credentials: nothing is known.
    case unavailable(String)
}

/// What the one-stop knows of a dossier the citizen's appointment slip names (call 6's answer).
struct OneStopDossierFacts: Sendable, Equatable {
    let dossierCode: String
    let agencyCode: String
    let procedureCode: String
    let status: OneStopStatus
    let appointmentDate: LocalDate?
    /// `LePhiConNo`: fees the citizen still owes, collected on delivery.
    let feesOwed: Int64

    /// Reads call 6's answer body; nil when it is not the contract's.
    init?(parsing data: Data) {
        guard case .object(let body)? = try? JSONValue(parsing: data),
            case .string(let code)? = body["MaHoSo"], case .string(let agency)? = body["MaCoQuan"],
            case .string(let procedure)? = body["MaTTHC"], case .integer(let statusCode)? = body["TrangThaiHoSo"],
            let status = OneStopStatus(rawValue: Int(statusCode)), case .integer(let fees)? = body["LePhiConNo"], fees >= 0
        else { return nil }
        dossierCode = code
        agencyCode = agency
        procedureCode = procedure
        self.status = status
        if case .string(let day)? = body["NgayHenTra"] { appointmentDate = LocalDate(compact: day) } else { appointmentDate = nil }
        feesOwed = fees
    }
}
