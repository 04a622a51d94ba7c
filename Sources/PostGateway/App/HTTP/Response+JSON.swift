import Hummingbird

extension Response {
    /// An answer of the API: a JSON value written by the canonical writer (sorted keys, unescaped slashes).
    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(string: value.canonicalText)))
    }
}
