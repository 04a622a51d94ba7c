extension Array where Element: Sendable {
    /// `transform` of every element, at most `width` running at once, in the order they finish: a batch sent to a
    /// remote system that should see a bounded number of calls from us, never the whole batch at once. The forwarder's
    /// and the notifier's batches go through here.
    func mapped<Result: Sendable>(atMostAtOnce width: Int, _ transform: @escaping @Sendable (Element) async -> Result) async -> [Result] {
        await withTaskGroup(of: Result.self) { group in
            var results: [Result] = []
            results.reserveCapacity(count)
            var next = makeIterator()
            for _ in 0..<Swift.max(1, width) {
                guard let element = next.next() else { break }
                group.addTask { await transform(element) }
            }
            while let result = await group.next() {
                results.append(result)
                if let element = next.next() { group.addTask { await transform(element) } }
            }
            return results
        }
    }
}
