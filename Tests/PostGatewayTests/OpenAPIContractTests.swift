import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import Yams
@testable import PostGateway

/// Keeps `/openapi.yaml` true: the same routes as the router, and real answers shaped as its schemas say.
@Suite struct OpenAPIContractTests {
    nonisolated(unsafe) static let spec: [String: Any] = {
        let buffer = try! SystemController.loadOpenAPIDocument()
        return try! Yams.load(yaml: String(buffer: buffer)) as! [String: Any]
    }()

    @Test func everyRouteIsDocumentedAndEveryDocumentedRouteExists() throws {
        let dependencies = try TestSupport.dependencies()
        let batcher = IntakeBatcher(database: dependencies.database, prefix: "PH", pins: dependencies.pins, batchLimit: 1,
                                    metrics: dependencies.metrics, logger: dependencies.logger)
        let router = try buildRouter(dependencies, batcher: batcher)
        let served = Set(router.routes.map { route in
            let path = route.path.description.split(separator: "/").map { segment in
                segment.hasPrefix(":") ? "{\(segment.dropFirst())}" : String(segment)
            }
            return "\(route.method.rawValue.lowercased()) /\(path.joined(separator: "/"))"
        })
        let paths = Self.spec["paths"] as! [String: [String: Any]]
        let documented = Set(paths.flatMap { path, operations in operations.keys.map { "\($0) \(path)" } })
        #expect(served == documented)
    }

    /// Checks a JSON value against a schema of the document: types, required properties, no undocumented ones, enums.
    static func violations(_ value: Any, _ schema: [String: Any], at path: String = "$") -> [String] {
        if let reference = schema["$ref"] as? String {
            let name = String(reference.split(separator: "/").last!)
            let schemas = (spec["components"] as! [String: Any])["schemas"] as! [String: Any]
            return violations(value, schemas[name] as! [String: Any], at: path)
        }
        var found: [String] = []
        if let choices = schema["enum"] as? [Any], !choices.contains(where: { "\($0)" == "\(value)" }) {
            found.append("\(path): \(value) not in enum")
        }
        switch schema["type"] as? String {
        case "object":
            guard let object = value as? [String: Any] else { return ["\(path): not an object"] }
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for required in schema["required"] as? [String] ?? [] where object[required] == nil {
                found.append("\(path).\(required): required but missing")
            }
            for (key, child) in object {
                if let childSchema = properties[key] as? [String: Any] {
                    found += violations(child, childSchema, at: "\(path).\(key)")
                } else if let additional = schema["additionalProperties"] as? [String: Any] {
                    found += violations(child, additional, at: "\(path).\(key)")
                } else {
                    found.append("\(path).\(key): not documented")
                }
            }
        case "array":
            guard let array = value as? [Any] else { return ["\(path): not an array"] }
            if let items = schema["items"] as? [String: Any] {
                for (index, element) in array.enumerated() { found += violations(element, items, at: "\(path)[\(index)]") }
            }
        case "string": if !(value is String) { found.append("\(path): not a string") }
        // JSONSerialization gives NSNumbers, and on Linux 0 and 1 also cast to Bool: check what can be checked.
        case "integer": if (value as? Int) == nil { found.append("\(path): not an integer") }
        case "boolean": if !(value is Bool) { found.append("\(path): not a boolean") }
        default: break
        }
        return found
    }

    static func responseSchema(_ path: String, _ method: String, _ status: Int) -> [String: Any] {
        let operation = (Self.spec["paths"] as! [String: [String: Any]])[path]![method] as! [String: Any]
        var response = (operation["responses"] as! [String: Any])[String(status)] as! [String: Any]
        if let reference = response["$ref"] as? String {
            let name = String(reference.split(separator: "/").last!)
            response = ((Self.spec["components"] as! [String: Any])["responses"] as! [String: Any])[name] as! [String: Any]
        }
        let content = response["content"] as! [String: [String: Any]]
        return (content["application/json"] ?? content["application/problem+json"] ?? content.values.first!)["schema"] as! [String: Any]
    }

    @Test func realAnswersMatchTheirDocumentedSchemas() async throws {
        let app = try buildApplication(try TestSupport.dependencies())
        try await app.test(.router) { client in
            func check(_ uri: String, _ method: HTTPRequest.Method, documented path: String, body: ByteBuffer? = nil,
                       headers: HTTPFields = [:], expect status: Int) async throws -> [String: Any] {
                let response = try await client.execute(uri: uri, method: method, headers: headers, body: body)
                #expect(Int(response.status.code) == status, "\(uri)")
                let json = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))
                let problems = Self.violations(json, Self.responseSchema(path, method.rawValue.lowercased(), status))
                #expect(problems.isEmpty, "\(method) \(uri): \(problems)")
                return json as? [String: Any] ?? [:]
            }
            let created = try await check("/api/v1/dossiers", .post, documented: "/api/v1/dossiers",
                                          body: TestSupport.json(TestSupport.intake { $0["fees"] = ["postage": 30000, "administrativeFee": 1] }),
                                          headers: TestSupport.headers(), expect: 201)
            let number = created["trackingNumber"] as! String
            _ = try await check("/api/v1/dossiers", .post, documented: "/api/v1/dossiers", body: TestSupport.json(["service": 1]),
                                headers: TestSupport.headers(), expect: 422)
            _ = try await check("/api/v1/dossiers/\(number)", .get, documented: "/api/v1/dossiers/{trackingNumber}", expect: 200)
            _ = try await check("/api/v1/dossiers/PH000000000VN", .get, documented: "/api/v1/dossiers/{trackingNumber}", expect: 422)
            _ = try await check("/api/v1/dossiers?limit=1", .get, documented: "/api/v1/dossiers", expect: 200)
            for list in ["offices", "agencies", "procedures"] {
                _ = try await check("/api/v1/reference/\(list)", .get, documented: "/api/v1/reference/\(list)", expect: 200)
            }
            _ = try await check("/health", .get, documented: "/health", expect: 200)
            _ = try await check("/ready", .get, documented: "/ready", expect: 503)
            _ = try await check("/api/v1/outbox?state=dead", .get, documented: "/api/v1/outbox", expect: 200)
            _ = try await check("/api/v1/outbox/99/requeue", .post, documented: "/api/v1/outbox/{id}/requeue", expect: 404)
            _ = try await check("/api/v1/reports/summary?from=2026-11-01&to=2026-11-30", .get, documented: "/api/v1/reports/summary", expect: 200)
            _ = try await check("/api/v1/reports/summary?from=x", .get, documented: "/api/v1/reports/summary", expect: 422)
            _ = try await check("/api/v1/reports/overdue", .get, documented: "/api/v1/reports/overdue", expect: 200)
            _ = try await check("/api/v1/reports/postal-service?period=2026-Q4", .get, documented: "/api/v1/reports/postal-service", expect: 200)
            let opened = try await check("/api/v1/cases", .post, documented: "/api/v1/cases",
                                         body: TestSupport.json(["trackingNumber": number, "origin": "customer", "subject": "delay"]),
                                         headers: [.contentType: "application/json"], expect: 201)
            _ = try await check("/api/v1/cases/\(opened["id"] as! Int)", .get, documented: "/api/v1/cases/{id}", expect: 200)
            _ = try await check("/api/v1/cases/\(opened["id"] as! Int)/resolve", .post, documented: "/api/v1/cases/{id}/resolve",
                                body: TestSupport.json(["upheld": true, "compensation": 100_000]), headers: [.contentType: "application/json"], expect: 200)
            _ = try await check("/api/v1/cases?state=all", .get, documented: "/api/v1/cases", expect: 200)
        }
    }

    @Test func theServedDocumentIsTheShippedOne() async throws {
        let app = try buildApplication(try TestSupport.dependencies())
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/openapi.yaml", method: .get)
            #expect(response.status == .ok)
            #expect(String(buffer: response.body).hasPrefix("openapi: 3.1.0"))
        }
    }
}
