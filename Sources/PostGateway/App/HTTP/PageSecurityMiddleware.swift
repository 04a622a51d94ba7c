import HTTPTypes
import Hummingbird

/// Headers for what a browser may render: no browser guesses a file to be something it is not (every answer), and
/// every HTML page or SVG drawing carries a Content-Security-Policy. An answer that sets its own policy (a printable)
/// keeps it; any other gets the strictest that fits its type, so a route that forgets loses styles, never safety.
struct PageSecurityMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        response.headers[.xContentTypeOptions] = "nosniff"
        let type = response.headers[.contentType] ?? ""
        if type.hasPrefix("text/html") || type.hasPrefix("image/svg+xml") {
            if response.headers[.contentSecurityPolicy] == nil {
                response.headers[.contentSecurityPolicy] = type.hasPrefix("text/html") ? ContentSecurityPolicy.page : ContentSecurityPolicy.drawing
            }
            response.headers[.xFrameOptions] = "DENY"
        }
        return response
    }
}

extension HTTPField.Name {
    /// For browsers older than `frame-ancestors`.
    static let xFrameOptions = Self("X-Frame-Options")!
}
