import Foundation
import Hummingbird
import Prometheus

/// The operators' routes: liveness, readiness, Prometheus metrics and the OpenAPI document.
struct SystemController: Sendable {
    let database: AppDatabase
    let metrics: GatewayMetrics
    let openAPIDocument: ByteBuffer

    struct Health: ResponseEncodable {
        let status: String
    }

    struct Readiness: ResponseEncodable {
        let status: String
        let checks: [String: String]
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("health") { _, _ in Health(status: "ok") }
        router.get("ready", use: ready)
        router.get("metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(bytes: metrics.registry.emitToBuffer())))
        }
        router.get("openapi.yaml") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"], body: .init(byteBuffer: openAPIDocument))
        }
    }

    @Sendable func ready(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<Readiness> {
        let databaseUp = await database.isReachable()
        let readiness = Readiness(status: databaseUp ? "ready" : "unavailable", checks: ["database": databaseUp ? "up" : "down"])
        return EditedResponse(status: databaseUp ? .ok : .serviceUnavailable, response: readiness)
    }

    /// The OpenAPI document shipped with the executable.
    static func loadOpenAPIDocument() throws -> ByteBuffer {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml") else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "openapi.yaml"])
        }
        return ByteBuffer(bytes: try Data(contentsOf: url))
    }
}
