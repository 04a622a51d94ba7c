import Hummingbird

/// The request context of every route. Staff identity joins it when accounts arrive (the accounts issue).
struct AppRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }
}
