import ArgumentParser
import Foundation

/// `postgateway user create|list|disable|reset-password`: staff accounts, run by an admin on the server.
/// Passwords are generated and printed once; they are never taken on the command line, where shells keep them.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Staff accounts: create, list, disable, reset a password.",
        subcommands: [Create.self, List.self, Disable.self, ResetPassword.self])

    /// Actions from the command line are audited as the operating-system user who ran them.
    static var actor: String { "cli:" + (ProcessInfo.processInfo.environment["USER"] ?? "unknown") }

    static func entry(_ action: String, subject: String?) -> AuditEntry {
        slot(action, subject: subject).entry(outcome: 0)
    }

    /// The entry of a command-line change, for the transaction that makes it.
    static func slot(_ action: String, subject: String?) -> AuditSlot {
        AuditSlot(actor: actor, action: action, subject: subject, officeCode: nil, remoteAddress: nil)
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an account and print its first password once.")

        @OptionGroup var ledger: LedgerOptions
        @Option(help: "Login name: 3–64 of a-z, 0-9, . _ -") var username: String
        @Option(help: "The name shown on pages and manifests.") var name: String?
        @Option(help: "clerk, supervisor or admin.") var role: String
        @Option(help: "The post office code (clerks and supervisors; not admins).") var office: String?

        func run() async throws {
            let configuration = try ledger.existingLedger()
            let role = try UserCommand.role(role, office: office, configuration: configuration)
            let database = try AppDatabase.open(configuration)
            let password = StaffSecrets.newPassword()
            let hash = try await PasswordHasher(cost: configuration.passwordCost).hash(password)
            let username = UserCommand.username(username)
            guard (3...64).contains(username.count), username.allSatisfy({ "abcdefghijklmnopqrstuvwxyz0123456789._-".contains($0) }) else {
                throw ValidationError("--username must be 3–64 characters of a-z, 0-9, . _ -")
            }
            switch try await database.createAccount(
                username: username, displayName: name ?? username, role: role, officeCode: office,
                passwordHash: hash, at: Date(), audit: UserCommand.entry("user.create", subject: username))
            {
            case .done: print("created \(username) (\(role.rawValue)\(office.map { ", office \($0)" } ?? "")); password: \(password)")
            case .usernameTaken: throw ValidationError("an account named \(username) already exists")
            case .notFound: break
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the accounts.")
        @OptionGroup var ledger: LedgerOptions

        func run() async throws {
            let database = try ledger.openExistingLedger()
            print("username\trole\toffice\tstate\tfailedLogins")
            for account in try await database.accounts() {
                let state = account.disabled ? "disabled" : "active"
                print("\(account.username)\t\(account.role.rawValue)\t\(account.officeCode ?? "-")\t\(state)\t\(account.failedLogins)")
            }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable an account and end its sessions.")
        @OptionGroup var ledger: LedgerOptions
        @Argument var username: String

        func run() async throws {
            let username = UserCommand.username(username)
            let database = try ledger.openExistingLedger()
            guard
                try await database.disableAccount(username: username, at: Date(), audit: UserCommand.entry("user.disable", subject: username))
                    == .done
            else { throw ValidationError("no account named \(username)") }
            print("disabled \(username)")
        }
    }

    struct ResetPassword: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset-password", abstract: "Give an account a new password (printed once), forget its failed logins and end its sessions.")
        @OptionGroup var ledger: LedgerOptions
        @Argument var username: String

        func run() async throws {
            let username = UserCommand.username(username)
            let configuration = try ledger.existingLedger()
            let database = try AppDatabase.open(configuration)
            let password = StaffSecrets.newPassword()
            let hash = try await PasswordHasher(cost: configuration.passwordCost).hash(password)
            guard
                try await database.resetPassword(
                    username: username, passwordHash: hash, at: Date(),
                    audit: UserCommand.entry("user.resetPassword", subject: username)) == .done
            else { throw ValidationError("no account named \(username)") }
            print("new password for \(username): \(password)")
        }
    }

    /// A username as accounts are kept and the login page reads it: without surrounding spaces, in small letters, so
    /// that `Lan.NT` names the account `lan.nt` in every command, as it does at the login.
    static func username(_ typed: String) -> String {
        typed.trimmingCharacters(in: .whitespaces).lowercased()
    }

    /// A role and office that go together: admins belong to no office, everyone else to a known one.
    static func role(_ text: String, office: String?, configuration: GatewayConfiguration) throws -> StaffIdentity.Role {
        guard let role = StaffIdentity.Role(rawValue: text) else { throw ValidationError("--role must be clerk, supervisor or admin") }
        switch (role, office) {
        case (.admin, nil): return role
        case (.admin, _?): throw ValidationError("an admin belongs to no office: leave out --office")
        case (_, nil): throw ValidationError("a \(role.rawValue) belongs to one post office: give --office CODE")
        case (_, let code?):
            let reference = try ReferenceData.load(from: URL(fileURLWithPath: configuration.referenceDirectory))
            guard reference.office(code) != nil else { throw ValidationError("--office \(code) is not a post office of the reference data") }
            return role
        }
    }
}

extension AppDatabase {
    /// The first start of a ledger with no accounts makes an admin, with the configured password or a generated
    /// one; answers the generated password so that the caller can print it, once.
    func ensureFirstAdmin(configuredPassword: String?, hasher: PasswordHasher) async throws -> String? {
        guard try await !hasAccounts() else { return nil }
        let password = configuredPassword ?? StaffSecrets.newPassword()
        _ = try await createAccount(
            username: "admin", displayName: "Quản trị", role: .admin, officeCode: nil,
            passwordHash: try await hasher.hash(password), at: Date(),
            audit: AuditEntry(
                actor: "system", action: "user.create", subject: "admin", officeCode: nil,
                remoteAddress: nil, outcome: 0))
        return configuredPassword == nil ? password : nil
    }
}
