import Foundation

/// ZNS's answers, by its documented error codes (zalo.cloud, "Cách xử lý mã lỗi"): HTTP 200 with `error` 0 and the
/// message's `msg_id`, or a negative code.
enum ZaloAnswer: Equatable {
    case answer(NotificationClient.Answer)
    /// -124: the access token is invalid or expired.
    case expiredToken

    var answer: NotificationClient.Answer {
        if case .answer(let answer) = self { return answer }
        return .unavailable("ZNS error -124: access token invalid")
    }

    /// -118: no Zalo account for the number, or disabled; -119: the account cannot receive ZNS.
    static let noAccount: Set<Int> = [-118, -119]
    /// The message itself is wrong: the number (-108), the template (-109) or its data (-111, -112).
    static let refused: Set<Int> = [-108, -109, -111, -112]

    static func answer(_ body: Data) -> ZaloAnswer {
        guard case .object(let object)? = try? JSONValue(parsing: body), let code = code(object) else {
            return .answer(.unavailable("ZNS answered a body without an error code (\(body.count) bytes)"))
        }
        if code == 0 {
            guard case .object(let data)? = object["data"], case .string(let id)? = data["msg_id"] else {
                return .answer(.sent(providerMessageId: nil))
            }
            return .answer(.sent(providerMessageId: id))
        }
        if code == -124 { return .expiredToken }
        if noAccount.contains(code) { return .answer(.noZaloAccount) }
        if refused.contains(code) { return .answer(.refused("ZNS error \(code)")) }
        return .answer(.unavailable("ZNS error \(code)"))
    }

    static func code(_ body: Data) -> Int? {
        guard case .object(let object)? = try? JSONValue(parsing: body) else { return nil }
        return code(object)
    }

    private static func code(_ object: [String: JSONValue]) -> Int? {
        switch object["error"] {
        case .integer(let code)?: Int(code)
        case .string(let text)?: Int(text)
        default: nil
        }
    }

    /// A refresh's new pair (`access_token`, `refresh_token`).
    static func tokens(_ body: Data) -> (access: String, refresh: String)? {
        guard case .object(let object)? = try? JSONValue(parsing: body), case .string(let access)? = object["access_token"],
            case .string(let refresh)? = object["refresh_token"], !access.isEmpty, !refresh.isEmpty
        else { return nil }
        return (access, refresh)
    }
}

/// eSMS.vn's answers (developers.esms.vn, "Table of error codes"): `CodeResult` 100 is taken, with its `SMSID`.
enum ESMSAnswer {
    static func answer(_ body: Data) -> NotificationClient.Answer {
        guard case .object(let object)? = try? JSONValue(parsing: body) else {
            return .unavailable("the SMS gateway answered a body that is not JSON (\(body.count) bytes)")
        }
        let code: String? =
            switch object["CodeResult"] {
            case .string(let text)?: text
            case .integer(let number)?: String(number)
            default: nil
            }
        switch code {
        case "100":
            if case .string(let id)? = object["SMSID"] { return .sent(providerMessageId: id) }
            return .sent(providerMessageId: nil)
        // A RequestId it has seen: the first attempt was taken and its answer lost.
        case "124": return .sent(providerMessageId: nil)
        // Blocked number, malformed number: the same message cannot pass.
        case "99", "108": return .refused("SMS gateway code \(code!)")
        default: return .unavailable("SMS gateway code \(code ?? "missing")")
        }
    }
}
