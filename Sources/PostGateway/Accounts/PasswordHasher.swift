import HummingbirdBcrypt
import NIOPosix

/// bcrypt for staff passwords, run on NIO's blocking pool: at cost 12 a hash takes a quarter of a second,
/// which must not stall an event loop.
struct PasswordHasher: Sendable {
    let cost: Int
    /// The shortest password an operator may configure (generated ones are 16 characters).
    static let minimumLength = 12

    /// A hash at this cost of a password nobody knows: the login checks against it when the username is unknown,
    /// so a wrong name costs as long as a wrong password. Made once, by the one that needs it.
    func makeDecoy() -> String {
        Bcrypt.hash(StaffSecrets.newPassword(), cost: UInt8(cost))
    }

    func hash(_ password: String) async throws -> String {
        let cost = UInt8(cost)
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    func verify(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }
}
