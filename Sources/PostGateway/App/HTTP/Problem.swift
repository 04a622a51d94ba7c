import Foundation
import Hummingbird

/// An RFC 9457 problem: every error the API answers is one, as `application/problem+json`, with an `errors`
/// array naming each bad field, in Vietnamese or (on request) English.
struct Problem: HTTPResponseError {
    enum Kind: String, Sendable {
        case validationFailed = "validation-failed"
        case malformedRequest = "malformed-request"
        case notFound = "not-found"
        case unauthorized
        case forbidden
        case conflict
        case payloadTooLarge = "payload-too-large"
        case unsupportedMediaType = "unsupported-media-type"
        case methodNotAllowed = "method-not-allowed"
        case unavailable
        case tooManyRequests = "too-many-requests"
        case internalError = "internal-error"
        case httpError = "http-error"

        func title(_ language: Language) -> String {
            switch (self, language) {
            case (.validationFailed, .vi): "Dữ liệu không hợp lệ"
            case (.validationFailed, .en): "Invalid data"
            case (.malformedRequest, .vi): "Yêu cầu không đọc được"
            case (.malformedRequest, .en): "Malformed request"
            case (.unauthorized, .vi): "Chưa xác thực"
            case (.unauthorized, .en): "Unauthorized"
            case (.forbidden, .vi): "Không có quyền"
            case (.forbidden, .en): "Forbidden"
            case (.notFound, .vi): "Không tìm thấy"
            case (.notFound, .en): "Not found"
            case (.conflict, .vi): "Xung đột trạng thái"
            case (.conflict, .en): "Conflict"
            case (.payloadTooLarge, .vi): "Nội dung quá lớn"
            case (.payloadTooLarge, .en): "Payload too large"
            case (.unsupportedMediaType, .vi): "Định dạng nội dung không được hỗ trợ"
            case (.unsupportedMediaType, .en): "Unsupported media type"
            case (.methodNotAllowed, .vi): "Phương thức không được hỗ trợ"
            case (.methodNotAllowed, .en): "Method not allowed"
            case (.tooManyRequests, .vi): "Quá nhiều yêu cầu"
            case (.tooManyRequests, .en): "Too many requests"
            case (.unavailable, .vi): "Dịch vụ tạm thời không sẵn sàng"
            case (.unavailable, .en): "Service unavailable"
            case (.internalError, .vi): "Lỗi hệ thống"
            case (.internalError, .en): "Internal error"
            case (.httpError, .vi): "Lỗi yêu cầu"
            case (.httpError, .en): "Request error"
            }
        }
    }

    let status: HTTPResponse.Status
    let kind: Kind
    let issues: [FieldIssue]
    /// A sentence for the whole problem, per language; when nil the title stands alone.
    let detail: (@Sendable (Language) -> String)?
    /// For a refused move (409): where the item is and which events it would take.
    var currentStatus: String?
    var allowedEvents: [String]?
    /// Seconds to wait (429, 503), sent as `Retry-After`.
    var retryAfter: Int?
    /// The methods the path takes (405), sent as `Allow`.
    var allow: [HTTPRequest.Method]?

    init(_ status: HTTPResponse.Status, _ kind: Kind, issues: [FieldIssue] = [], detail: (@Sendable (Language) -> String)? = nil) {
        self.status = status
        self.kind = kind
        self.issues = issues
        self.detail = detail
    }

    static func validation(_ issues: [FieldIssue]) -> Problem {
        Problem(.unprocessableContent, .validationFailed, issues: issues) { language in
            language == .vi
                ? "Có \(issues.count) trường không hợp lệ; không có gì được lưu."
                : "\(issues.count) field(s) are invalid; nothing was saved."
        }
    }

    static func malformed(_ issue: FieldIssue? = nil, vi: String, en: String) -> Problem {
        Problem(.badRequest, .malformedRequest, issues: issue.map { [$0] } ?? []) { $0 == .vi ? vi : en }
    }

    static func notFound(vi: String, en: String) -> Problem {
        Problem(.notFound, .notFound) { $0 == .vi ? vi : en }
    }

    struct Body: Encodable {
        struct Issue: Encodable {
            let field: String
            let code: String
            let message: String
        }

        let type: String
        let title: String
        let status: Int
        let detail: String?
        let instance: String
        let errors: [Issue]
        let currentStatus: String?
        let allowedEvents: [String]?
    }

    func body(language: Language, instance: String) -> Body {
        Body(
            type: "urn:postgateway:problem:\(kind.rawValue)", title: kind.title(language), status: status.code,
            detail: detail?(language), instance: instance,
            errors: issues.map { $0.rendered(language) }, currentStatus: currentStatus, allowedEvents: allowedEvents)
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let language = Language(request)
        // Sorted keys: the same problem is the same bytes, so that answers meant to look alike (an unknown code, a wrong
        // PIN, a PIN view closed after guessing) cannot be told apart by their order.
        let data = try JSONEncoder.sortedKeys().encode(body(language: language, instance: request.uri.path))
        var headers: HTTPFields = [.contentType: "application/problem+json; charset=utf-8", .contentLanguage: language.rawValue]
        if let allow { headers[.allow] = allow.map(\.rawValue).joined(separator: ", ") }
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

extension FieldIssue {
    /// The issue as clients read it, in a problem's `errors` or an answer's `warnings`.
    func rendered(_ language: Language) -> Problem.Body.Issue {
        .init(field: field, code: code.rawValue, message: code.message(language, arguments))
    }
}
