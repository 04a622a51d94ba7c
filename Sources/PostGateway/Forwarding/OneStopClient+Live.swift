import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

extension OneStopClient {
    struct Settings: Sendable {
        var baseURL: URL
        var token: String
        var connectTimeout: TimeInterval = 5
        var totalTimeout: TimeInterval = 30
        var maxConnections = 32
    }

    /// Refuses every redirect: a one-stop that moved must be reconfigured, not followed blindly with the token.
    final class NoRedirects: NSObject, URLSessionTaskDelegate, Sendable {
        func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                        newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void) {
            completionHandler(nil)
        }
    }

    /// The live client: URLSession (libcurl on Linux), bearer token, request and total timeouts, no redirects.
    static func live(_ settings: Settings) -> OneStopClient {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = settings.connectTimeout
        configuration.timeoutIntervalForResource = settings.totalTimeout
        configuration.httpMaximumConnectionsPerHost = settings.maxConnections
        configuration.httpAdditionalHeaders = ["Authorization": "Bearer \(settings.token)"]
        let session = URLSession(configuration: configuration, delegate: NoRedirects(), delegateQueue: nil)

        @Sendable func request(_ method: String, _ path: String, body: Data? = nil) -> URLRequest {
            var request = URLRequest(url: URL(string: settings.baseURL.absoluteString + path)!)
            request.httpMethod = method
            request.httpBody = body
            if body != nil { request.setValue("application/json; charset=utf-8", forHTTPHeaderField: "Content-Type") }
            return request
        }

        return OneStopClient(
            send: { kind, trackingNumber, payload in
                do {
                    let (data, response) = try await session.data(for: request("POST", path(for: kind, trackingNumber: trackingNumber),
                                                                                body: Data(payload.utf8)))
                    return answer(status: (response as? HTTPURLResponse)?.statusCode ?? 0, body: data, kind: kind)
                } catch {
                    return .unavailable("\(error.localizedDescription)")
                }
            },
            listDossiers: { from, to, cursor, pageSize in
                var path = "/lgsp/bcci/hoso?TuNgay=\(from.compact)&DenNgay=\(to.compact)&SoBanGhi=\(pageSize)"
                if let cursor, let escaped = cursor.addingPercentEncoding(withAllowedCharacters: .alphanumerics) { path += "&TiepTheo=\(escaped)" }
                let (data, response) = try await session.data(for: request("GET", path))
                let status = (response as? HTTPURLResponse)?.statusCode ?? 0
                guard status == 200, case .object(let page) = try JSONValue(parsing: data), case .array(let rows)? = page["DuLieu"] else {
                    throw OneStopError(reason: "list answered HTTP \(status)")
                }
                let next: String? = if case .string(let text)? = page["TiepTheo"] { text } else { nil }
                return (rows.compactMap { if case .object(let row) = $0 { row } else { nil } }, next)
            },
            isReachable: {
                let today = LocalDate(Date())
                let probe = request("GET", "/lgsp/bcci/hoso?TuNgay=\(today.compact)&DenNgay=\(today.compact)&SoBanGhi=1")
                guard let (_, response) = try? await session.data(for: probe) else { return false }
                return (response as? HTTPURLResponse)?.statusCode == 200
            })
    }
}

struct OneStopError: Error, CustomStringConvertible {
    let reason: String
    var description: String { "one-stop: \(reason)" }
}
