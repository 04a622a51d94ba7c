import ArgumentParser

/// `PostGatewayBench`: what `make bench` measures beside the gateway, and the limits it measures the gateway
/// against, in a target of its own so that none of it ships in `postgateway`.
@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "PostGatewayBench",
        abstract: "The benchmarks of `make bench` and the limits they are measured beside.",
        subcommands: [
            DurableIntakeLimitCommand.self, LabelBenchmarkCommand.self, ForwardingBenchmarkCommand.self, ReconciliationBenchmarkCommand.self,
        ])
}
