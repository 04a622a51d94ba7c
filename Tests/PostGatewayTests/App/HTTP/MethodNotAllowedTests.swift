import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import PostGateway

/// A method a known path does not take is answered 405 with the methods it does; an unknown path stays 404.
@Suite(.temporaryFolder) struct MethodNotAllowedTests {
    struct Answer: Decodable {
        let type: String
        let status: Int
        let detail: String?
    }

    @Test func aKnownPathAnswersAnUndeclaredMethodWith405AndItsMethods() async throws {
        let app = try buildApplication(try TestSupport.dependencies())
        try await app.test(.router) { client in
            let cases: [(uri: String, method: HTTPRequest.Method, allow: String)] = [
                ("/api/v1/dossiers", .put, "GET, POST"),
                ("/api/v1/dossiers/PH000000014VN", .delete, "GET"),
                ("/api/v1/track/PH000000014VN", .post, "GET"),
                ("/health", .patch, "GET"),
                ("/static/staff.css", .post, "GET"),
            ]
            for (uri, method, allow) in cases {
                let response = try await client.execute(uri: uri, method: method, headers: [.acceptLanguage: "en"])
                #expect(response.status == .methodNotAllowed, "\(method) \(uri)")
                #expect(response.headers[.allow] == allow, "\(method) \(uri)")
                #expect(response.headers[.contentType]?.hasPrefix("application/problem+json") == true)
                let answer = try JSONDecoder().decode(Answer.self, from: Data(buffer: response.body))
                #expect(answer.status == 405 && answer.type.hasSuffix("method-not-allowed"))
                #expect(answer.detail == "This path takes \(allow) only.")
            }
            let unknown = try await client.execute(uri: "/api/v1/nothing-here", method: .put)
            #expect(unknown.status == .notFound && unknown.headers[.allow] == nil)
        }
    }

    @Test func theMethodsOfAPathAreThoseOfEveryRouteItMatches() {
        let routes = KnownRoutes()
        routes.record([
            ("/api/v1/dossiers", .get), ("/api/v1/dossiers", .post), ("/api/v1/dossiers/:trackingNumber", .get),
            ("/static/**", .get),
        ])
        #expect(routes.methods(for: "/api/v1/dossiers") == [.get, .post])
        #expect(routes.methods(for: "/api/v1/dossiers/PH1/") == [.get])
        #expect(routes.methods(for: "/api/v1/dossiers/PH1/receipt").isEmpty)
        #expect(routes.methods(for: "/static/a/b.css") == [.get])
        #expect(routes.methods(for: "/").isEmpty)
    }
}
