import Foundation
import Hummingbird

/// The request context of every route. Staff identity joins it when accounts arrive (the accounts issue).
struct AppRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    /// Links stay readable: `/api/v1/…`, not `\/api\/v1\/…`.
    var responseEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }
}
