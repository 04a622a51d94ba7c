import Foundation
import Logging

/// The Official Account's tokens for ZNS: an access token that lives about 25 hours, and a refresh token Zalo
/// replaces at every use (it is good once). The newest refresh token is kept in `<data>/secrets/zalo-refresh.token`,
/// owner-only, so a restart uses the one Zalo will still take instead of the one configured long ago.
actor ZaloTokens {
    private var accessToken: String?
    private var refreshToken: String
    private let storePath: String?
    private let logger: Logger

    /// `configuredRefreshToken` is used only until a refresh has stored a newer one at `storePath`.
    init(configuredRefreshToken: String, storePath: String?, logger: Logger = Logger(label: "postgateway.zalo")) {
        self.storePath = storePath
        self.logger = logger
        let stored = storePath.flatMap { try? String(contentsOfFile: $0, encoding: .utf8) }?.trimmingCharacters(in: .whitespacesAndNewlines)
        refreshToken = stored.flatMap { $0.isEmpty ? nil : $0 } ?? configuredRefreshToken
    }

    /// The access token to try, nil before the first refresh.
    func current() -> String? { accessToken }

    /// A fresh access token. Only the first of the sends that found `failed` expired refreshes it; the others wait for
    /// the token it brings, as the refresh token it uses is spent once used.
    func refreshed(replacing failed: String?, using refresh: @Sendable (String) async throws -> (access: String, refresh: String)) async throws
        -> String
    {
        if let accessToken, accessToken != failed { return accessToken }
        if waiting != nil {
            return try await withCheckedThrowingContinuation { waiting!.append($0) }
        }
        waiting = []
        let result: Result<String, any Error>
        do {
            let tokens = try await refresh(refreshToken)
            accessToken = tokens.access
            refreshToken = tokens.refresh
            result = .success(tokens.access)
            // The refresh took, and the old token is spent: the new pair is used whether or not it can be kept. Not kept,
            // the next start has only a spent token, and an operator must authorise the OA again: said loudly now.
            do { try store(tokens.refresh) } catch {
                logger.critical(
                    "the new Zalo refresh token could not be kept: after a restart ZNS needs the OA authorised again",
                    metadata: ["file": "\(storePath ?? "")", "error": "\(error)"])
            }
        } catch {
            result = .failure(error)
        }
        let waiters = waiting ?? []
        waiting = nil
        for waiter in waiters { waiter.resume(with: result) }
        return try result.get()
    }

    private var waiting: [CheckedContinuation<String, any Error>]?

    private func store(_ token: String) throws {
        guard let storePath else { return }
        let folder = (storePath as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try Data(token.utf8).write(to: URL(fileURLWithPath: storePath), options: .atomic)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: storePath)
    }
}
