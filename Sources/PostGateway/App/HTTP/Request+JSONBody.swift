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
        let type = headers[.contentType]?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        guard type == "application/json" else {
            throw Problem(.unsupportedMediaType, .unsupportedMediaType) { language in
                language == .vi ? "Nội dung phải là JSON (Content-Type: application/json)." : "The body must be JSON (Content-Type: application/json)."
            }
        }
        return try JSONValue(parsingBody: try await collectBody(limit: limit))
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
                throw Problem.malformed(FieldIssue(field, .invalidTrackingNumber),
                                        vi: "Số hiệu bưu gửi không đúng dạng S10.", en: "Not an S10 tracking number.")
            case .badCheckDigit(let expected):
                throw Problem.validation([FieldIssue(field, .badCheckDigit, String(expected))])
            }
        }
    }
}
