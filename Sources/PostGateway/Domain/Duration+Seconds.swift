extension Duration {
    /// The duration in seconds, with its fraction: what run summaries and benchmarks print.
    package var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
