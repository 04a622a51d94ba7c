import Hummingbird

/// Who is acting on a staff route, as `StaffAuthenticator` found them: a signed-in account or an API token.
struct StaffIdentity: Sendable, Equatable {
    enum Role: String, Sendable, CaseIterable, Comparable {
        case clerk, supervisor, admin

        private var rank: Int { Self.allCases.firstIndex(of: self)! }
        static func < (lhs: Role, rhs: Role) -> Bool { lhs.rank < rhs.rank }
    }

    /// The username, or `token:<id>` for an API token: what events, manifests and the audit log record.
    let name: String
    let role: Role
    /// nil for admins, who act at every office.
    let officeCode: String?
    /// The session's CSRF token, which every unsafe request of a signed-in browser must echo; nil for tokens.
    var csrfToken: String? = nil
    /// The hash of the session this request came with (nil for tokens): a password change keeps it and ends the others.
    var sessionTokenHash: String? = nil

    /// Whether this person may see or change things at `officeCode` (others' items answer 404, so that their
    /// existence does not leak).
    func mayAct(at officeCode: String?) -> Bool {
        guard let own = self.officeCode else { return true }
        return officeCode == own
    }

    /// Whether `sent` is this session's CSRF token (compared in constant time); a token identity has none to echo.
    func accepts(csrf sent: String?) -> Bool {
        guard let sent, let csrfToken else { return false }
        return StaffAuthenticator.same(sent, csrfToken)
    }

    /// The office a request that asks for `asked` is about: the one asked (nil: every office, for an admin), or
    /// this person's own when none is asked. Another office answers `notFound` (404), so its existence does not leak.
    func office(asked: String?, notFound: Problem = .notFound(vi: "Không tìm thấy bưu cục.", en: "No such office.")) throws -> String? {
        let office = asked ?? officeCode
        guard mayAct(at: office) else { throw notFound }
        return office
    }

    /// Public routes' context: no role reaches anything, no office is its own.
    static let nobody = StaffIdentity(name: "anonymous", role: .clerk, officeCode: "")

    /// Refuses (403) a route meant for a higher role. A route's office check comes after this one.
    func require(_ role: Role) throws {
        guard self.role >= role else {
            throw Problem(.forbidden, .forbidden) { language in
                language == .vi ? "Việc này cần quyền \(role.vietnamese) trở lên." : "This needs the \(role.rawValue) role or higher."
            }
        }
    }
}

extension StaffIdentity.Role {
    var vietnamese: String {
        switch self {
        case .clerk: "giao dịch viên"
        case .supervisor: "trưởng bưu cục"
        case .admin: "quản trị"
        }
    }
}
