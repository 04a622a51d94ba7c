import Foundation

extension FileHandle {
    /// Everything up to the end of the file, reading again when a signal interrupts a read. The tests start many child
    /// processes, and a SIGCHLD that lands during a blocking read of a pipe makes the read fail with EINTR, which
    /// Foundation's `readDataToEndOfFile()` turns into a crash of the whole test process (a `try!`), every suite with it.
    func readAllRetryingInterruptedReads() throws -> Data {
        var data = Data()
        while true {
            do {
                guard let chunk = try read(upToCount: 1 << 16), !chunk.isEmpty else { return data }
                data.append(chunk)
            } catch  where Self.wasInterrupted(error) {
                continue
            }
        }
    }

    private static func wasInterrupted(_ error: any Error) -> Bool {
        let error = error as NSError
        if error.domain == NSPOSIXErrorDomain && error.code == Int(EINTR) { return true }
        return (error.userInfo[NSUnderlyingErrorKey] as? NSError).map(wasInterrupted) ?? false
    }
}
