import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The part of Foundation's `Process` these tests use, launched with `posix_spawn` directly.
///
/// Foundation's `Process.run()` on Linux (Swift 6.3.1) reads `/proc/self/fd` to find which descriptors to close in the
/// child, and copies the whole 256-byte name field of each entry: when an entry ends glibc's directory buffer next to
/// an unmapped page, the copy crashes the test process (swift-corelibs-foundation PR #5472). It crashed two clean runs
/// of this suite in six. This reads each entry's name only up to its end, and otherwise does what `Process` did here:
/// standard output and error to a `Pipe`, a `FileHandle` or `/dev/null`, every other descriptor closed in the child.
final class ChildProcess: @unchecked Sendable {
    enum TerminationReason: Sendable { case exit, uncaughtSignal }

    var executableURL: URL?
    var arguments: [String] = []
    /// Nil: this process's own.
    var environment: [String: String]?
    var currentDirectoryURL: URL?
    /// A `Pipe`, a `FileHandle` (`FileHandle.nullDevice` for none), or nil to share this process's.
    var standardOutput: Any?
    var standardError: Any?

    private(set) var processIdentifier: pid_t = 0
    /// The wait status, once the child has been waited for.
    private let waited = Mutex<Int32?>(nil)

    func run() throws {
        guard let executable = executableURL?.path else { throw POSIXError(.ENOENT) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (stream, target) in [(standardOutput, STDOUT_FILENO), (standardError, STDERR_FILENO)] {
            switch stream {
            case let pipe as Pipe:
                posix_spawn_file_actions_adddup2(&actions, pipe.fileHandleForWriting.fileDescriptor, target)
            case let handle as FileHandle where handle === FileHandle.nullDevice:
                posix_spawn_file_actions_addopen(&actions, target, "/dev/null", O_WRONLY, 0)
            case let handle as FileHandle:
                posix_spawn_file_actions_adddup2(&actions, handle.fileDescriptor, target)
            default:
                break
            }
        }
        // Everything else this process has open stays out of the child, as Process did: a pipe's write end kept open by
        // a long-lived child would keep another test's reader from ever seeing the end of its output.
        for descriptor in Self.openDescriptors() where descriptor > STDERR_FILENO {
            posix_spawn_file_actions_addclose(&actions, descriptor)
        }
        // glibc's posix_spawn_file_actions_addchdir_np is not visible to Swift here: coreutils' env changes directory
        // and then becomes the program, under the same process id.
        let command = currentDirectoryURL.map { ["/usr/bin/env", "-C", $0.path, executable] } ?? [executable]
        let argv = (command + arguments).map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        let environment = (self.environment ?? ProcessInfo.processInfo.environment).map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for variable in environment { free(variable) } }
        var pid: pid_t = 0
        let code = posix_spawn(&pid, command[0], &actions, nil, argv, environment)
        guard code == 0 else { throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO) }
        processIdentifier = pid
        // The child has its own copies of the write ends: the reader sees the end of the output when the child exits.
        for stream in [standardOutput, standardError] {
            if let pipe = stream as? Pipe { try? pipe.fileHandleForWriting.close() }
        }
    }

    func terminate() {
        kill(processIdentifier, SIGTERM)
    }

    /// Blocks until the child has exited (once; later calls return at once).
    func waitUntilExit() {
        _ = wait()
    }

    /// Whether the child has exited, without waiting for it: a server that stopped at start-up is told at once.
    var hasExited: Bool {
        waited.withLock { waited in
            if waited != nil { return true }
            var status: Int32 = 0
            guard waitpid(processIdentifier, &status, WNOHANG) == processIdentifier else { return false }
            waited = status
            return true
        }
    }

    var terminationStatus: Int32 {
        let status = wait()
        return Self.signalled(status) ? status & 0x7F : (status >> 8) & 0xFF
    }

    var terminationReason: TerminationReason { Self.signalled(wait()) ? .uncaughtSignal : .exit }

    private func wait() -> Int32 {
        waited.withLock { waited in
            if let waited { return waited }
            var status: Int32 = 0
            while waitpid(processIdentifier, &status, 0) == -1 && errno == EINTR {}
            waited = status
            return status
        }
    }

    private static func signalled(_ status: Int32) -> Bool { status & 0x7F != 0 && status & 0x7F != 0x7F }

    /// The descriptors open in this process, each entry's name read only up to its end.
    private static func openDescriptors() -> [Int32] {
        guard let directory = opendir("/proc/self/fd") else { return Array(3..<1024) }
        defer { closedir(directory) }
        let nameOffset = MemoryLayout<dirent>.offset(of: \.d_name)!
        var descriptors: [Int32] = []
        while let entry = readdir(directory) {
            let name = String(cString: UnsafeRawPointer(entry).advanced(by: nameOffset).assumingMemoryBound(to: CChar.self))
            if let descriptor = Int32(name) { descriptors.append(descriptor) }
        }
        return descriptors
    }
}
