import Foundation
import Hummingbird

extension Response {
    /// An answer of the API: a JSON value written by the canonical writer (sorted keys, unescaped slashes).
    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        json(ByteBuffer(string: value.canonicalText), status: status, headers: headers)
    }

    /// An answer of the API encoded by Foundation's encoder, keys sorted like every other answer.
    static func json(encoding value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws -> Response {
        json(ByteBuffer(bytes: try JSONEncoder.sortedKeys().encode(value)), status: status, headers: headers)
    }

    private static func json(_ text: ByteBuffer, status: HTTPResponse.Status, headers: HTTPFields) -> Response {
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: fields, body: .init(byteBuffer: text))
    }
}

extension JSONEncoder {
    /// The encoder of the gateway's JSON: keys in sorted order, so that equal values are equal bytes, and slashes
    /// left as they are.
    static func sortedKeys() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
