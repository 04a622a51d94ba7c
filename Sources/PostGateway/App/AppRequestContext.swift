import Foundation
import Hummingbird
import NIOCore

/// The request context of every route: who is acting (staff routes) and where the request came from (rate limits).
struct AppRequestContext: RequestContext, RemoteAddressRequestContext {
    var coreContext: CoreRequestContextStorage
    var staff = StaffIdentity.nobody
    let remoteAddress: SocketAddress?
    /// The client a trusted proxy forwarded this request for (`ClientAddressMiddleware`).
    var forwardedClient: String?
    /// A staff change's audit entry, for the transaction that makes the change (`AuditMiddleware`, `AuditSlot`).
    var audit: AuditSlot?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// Where the request came from: the peer, or behind a trusted proxy the client it forwarded for. Rate limits,
    /// the login and the audit log use this, never the peer itself.
    var clientAddress: String? { givenAddress.map(TrustedProxies.unmapped) }

    /// The key rate limits count this request's client under: its address, an IPv6 /64 as one. `rateLimitKey`
    /// reads a mapped IPv4 address as IPv4 itself, so an IPv6 address is parsed once, not again after `unmapped`.
    var rateLimitClient: String { givenAddress.map(TrustedProxies.rateLimitKey) ?? "unknown" }

    /// The client's address as the socket or the trusted proxy wrote it.
    private var givenAddress: String? { forwardedClient ?? remoteAddress?.ipAddress }

    /// Links stay readable: `/api/v1/…`, not `\/api\/v1\/…`.
    var responseEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }
}
