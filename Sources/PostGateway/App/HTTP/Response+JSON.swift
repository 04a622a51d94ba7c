import Hummingbird

extension Response {
    /// An answer of the API: a JSON value written by the canonical writer (sorted keys, unescaped slashes).
    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        json(ByteBuffer(string: value.canonicalText), status: status, headers: headers)
    }

    /// An answer of the API already written as canonical JSON text (by a `JSONWriter`).
    static func json(bytes: [UInt8], status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        json(ByteBuffer(bytes: bytes), status: status, headers: headers)
    }

    private static func json(_ text: ByteBuffer, status: HTTPResponse.Status, headers: HTTPFields) -> Response {
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: fields, body: .init(byteBuffer: text))
    }
}
