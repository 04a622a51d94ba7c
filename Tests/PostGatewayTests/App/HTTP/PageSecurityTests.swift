import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import PostGateway

/// Every route of `/openapi.yaml` that a browser may render carries a Content-Security-Policy, and every answer
/// `nosniff`: walked over the document, with each `format` it offers.
@Suite(.temporaryFolder) struct PageSecurityTests {
    @Test func everyHTMLAndSVGAnswerHasItsPolicyAndEveryAnswerNosniff() async throws {
        let dependencies = try TestSupport.dependencies()
        let app = try buildApplication(dependencies)
        let paths = OpenAPIContractTests.spec["paths"] as! [String: [String: Any]]
        // Each GET route with the formats its `format` parameter offers.
        let routes: [(path: String, formats: [String])] = paths.sorted(by: { $0.key < $1.key }).compactMap { path, operations in
            guard let get = operations["get"] as? [String: Any] else { return nil }
            let formats =
                (get["parameters"] as? [[String: Any]] ?? []).first { $0["name"] as? String == "format" }
                .flatMap { ($0["schema"] as? [String: Any])?["enum"] as? [String] } ?? []
            return (path, formats)
        }
        try await app.test(.router) { client in
            let number = try await DossierReadTests.create(client)
            var rendered: [String: String] = [:]
            for (path, formats) in routes {
                let concrete = path.replacingOccurrences(of: "{trackingNumber}", with: number).replacingOccurrences(of: "{code}", with: number)
                    .replacingOccurrences(of: "{id}", with: "1").replacingOccurrences(of: "{file}", with: "staff.css")
                for format in [nil] + formats.map(Optional.some) {
                    let uri = concrete + (format.map { "?format=\($0)" } ?? "")
                    let response = try await client.execute(uri: uri, method: .get)
                    #expect(response.headers[.xContentTypeOptions] == "nosniff", "\(uri)")
                    let type = response.headers[.contentType] ?? ""
                    guard type.hasPrefix("text/html") || type.hasPrefix("image/svg+xml") else { continue }
                    let policy = try #require(response.headers[.contentSecurityPolicy], "\(uri)")
                    #expect(policy.contains("frame-ancestors 'none'") && !policy.contains("'unsafe-eval'"), "\(uri)")
                    #expect(!policy.contains("script-src 'unsafe-inline'"), "\(uri)")
                    rendered[uri] = policy
                }
            }
            #expect(rendered["/api/v1/dossiers/\(number)/receipt"] == ContentSecurityPolicy.printable)
            #expect(rendered["/api/v1/labels/\(number)?format=svg"] == ContentSecurityPolicy.drawing)
            #expect(rendered["/counter"] == ContentSecurityPolicy.page)
            #expect(rendered["/t/\(number)"] == ContentSecurityPolicy.page)
            #expect(rendered.count >= 8, "\(rendered.keys.sorted())")
        }
    }

    /// No template may carry what the page policy would refuse, or what would run if it were ever relaxed.
    @Test func noTemplateHasInlineScriptOrEventHandlers() throws {
        let folders = [
            TestSupport.packageRoot.appending(path: "Sources/PostGateway/Web/Templates"), TestSupport.packageRoot.appending(path: "labels"),
        ]
        for folder in folders {
            for file in try FileManager.default.contentsOfDirectory(atPath: folder.path) where file.hasSuffix(".mustache") {
                let text = try String(contentsOf: folder.appending(path: file), encoding: .utf8)
                #expect(text.range(of: #"\son[a-z]+\s*="#, options: [.regularExpression, .caseInsensitive]) == nil, "\(file)")
                #expect(text.range(of: #"<script(?![^>]*\ssrc=)"#, options: .regularExpression) == nil, "\(file)")
                #expect(!text.contains("javascript:"), "\(file)")
                if folder.lastPathComponent == "Templates" { #expect(!text.contains("<style") && !text.contains("style="), "\(file)") }
            }
        }
    }
}
