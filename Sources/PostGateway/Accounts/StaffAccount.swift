import Foundation

/// A staff account as the CLI lists it (never with its password hash).
struct StaffAccount: Sendable, Equatable {
    let id: Int64
    let username: String
    let displayName: String
    let role: StaffIdentity.Role
    let officeCode: String?
    let disabled: Bool
    /// Failed logins still counted against the username (`LoginThrottle`); they slow logins down, never lock.
    var failedLogins = 0
}

/// An API token as the CLI lists it: the secret itself was shown once, at creation.
struct ApiTokenInfo: Sendable, Equatable {
    let id: Int64
    let label: String
    let role: StaffIdentity.Role
    let officeCode: String?
    let createdAt: Date
    let revoked: Bool
}
