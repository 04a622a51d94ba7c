import HTTPTypes
import Hummingbird

/// Says where a request that came through a trusted proxy came from (`TrustedProxies`), before anything counts
/// or records its client: rate limits, the login's lockout, the audit log.
struct ClientAddressMiddleware: RouterMiddleware {
    let proxies: TrustedProxies

    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!

    func handle(_ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response) async throws -> Response
    {
        guard !proxies.networks.isEmpty else { return try await next(request, context) }
        var context = context
        // Several header lines are one list, in order (RFC 9110 §5.3).
        let forwarded = request.headers[values: Self.forwardedFor]
        context.forwardedClient = proxies.client(
            peer: context.remoteAddress?.ipAddress, forwardedFor: forwarded.isEmpty ? nil : forwarded.joined(separator: ","))
        return try await next(request, context)
    }
}
