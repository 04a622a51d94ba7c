/// The three services of Decision 45/2016 Art 5 that a counter can sell for a dossier.
/// (Result-only is registered by the one-stop itself, so the counter never takes it in.)
/// Decision 45/2016 Art 5's three services: the dossier sent, the result returned, or both.
enum ServiceType: String, Codable, CaseIterable, Sendable {
    case sendOnly, sendAndReturn
    /// The result of a dossier filed online or at the desk (contract v2): the post never carries the dossier.
    case resultOnly

    /// The services a counter takes a dossier in for; a result-only order is placed apart (`ResultOrder`).
    static let takenInAtTheCounter: [ServiceType] = [.sendOnly, .sendAndReturn]

    /// `LoaiDichVu` in the one-stop contract.
    var oneStopCode: Int {
        switch self {
        case .sendOnly: 1
        case .resultOnly: 2
        case .sendAndReturn: 3
        }
    }
    /// `HinhThucTraKetQua`: 0 at the desk, 1 by post.
    var resultByPost: Bool { self != .sendOnly }
}

/// Originals, copies and certified copies are listed separately on the Phiếu gửi hồ sơ (Circular 17 Art 5.1b).
enum DocumentKind: String, Codable, CaseIterable, Sendable {
    case original, copy, certifiedCopy

    /// `LoaiBan` in the one-stop contract.
    var oneStopCode: Int {
        switch self {
        case .original: 1
        case .copy: 2
        case .certifiedCopy: 3
        }
    }
}

enum ItemKind: String, Codable, Sendable {
    case dossier, result
}

/// Where an item is in its physical journey (DESIGN §3). The one-stop's own status is kept beside it.
enum ItemStatus: String, Codable, CaseIterable, Sendable {
    // dossier item, to the agency
    case accepted, dispatched, arrived, handedOver
    // result item, to the citizen
    case created, pickedUp, outForDelivery, delivered, deliveryFailed, returnedToAgency, heldAtOffice
}

/// What happened to an item, with its UPU EMSEVT code where one exists.
enum ItemEventCode: String, Codable, Sendable {
    case accepted, dispatched, arrived, handedOver
    case created, pickedUp, outForDelivery, delivered, deliveryFailed, returnedToAgency, heldAtOffice

    var upuCode: String? {
        switch self {
        case .accepted, .created: "EMA"
        case .dispatched: "EMC"
        case .arrived: "EMD"
        case .outForDelivery: "EMG"
        case .deliveryFailed: "EMH"
        case .delivered: "EMI"
        case .handedOver, .pickedUp, .returnedToAgency, .heldAtOffice: nil
        }
    }
}
