import Hummingbird
import Logging

/// Turns every error that is not already a `Problem` into one, so that clients only ever see problem+json:
/// Hummingbird's own HTTP errors keep their status; anything else is logged and becomes a bare 500 that
/// reveals nothing of the request.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let problem as Problem {
            throw problem
        } catch let error as HTTPError {
            throw Self.problem(for: error)
        } catch let exhausted as TrackingSeries.Exhausted {
            // Refused, never numbered outside the ranges the post allocated: an operator adds the next range.
            context.logger.error("S10 serials exhausted: add a range to tracking.serialRanges", metadata: ["prefix": "\(exhausted.prefix)"])
            throw Problem(.serviceUnavailable, .unavailable) { language in
                language == .vi
                    ? "Đã hết dải số hiệu bưu gửi \(exhausted.prefix) được cấp; không có gì được lưu. Quản trị viên cần bổ sung dải số mới (tracking.serialRanges)."
                    : "The \(exhausted.prefix) serial ranges allocated to this gateway are used up; nothing was saved. An operator must add a new range (tracking.serialRanges)."
            }
        } catch {
            context.logger.error("request failed", metadata: ["error.type": "\(type(of: error))", "error": .error(error)])
            throw Problem(.internalServerError, .internalError) { language in
                language == .vi ? "Đã có lỗi; yêu cầu không được thực hiện." : "Something went wrong; the request was not carried out."
            }
        }
    }

    static func problem(for error: HTTPError) -> Problem {
        switch error.status {
        case .notFound: Problem.notFound(vi: "Không có đường dẫn này.", en: "No such path.")
        case .contentTooLarge: Problem(.contentTooLarge, .payloadTooLarge)
        case .methodNotAllowed: Problem(.methodNotAllowed, .methodNotAllowed)
        case .unsupportedMediaType: Problem(.unsupportedMediaType, .unsupportedMediaType)
        case let status where status.code >= 500: Problem(status, .internalError)
        case let status: Problem(status, .httpError)
        }
    }
}
