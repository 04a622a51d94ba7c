import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

extension HTTPField.Name {
    static let idempotencyKey = Self("Idempotency-Key")!
    /// A signed-in browser echoes its session's CSRF token here on every unsafe request.
    static let csrfToken = Self("X-CSRF-Token")!
    static let idempotentReplayed = Self("Idempotent-Replayed")!
}

extension Request {
    /// The body as schemaless JSON, refusing a body over `limit` bytes (413), one that does not say it is
    /// JSON (415), or one that is not JSON at all (400).
    func jsonBody(limit: Int) async throws -> JSONValue {
        guard Self.namesJSON(headers[.contentType]) else {
            throw Problem(.unsupportedMediaType, .unsupportedMediaType) { language in
                language == .vi
                    ? "Nội dung phải là JSON (Content-Type: application/json)." : "The body must be JSON (Content-Type: application/json)."
            }
        }
        return try JSONValue(parsingBody: try await collectBody(limit: limit))
    }

    private static let jsonMediaType = Array("application/json".utf8)

    /// Whether a Content-Type is `application/json`, in any case, with or without parameters (`; charset=utf-8`) and
    /// the spaces or tabs HTTP allows around the type (a malformed value such as `;application/json` is not JSON).
    /// Read from the bytes: Foundation's trimming bridges through NSString on Linux, which was a fiftieth of an
    /// intake's time on the request threads.
    static func namesJSON(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        var type = contentType.utf8.prefix { $0 != UInt8(ascii: ";") }[...]
        let blank = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        while let first = type.first, blank(first) { type = type.dropFirst() }
        while let last = type.last, blank(last) { type = type.dropLast() }
        return type.count == jsonMediaType.count
            && zip(type, jsonMediaType).allSatisfy { byte, expected in
                // ASCII letters only: lowering anything else could make a byte of a longer character match.
                (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 == expected : byte == expected
            }
    }

    /// The raw body, refusing one over `limit` bytes (413): for a caller that must see the exact bytes first,
    /// such as a signature check.
    func collectBody(limit: Int) async throws -> ByteBuffer {
        do {
            return try await body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw Problem(.contentTooLarge, .payloadTooLarge) { language in
                language == .vi ? "Nội dung vượt quá \(limit) byte." : "The body is larger than \(limit) bytes."
            }
        }
    }
}

extension JSONValue {
    /// A request body as JSON; anything else is a 400.
    init(parsingBody buffer: ByteBuffer) throws(Problem) {
        do {
            try self.init(parsing: Data(buffer.readableBytesView))
        } catch {
            throw Problem.malformed(vi: "Nội dung không phải JSON hợp lệ.", en: "The body is not valid JSON.")
        }
    }
}

extension TrackingNumber {
    /// A tracking number from a URL: a bad shape is 400, a wrong check digit 422 (a typo worth naming), never 404.
    init(path text: String, field: String = "trackingNumber") throws(Problem) {
        do throws(TrackingNumber.ParseError) {
            try self.init(parsing: text)
        } catch {
            switch error {
            case .badFormat:
                throw Problem.malformed(
                    FieldIssue(field, .invalidTrackingNumber),
                    vi: "Số hiệu bưu gửi không đúng dạng S10.", en: "Not an S10 tracking number.")
            case .badCheckDigit(let expected):
                throw Problem.validation([FieldIssue(field, .badCheckDigit, String(expected))])
            }
        }
    }
}
