import Foundation
import Synchronization
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
        /// URLSession on Linux drives all of a session's transfers from one serial queue; several sessions
        /// spread the work over the cores (measured with `postgateway benchmark-forwarding`).
        var sessions = 4
    }

    /// Hands out sessions in turn.
    final class SessionPool: Sendable {
        let sessions: [URLSession]
        private let next = Mutex(0)

        init(_ sessions: [URLSession]) { self.sessions = sessions }

        func take() -> URLSession {
            sessions[next.withLock { index in
                defer { index = (index + 1) % sessions.count }
                return index
            }]
        }
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
        configuration.httpMaximumConnectionsPerHost = max(1, settings.maxConnections / max(1, settings.sessions))
        configuration.httpAdditionalHeaders = ["Authorization": "Bearer \(settings.token)"]
        // No cache and no cookies: every call is a fresh write, and both showed in profiles.
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.httpShouldSetCookies = false
        configuration.httpCookieAcceptPolicy = .never
        configuration.httpCookieStorage = nil
        let pool = SessionPool((0..<max(1, settings.sessions)).map { _ in
            URLSession(configuration: configuration, delegate: NoRedirects(), delegateQueue: nil)
        })

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
                    let (data, response) = try await pool.take().data(for: request("POST", path(for: kind, trackingNumber: trackingNumber),
                                                                                body: Data(payload.utf8)))
                    return answer(status: (response as? HTTPURLResponse)?.statusCode ?? 0, body: data, kind: kind)
                } catch {
                    return .unavailable("\(error.localizedDescription)")
                }
            },
            listDossiers: { from, to, cursor, pageSize in
                var path = "/lgsp/bcci/hoso?TuNgay=\(from.compact)&DenNgay=\(to.compact)&SoBanGhi=\(pageSize)"
                if let cursor, let escaped = cursor.addingPercentEncoding(withAllowedCharacters: .alphanumerics) { path += "&TiepTheo=\(escaped)" }
                let (data, response) = try await pool.take().data(for: request("GET", path))
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
                guard let (_, response) = try? await pool.take().data(for: probe) else { return false }
                return (response as? HTTPURLResponse)?.statusCode == 200
            })
    }
}

struct OneStopError: Error, CustomStringConvertible {
    let reason: String
    var description: String { "one-stop: \(reason)" }
}
