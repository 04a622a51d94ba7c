import ArgumentParser
import Foundation

struct OutboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox",
        abstract: "Forwarding that gave up: list dead messages, requeue one.",
        subcommands: [List.self, Requeue.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List outbox messages in a state (default dead).")

        @OptionGroup var ledger: LedgerOptions

        @Option(help: "pending, inFlight or dead.")
        var state = "dead"

        func run() async throws {
            guard let state = OutboxMessageRecord.State(rawValue: state), state != .delivered else {
                throw ValidationError("--state must be pending, inFlight or dead")
            }
            let configuration = try ledger.existingLedger()
            let database = try AppDatabase.open(configuration)
            let messages = try await database.outboxMessages(state: state, officeCode: nil, limit: 10_000)
            print("id\ttrackingNumber\tkind\tattempts\tlastError")
            for (message, number) in messages {
                print("\(message.id!)\t\(number)\t\(message.kind.rawValue)\t\(message.attempts)\t\(message.lastError ?? "")")
            }
        }
    }

    struct Requeue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Put a dead message back in the queue, due now.")

        @OptionGroup var ledger: LedgerOptions

        @Argument(help: "The message id (from `outbox list`).")
        var id: Int64

        func run() async throws {
            let configuration = try ledger.existingLedger()
            let database = try AppDatabase.open(configuration)
            guard
                try await database.requeueDeadMessage(
                    id: id, officeCode: nil, now: Date(), audit: UserCommand.slot("outbox.requeue", subject: String(id)))
            else {
                throw ValidationError("no dead message with id \(id)")
            }
            print("message \(id) requeued")
        }
    }
}
