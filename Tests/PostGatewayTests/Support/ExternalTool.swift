import Foundation

/// Runs a real tool (rsvg-convert, zbarimg, the postgateway executable) and captures what it prints.
enum ExternalTool {
    struct Output {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static func run(_ executable: String, _ arguments: [String], currentDirectory: URL? = nil) throws -> Output {
        let process = ChildProcess()
        process.executableURL = executable.hasPrefix("/") ? URL(fileURLWithPath: executable) : URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = executable.hasPrefix("/") ? arguments : [executable] + arguments
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes before waiting, so a chatty tool cannot block on a full pipe.
        let stdout = try out.fileHandleForReading.readAllRetryingInterruptedReads()
        let stderr = try err.fileHandleForReading.readAllRetryingInterruptedReads()
        process.waitUntilExit()
        return Output(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// What zbarimg reads in an image: one decoded symbol per line.
    static func decodeSymbols(in image: URL) throws -> Set<String> {
        let output = try run("zbarimg", ["--raw", "-q", image.path])
        return Set(output.stdout.split(separator: "\n").map(String.init))
    }
}
