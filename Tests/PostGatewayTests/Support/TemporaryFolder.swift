import Foundation
import Testing

/// A folder of its own for each test, removed when the test ends, passed or failed: every ledger, data directory and
/// certificate a test makes on disk lies in it (`TestSupport.temporaryDirectory()`). Put `.temporaryFolder` on a
/// suite whose tests touch the disk; a test outside one is told so instead of leaving its files behind.
struct TemporaryFolder: TestTrait, SuiteTrait, TestScoping {
    @TaskLocal static var current: URL?

    var isRecursive: Bool { true }

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        // The suite's own scope passes through: each of its test cases gets a folder.
        guard testCase != nil, !test.isSuite else { return try await function() }
        let folder = FileManager.default.temporaryDirectory.appending(path: "postgateway-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try await Self.$current.withValue(folder) { try await function() }
    }
}

extension Trait where Self == TemporaryFolder {
    static var temporaryFolder: Self { Self() }
}

struct OutsideTemporaryFolder: Error, CustomStringConvertible {
    var description: String { "TestSupport.temporaryDirectory() needs the test's suite to carry the .temporaryFolder trait" }
}
