import Foundation
import Hummingbird

/// Answers in the one-stop's convention: JSON with `MaLoi` ("0" = success) and `MoTa`.
enum LGSPResponse {
    static func json(_ status: HTTPResponse.Status, _ body: [String: Any]) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: body, options: [.withoutEscapingSlashes])) ?? Data("{}".utf8)
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// JSON already written.
    static func json(_ status: HTTPResponse.Status, _ json: ByteBuffer) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: json))
    }

    static func error(_ status: HTTPResponse.Status, _ message: String, fields: [(String, String)] = []) -> Response {
        var body: [String: Any] = ["MaLoi": String(status.code), "MoTa": message]
        if !fields.isEmpty { body["Loi"] = fields.map { ["Truong": $0.0, "MoTa": $0.1] } }
        return json(status, body)
    }

    /// The body as a JSON object, or nil when it is not one.
    static func object(_ request: Request) async throws -> [String: Any]? {
        let buffer = try await request.body.collect(upTo: 1 << 20)
        return try? JSONSerialization.jsonObject(with: Data(buffer.readableBytesView)) as? [String: Any]
    }

    /// A JSON whole number. On Linux a JSONSerialization 0 or 1 also casts to Bool, so the number's own type
    /// (objCType: c for booleans, d/f for fractions) decides.
    static func integer(_ value: Any?) -> Int64? {
        guard let number = value as? NSNumber else { return nil }
        switch String(cString: number.objCType) {
        case "c", "d", "f": return nil
        default: return number.int64Value
        }
    }

    /// `yyyyMMddHHmmss` in Vietnam's time.
    static func timestamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh")
        formatter.dateFormat = "yyyyMMddHHmmss"
        return formatter.string(from: date)
    }
}
