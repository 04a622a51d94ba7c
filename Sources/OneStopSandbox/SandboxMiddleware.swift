import Foundation
import Hummingbird

/// The contract's bearer token: 401 without it.
struct BearerTokenMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.headers[.authorization] == "Bearer \(token)" else {
            return LGSPResponse.error(.unauthorized, "Thiếu hoặc sai mã truy cập")
        }
        return try await next(request, context)
    }
}

/// Fault injection on the contract's routes: latency, errors before anything is written, and lost
/// acknowledgements (the write commits, then the caller sees a failure, as when a response is lost).
struct FaultMiddleware<Context: RequestContext>: RouterMiddleware {
    let controls: SandboxControls

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let faults = controls.faults
        if faults.latencyMs > 0 { try await Task.sleep(for: .milliseconds(faults.latencyMs)) }
        if SandboxControls.roll(faults.errorRate) {
            return LGSPResponse.error(.internalServerError, "Lỗi hệ thống (giả lập)")
        }
        let response = try await next(request, context)
        if request.method == .post && SandboxControls.roll(faults.dropResponseRate) {
            return LGSPResponse.error(.badGateway, "Mất phản hồi (giả lập): yêu cầu đã được ghi nhận")
        }
        return response
    }
}
