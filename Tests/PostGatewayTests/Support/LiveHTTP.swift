import Foundation

@testable import PostGateway

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A plain HTTP client over real sockets (URLSession, libcurl on Linux), for tests against a running server.
struct LiveHTTP: Sendable {
    let base: String
    let session: URLSession
    /// An API token sent on every request (`postgateway token create`), for a server process of its own.
    let token: String?

    init(port: Int, connections: Int = 64, token: String? = nil) {
        base = "http://127.0.0.1:\(port)"
        self.token = token
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = connections
        configuration.timeoutIntervalForRequest = 60
        session = URLSession(configuration: configuration)
    }

    func send(_ method: String, _ path: String, headers: [String: String] = [:], body: Data? = nil) async throws -> (status: Int, body: Data) {
        var request = URLRequest(url: URL(string: base + path)!)
        request.httpMethod = method
        request.httpBody = body
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await session.data(for: request)
        return ((response as! HTTPURLResponse).statusCode, data)
    }

    func intake(key: String, body: [String: Any] = TestSupport.intake()) async throws -> (status: Int, body: [String: Any]) {
        let (status, data) = try await send(
            "POST", "/api/v1/dossiers", headers: ["Content-Type": "application/json", "Idempotency-Key": key],
            body: try JSONSerialization.data(withJSONObject: body))
        return (status, (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:])
    }
}
