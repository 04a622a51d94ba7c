/// The moments of a dossier's life a citizen who agreed to messages is told of (issue 35; TT17 Art 12.1a, Art 5.2h).
enum NoticeMilestone: String, Codable, Sendable, CaseIterable {
    /// Taken in at the counter: the tracking code and the public link, never the PIN.
    case accepted
    /// A result-only order from the portal: the PIN has no other way to reach the citizen, so it goes with the code.
    case acceptedWithPin
    /// Handed to the desk: the legal filing time.
    case handedOver
    /// Received by the desk (status 2): the mã hồ sơ and the appointment date.
    case received
    case supplementRequested
    case rejected
    /// The result left the desk with the post: the day it is expected.
    case resultOnItsWay
    /// A failed delivery: the invitation of TT17 Art 5.2h, where and until when to collect the result.
    case deliveryFailed
    case heldAtOffice
    case delivered

    /// How far along the dossier is: a notice still waiting when one of a later stage is written is stale, and dropped.
    /// The acceptance is never stale: it carries the code (and a portal order's PIN) every later notice relies on.
    var stage: Int {
        switch self {
        case .accepted, .acceptedWithPin: 0
        case .handedOver: 1
        case .received: 2
        case .supplementRequested, .rejected: 3
        case .resultOnItsWay: 4
        case .deliveryFailed, .heldAtOffice: 5
        case .delivered: 6
        }
    }

    /// The values its templates may name; every one is set when the notice is written (or, the PIN, when it is sent).
    var placeholders: Set<String> {
        switch self {
        case .accepted: ["code", "link"]
        case .acceptedWithPin: ["code", "link", "pin"]
        case .handedOver: ["code", "time"]
        case .received: ["code", "dossierCode", "appointment"]
        case .supplementRequested, .rejected, .delivered: ["code"]
        case .resultOnItsWay: ["code", "day"]
        case .deliveryFailed: ["code", "office", "until"]
        case .heldAtOffice: ["code", "office"]
        }
    }

    /// What the public tracking page and the staff pages call it.
    var words: (vi: String, en: String) {
        switch self {
        case .accepted, .acceptedWithPin: ("Đã nhận hồ sơ tại bưu cục", "Dossier accepted")
        case .handedOver: ("Đã giao hồ sơ cho bộ phận một cửa", "Handed over to the desk")
        case .received: ("Bộ phận một cửa đã tiếp nhận, có ngày hẹn trả", "Received by the desk, appointment set")
        case .supplementRequested: ("Cần bổ sung hồ sơ", "Supplement requested")
        case .rejected: ("Hồ sơ bị từ chối", "Dossier rejected")
        case .resultOnItsWay: ("Kết quả đang được chuyển phát", "Result on its way")
        case .deliveryFailed: ("Giấy mời nhận kết quả (phát không thành công)", "Invitation to collect (delivery failed)")
        case .heldAtOffice: ("Kết quả đang lưu tại bưu cục", "Result held at the office")
        case .delivered: ("Đã phát kết quả", "Result delivered")
        }
    }
}

/// How a citizen agreed to be told: the intake's `notifications` field (`none` is the absence of a channel).
enum NoticeChannel: String, Codable, Sendable, CaseIterable {
    case zalo, sms
}

/// The intake's `notifications` field: the channel the citizen agreed to, or `none` (the default: no consent, no
/// message).
enum NoticeConsent: String, Sendable, CaseIterable {
    case zalo, sms, none

    var channel: NoticeChannel? { NoticeChannel(rawValue: rawValue) }
}
