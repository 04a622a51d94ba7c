import HTTPTypes
import Hummingbird

/// Headers every HTML page carries: no other site may frame a page (a staff page's buttons, the login form, a
/// citizen's tracking page under someone else's address), and no browser may guess a file to be something it is not.
/// JSON answers are read by programs, not shown in frames, so they go as they are.
struct PageSecurityMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        if response.headers[.contentType]?.hasPrefix("text/html") == true {
            response.headers[.contentSecurityPolicy] = "frame-ancestors 'none'"
            response.headers[.xFrameOptions] = "DENY"
            response.headers[.xContentTypeOptions] = "nosniff"
        }
        return response
    }
}

extension HTTPField.Name {
    /// For browsers older than `frame-ancestors`.
    static let xFrameOptions = Self("X-Frame-Options")!
}
