import Foundation
import Testing

@testable import PostGateway

@Suite struct TrackingViewTests {
    static func dossier(oneStopStatus: Int?, note: String?, linked: [String], events: Int) -> TrackedDossier {
        let start = Date(timeIntervalSince1970: 1_795_000_000.123)
        let codes: [ItemEventCode] = [.accepted, .dispatched, .arrived, .handedOver]
        return TrackedDossier(
            id: 7, acceptedAt: start, dueDate: "2026-11-30", service: .sendAndReturn, oneStopStatus: oneStopStatus,
            procedureName: "Cấp bản sao \"Trích lục\" hộ tịch", agencyCode: "000.42.20.H55",
            appointmentDate: oneStopStatus == nil ? nil : "2026-12-02",
            maskedName: "N*** T***", oneStopNote: note, pinHash: "hash",
            items: [
                .init(
                    trackingNumber: "PH000000014VN", kind: .dossier, status: .accepted,
                    events: (0..<events).map { index in
                        .init(code: codes[index % codes.count], occurredAt: start.addingTimeInterval(Double(index) * 3600), officeCode: "250000")
                    }),
                .init(trackingNumber: "RR000000015VN", kind: .result, status: .created, events: []),
            ],
            linkedTrackingNumbers: linked)
    }

    /// The answer is written straight into bytes, each object's keys in sorted order by hand: it must be exactly the
    /// canonical text of what it says, escaping included, locked or not, with or without what is optional.
    @Test(arguments: [false, true])
    func theAnswerIsCanonicalJSON(unlocked: Bool) throws {
        for (status, note, linked, events) in [
            (nil, nil, [], 0), (5, "Thiếu \"tờ khai\"\nvà\tảnh\u{1}", ["PH000000028VN"], 3),
            (9, "", ["PH000000028VN", "PH000000031VN"], 6),
        ] as [(Int?, String?, [String], Int)] {
            let view = TrackingView(
                Self.dossier(oneStopStatus: status, note: note, linked: linked, events: events), code: "PH000000014VN",
                unlocked: unlocked, reference: TestSupport.reference, language: .vi)
            let text = String(decoding: try view.jsonBytes, as: UTF8.self)
            let parsed = try JSONValue(parsing: Data(try view.jsonBytes))
            #expect(parsed.canonicalText == text)
            guard case .object(let object) = parsed, case .array(let items)? = object["items"],
                case .object(let first) = items[0], case .array(let steps)? = first["events"]
            else {
                Issue.record("no items in \(text)")
                continue
            }
            #expect(steps.count == events)
            #expect(object["oneStopStatus"] == (status.map { .integer(Int64($0)) } ?? .null))
            #expect((object["details"] != nil) == unlocked)
            if unlocked, case .object(let details)? = object["details"] {
                #expect(details["agencyNote"] == (note.map(JSONValue.string) ?? .null))
                #expect(details["linkedTrackingNumbers"] == .array(linked.map(JSONValue.string)))
                #expect(details["applicantName"] == .string("N*** T***"))
            }
        }
    }
}
