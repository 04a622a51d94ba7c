import Foundation
import Hummingbird
import NIOCore

/// The request context of every route: who is acting (staff routes) and where the request came from (rate limits).
struct AppRequestContext: RequestContext, RemoteAddressRequestContext {
    var coreContext: CoreRequestContextStorage
    var staff = StaffIdentity.nobody
    let remoteAddress: SocketAddress?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// Links stay readable: `/api/v1/…`, not `\/api\/v1\/…`.
    var responseEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }
}
