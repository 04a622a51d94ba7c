import ArgumentParser
import Foundation

/// `postgateway token create|list|revoke`: API tokens for scanners and integrations.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "API tokens: create (printed once, alone on stdout), list, revoke.",
        subcommands: [Create.self, List.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a token bound to a role and an office; print it alone on stdout.")
        @OptionGroup var ledger: LedgerOptions
        @Option(help: "clerk, supervisor or admin.") var role: String
        @Option(help: "The post office code (not for admin).") var office: String?
        @Option(help: "What the token is for (a scanner's name).") var label = "api"

        func run() async throws {
            let configuration = try ledger.existingLedger()
            let role = try UserCommand.role(role, office: office, configuration: configuration)
            let database = try AppDatabase.open(configuration)
            let token = StaffSecrets.newToken()
            _ = try await database.createToken(tokenHash: StaffSecrets.hash(token), label: label, role: role, officeCode: office, at: Date()) {
                UserCommand.entry("token.create", subject: "token:\($0)")
            }
            print(token)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tokens (never their secrets).")
        @OptionGroup var ledger: LedgerOptions

        func run() async throws {
            let database = try ledger.openExistingLedger()
            print("id\tlabel\trole\toffice\tstate\tcreatedAt")
            for token in try await database.tokens() {
                print(
                    "\(token.id)\t\(token.label)\t\(token.role.rawValue)\t\(token.officeCode ?? "-")\t\(token.revoked ? "revoked" : "active")\t\(LocalTime.iso(token.createdAt))"
                )
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token: a running gateway refuses it within a second.")
        @OptionGroup var ledger: LedgerOptions
        @Argument(help: "The token id (from `token list`).") var id: Int64

        func run() async throws {
            let database = try ledger.openExistingLedger()
            guard try await database.revokeToken(id: id, at: Date(), audit: UserCommand.entry("token.revoke", subject: "token:\(id)")) == .done
            else { throw ValidationError("no token with id \(id)") }
            print("revoked token \(id); a running gateway refuses it within a second")
        }
    }
}
