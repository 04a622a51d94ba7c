import Hummingbird
import Synchronization

/// The routes the router serves, by path, so that a request for a known path with a method it does not take is
/// told which methods it does (405 with `Allow`), not that the path does not exist. Filled once, when the router is
/// built, before the server takes a request.
final class KnownRoutes: Sendable {
    private let routes = Mutex<[(path: RouterPath, method: HTTPRequest.Method)]>([])

    func record(_ routes: [(path: RouterPath, method: HTTPRequest.Method)]) {
        self.routes.withLock { $0 = routes }
    }

    /// The methods of the routes whose path matches `path`, in a stable order; empty for an unknown path.
    func methods(for path: String) -> [HTTPRequest.Method] {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        let methods = routes.withLock { routes in
            routes.filter { Self.matches($0.path, segments) }.map(\.method)
        }
        return Set(methods.map(\.rawValue)).sorted().compactMap { HTTPRequest.Method($0) }
    }

    private static func matches(_ route: RouterPath, _ segments: [Substring]) -> Bool {
        var index = 0
        for element in route.components {
            if element == .recursiveWildcard { return true }
            guard index < segments.count, element ~= segments[index] else { return false }
            index += 1
        }
        return index == segments.count
    }
}

struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    let routes: KnownRoutes

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            // The router's own 404: no route for this method and path. A handler's "no such dossier" is a Problem.
            let allowed = routes.methods(for: request.uri.path)
            guard !allowed.isEmpty, !allowed.contains(request.method) else { throw error }
            var problem = Problem(.methodNotAllowed, .methodNotAllowed) { language in
                let methods = allowed.map(\.rawValue).joined(separator: ", ")
                return language == .vi ? "Đường dẫn này chỉ nhận \(methods)." : "This path takes \(methods) only."
            }
            problem.allow = allowed
            throw problem
        }
    }
}
