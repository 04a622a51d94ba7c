import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import Yams

@testable import PostGateway

/// Keeps `/openapi.yaml` true: the same routes as the router, and real answers shaped as its schemas say.
@Suite(.temporaryFolder) struct OpenAPIContractTests {
    nonisolated(unsafe) static let spec: [String: Any] = {
        let buffer = try! SystemController.loadOpenAPIDocument()
        return try! Yams.load(yaml: String(buffer: buffer)) as! [String: Any]
    }()

    @Test func everyRouteIsDocumentedAndEveryDocumentedRouteExists() throws {
        let dependencies = try TestSupport.dependencies()
        let batcher = IntakeBatcher(
            database: dependencies.database, series: .whole("PH"), pins: dependencies.pins, batchLimit: 1,
            metrics: dependencies.metrics, logger: dependencies.logger)
        let router = try buildRouter(dependencies, batcher: batcher)
        let served = Set(
            router.routes.map { route in
                let path = route.path.description.split(separator: "/").map { segment in
                    segment.hasPrefix(":") ? "{\(segment.dropFirst())}" : String(segment)
                }
                return "\(route.method.rawValue.lowercased()) /\(path.joined(separator: "/"))"
            })
        let paths = Self.spec["paths"] as! [String: [String: Any]]
        let documented = Set(paths.flatMap { path, operations in operations.keys.map { "\($0) \(path)" } })
        #expect(served == documented)
    }

    /// Checks a JSON value against a schema of the document: types (one or several, `null` among them), `allOf`,
    /// required properties, no undocumented ones, enums, patterns, minimums and lengths.
    static func violations(_ value: Any, _ schema: [String: Any], at path: String = "$") -> [String] {
        if let reference = schema["$ref"] as? String {
            let name = String(reference.split(separator: "/").last!)
            let schemas = (spec["components"] as! [String: Any])["schemas"] as! [String: Any]
            return violations(value, schemas[name] as! [String: Any], at: path)
        }
        if let parts = schema["allOf"] as? [[String: Any]] {
            // Each part sees the whole object; a property documented by any part, or beside `allOf`, is documented.
            let beside = schema.filter { $0.key != "allOf" }
            let merged = ([beside] + parts.map { resolved($0) }).reduce(into: [String: Any]()) { merged, part in
                merged["type"] = merged["type"] ?? part["type"]
                merged["required"] = (merged["required"] as? [String] ?? []) + (part["required"] as? [String] ?? [])
                merged["properties"] = (merged["properties"] as? [String: Any] ?? [:]).merging(part["properties"] as? [String: Any] ?? [:]) { $1 }
            }
            return violations(value, merged, at: path)
        }
        var found: [String] = []
        if let choices = schema["enum"] as? [Any], !choices.contains(where: { "\($0)" == "\(value)" }) {
            found.append("\(path): \(value) not in enum")
        }
        let types = (schema["type"] as? [String]) ?? (schema["type"] as? String).map { [$0] } ?? []
        if value is NSNull {
            if !types.isEmpty && !types.contains("null") { found.append("\(path): null but not nullable") }
            return found
        }
        let type = types.first { $0 != "null" }
        switch type {
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
        case "string":
            guard let text = value as? String else { return found + ["\(path): not a string"] }
            if let pattern = schema["pattern"] as? String, text.range(of: pattern, options: .regularExpression) == nil {
                found.append("\(path): \(text) does not match \(pattern)")
            }
            if let maxLength = schema["maxLength"] as? Int, text.count > maxLength { found.append("\(path): longer than \(maxLength)") }
        // JSONSerialization gives NSNumbers, and on Linux 0 and 1 also cast to Bool: check what can be checked.
        case "integer":
            guard let number = value as? Int else { return found + ["\(path): not an integer"] }
            if let minimum = schema["minimum"] as? Int, number < minimum { found.append("\(path): \(number) below \(minimum)") }
        case "number": if (value as? Double) == nil { found.append("\(path): not a number") }
        case "boolean": if !(value is Bool) { found.append("\(path): not a boolean") }
        default: break
        }
        return found
    }

    /// A schema with its reference followed.
    static func resolved(_ schema: [String: Any]) -> [String: Any] {
        guard let reference = schema["$ref"] as? String else { return schema }
        let schemas = (spec["components"] as! [String: Any])["schemas"] as! [String: Any]
        return resolved(schemas[String(reference.split(separator: "/").last!)] as! [String: Any])
    }

    /// The documented answer of an operation for a status: its media types and their schemas; nil when the status is
    /// not documented for it.
    static func documentedResponse(_ path: String, _ method: String, _ status: Int) -> [String: [String: Any]]? {
        guard let operation = (Self.spec["paths"] as! [String: [String: Any]])[path]?[method] as? [String: Any],
            var response = (operation["responses"] as? [String: Any])?[String(status)] as? [String: Any]
        else { return nil }
        if let reference = response["$ref"] as? String {
            let name = String(reference.split(separator: "/").last!)
            response = ((Self.spec["components"] as! [String: Any])["responses"] as! [String: Any])[name] as! [String: Any]
        }
        return (response["content"] as? [String: [String: Any]]) ?? [:]
    }

    @Test func realAnswersMatchTheirDocumentedSchemas() async throws {
        let app = try buildApplication(try TestSupport.dependencies())
        try await app.test(.router) { client in
            func check(
                _ uri: String, _ method: HTTPRequest.Method, documented path: String, body: ByteBuffer? = nil,
                headers: HTTPFields = [:], expect status: Int
            ) async throws -> [String: Any] {
                let response = try await client.execute(uri: uri, method: method, headers: headers, body: body)
                #expect(Int(response.status.code) == status, "\(uri): \(String(buffer: response.body))")
                guard let content = Self.documentedResponse(path, method.rawValue.lowercased(), Int(response.status.code)) else {
                    Issue.record("\(method) \(path) answers \(response.status.code), which the document does not list")
                    return [:]
                }
                // The media type served is the one documented for that status, and the body is shaped as its schema says.
                let mediaType = (response.headers[.contentType] ?? "").split(separator: ";").first.map(String.init) ?? ""
                guard let schema = content[mediaType]?["schema"] as? [String: Any] else {
                    Issue.record("\(method) \(path) \(response.status.code) is \(mediaType), documented as \(content.keys.sorted())")
                    return [:]
                }
                let json = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView), options: .fragmentsAllowed)
                let problems = Self.violations(json, schema)
                #expect(problems.isEmpty, "\(method) \(uri): \(problems)")
                return json as? [String: Any] ?? [:]
            }
            let created = try await check(
                "/api/v1/dossiers", .post, documented: "/api/v1/dossiers",
                body: TestSupport.json(TestSupport.intake { $0["fees"] = ["postage": 30000, "administrativeFee": 1] }),
                headers: TestSupport.headers(), expect: 201)
            let number = created["trackingNumber"] as! String
            _ = try await check(
                "/api/v1/dossiers", .post, documented: "/api/v1/dossiers", body: TestSupport.json(["service": 1]),
                headers: TestSupport.headers(), expect: 422)
            _ = try await check("/api/v1/dossiers/\(number)", .get, documented: "/api/v1/dossiers/{trackingNumber}", expect: 200)
            _ = try await check("/api/v1/dossiers/PH000000000VN", .get, documented: "/api/v1/dossiers/{trackingNumber}", expect: 422)
            _ = try await check("/api/v1/dossiers?limit=1", .get, documented: "/api/v1/dossiers", expect: 200)
            for list in ["offices", "agencies", "procedures"] {
                _ = try await check("/api/v1/reference/\(list)", .get, documented: "/api/v1/reference/\(list)", expect: 200)
            }
            _ = try await check("/health", .get, documented: "/health", expect: 200)
            _ = try await check("/ready", .get, documented: "/ready", expect: 200)
            _ = try await check("/api/v1/outbox?state=dead", .get, documented: "/api/v1/outbox", expect: 200)
            _ = try await check("/api/v1/outbox/99/requeue", .post, documented: "/api/v1/outbox/{id}/requeue", expect: 404)
            _ = try await check("/api/v1/reports/summary?from=2026-11-01&to=2026-11-30", .get, documented: "/api/v1/reports/summary", expect: 200)
            _ = try await check("/api/v1/reports/summary?from=x", .get, documented: "/api/v1/reports/summary", expect: 422)
            _ = try await check("/api/v1/reports/overdue", .get, documented: "/api/v1/reports/overdue", expect: 200)
            _ = try await check("/api/v1/reports/postal-service?period=2026-Q4", .get, documented: "/api/v1/reports/postal-service", expect: 200)
            let opened = try await check(
                "/api/v1/cases", .post, documented: "/api/v1/cases",
                body: TestSupport.json(["trackingNumber": number, "origin": "customer", "subject": "delay"]),
                headers: [.contentType: "application/json"], expect: 201)
            _ = try await check("/api/v1/cases/\(opened["id"] as! Int)", .get, documented: "/api/v1/cases/{id}", expect: 200)
            _ = try await check(
                "/api/v1/cases/\(opened["id"] as! Int)/resolve", .post, documented: "/api/v1/cases/{id}/resolve",
                body: TestSupport.json(["upheld": true, "compensation": 100_000]), headers: [.contentType: "application/json"], expect: 200)
            _ = try await check("/api/v1/cases?state=all", .get, documented: "/api/v1/cases", expect: 200)

            // Scanning, handovers and public tracking: answers and refusals.
            let json: HTTPFields = [.contentType: "application/json"]
            func scan(_ event: String, expect status: Int) async throws {
                _ = try await check(
                    "/api/v1/scans", .post, documented: "/api/v1/scans",
                    body: TestSupport.json(["trackingNumber": number, "event": event, "officeCode": "251750"]), headers: json, expect: status)
            }
            try await scan("arrived", expect: 201)
            try await scan("arrived", expect: 200)
            try await scan("pickedUp", expect: 409)
            _ = try await check(
                "/api/v1/scans", .post, documented: "/api/v1/scans", body: TestSupport.json(["event": "x"]), headers: json, expect: 422)
            _ = try await check(
                "/api/v1/scans", .post, documented: "/api/v1/scans",
                body: TestSupport.json(["trackingNumber": TestSupport.unknownNumber, "event": "arrived", "officeCode": "251750"]),
                headers: json, expect: 404)
            _ = try await check(
                "/api/v1/handovers", .post, documented: "/api/v1/handovers",
                body: TestSupport.json(["agencyCode": "x", "trackingNumbers": []]), headers: json, expect: 422)
            let manifest = TestSupport.json(["agencyCode": "000.42.20.H55", "officeCode": "251750", "trackingNumbers": [number]])
            let cancelled = try await check("/api/v1/handovers", .post, documented: "/api/v1/handovers", body: manifest, headers: json, expect: 201)
            _ = try await check(
                "/api/v1/handovers/\(cancelled["id"] as? Int ?? 0)/cancel", .post, documented: "/api/v1/handovers/{id}/cancel",
                expect: 200)
            let handover = try await check("/api/v1/handovers", .post, documented: "/api/v1/handovers", body: manifest, headers: json, expect: 201)
            _ = try await check("/api/v1/handovers", .get, documented: "/api/v1/handovers", expect: 200)
            _ = try await check("/api/v1/handovers/\(handover["id"] as? Int ?? 0)", .get, documented: "/api/v1/handovers/{id}", expect: 200)
            _ = try await check(
                "/api/v1/handovers/\(handover["id"] as? Int ?? 0)/sign", .post, documented: "/api/v1/handovers/{id}/sign",
                body: TestSupport.json(["receivedBy": "Trần Thị Bình"]), headers: json, expect: 200)
            _ = try await check(
                "/api/v1/handovers/\(handover["id"] as? Int ?? 0)/cancel", .post, documented: "/api/v1/handovers/{id}/cancel",
                expect: 409)
            _ = try await check("/api/v1/track/\(number)", .get, documented: "/api/v1/track/{code}", expect: 200)
            _ = try await check("/api/v1/track/\(number)?pin=000000", .get, documented: "/api/v1/track/{code}", expect: 404)
            _ = try await check("/api/v1/pickups", .get, documented: "/api/v1/pickups", expect: 200)
            _ = try await check("/api/v1/reconciliations", .get, documented: "/api/v1/reconciliations", expect: 200)
            for (uri, path) in [
                ("/api/v1/dossiers", "/api/v1/dossiers"), ("/api/v1/scans", "/api/v1/scans"), ("/api/v1/handovers", "/api/v1/handovers"),
            ] {
                _ = try await check(
                    uri, .post, documented: path, body: ByteBuffer(string: "{}"),
                    headers: [.contentType: "text/plain", .idempotencyKey: "k-000000001"], expect: 415)
            }
        }
    }

    /// The checker itself: wrong shapes are found, so a test that uses it can fail.
    @Test func theSchemaCheckerFindsWhatIsWrong() {
        #expect(!Self.violations(NSNull(), ["type": "string"]).isEmpty)
        #expect(Self.violations(NSNull(), ["type": ["string", "null"]]).isEmpty)
        #expect(!Self.violations("12a", ["type": ["string", "null"], "pattern": "^[0-9]+$"]).isEmpty)
        #expect(!Self.violations(-1, ["type": "integer", "minimum": 0]).isEmpty)
        let both: [String: Any] = [
            "allOf": [
                ["type": "object", "required": ["a"], "properties": ["a": ["type": "integer"]]],
                ["type": "object", "properties": ["b": ["type": "string"]]],
            ]
        ]
        #expect(Self.violations(["a": 1, "b": "x"], both).isEmpty)
        #expect(!Self.violations(["b": "x"], both).isEmpty)
        #expect(!Self.violations(["a": 1, "c": true], both).isEmpty)
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
