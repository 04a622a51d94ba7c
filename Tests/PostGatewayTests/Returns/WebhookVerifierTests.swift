import Foundation
import OneStopSandbox
import PropertyBased
import Testing

@testable import PostGateway

@Suite struct WebhookVerifierTests {
    static let secret = WebhookSigner.makeSecret()
    static let now = Date(timeIntervalSince1970: 1_795_000_000)
    static let body = Data(#"{"Loai":"hoso.trangthai","MaBuuGui":"PH000000155VN","TrangThaiHoSo":2}"#.utf8)

    static func verify(
        id: String? = "msg_1", timestamp: String? = String(Int(now.timeIntervalSince1970)), signature: String? = nil,
        body: Data = body, secrets: [String] = [secret]
    ) -> WebhookVerifier.Failure? {
        let timestampForSigning = timestamp ?? "0"
        let signature = signature ?? WebhookSigner(secret: secret)!.signature(id: id ?? "", timestamp: timestampForSigning, body: Self.body)
        do throws(WebhookVerifier.Failure) {
            try WebhookVerifier(secrets: secrets)!.verify(id: id, timestamp: timestamp, signatures: signature, body: body, now: now)
            return nil
        } catch {
            return error
        }
    }

    @Test func aCorrectlySignedCallbackPasses() {
        #expect(Self.verify() == nil)
    }

    @Test func aForgedSignatureOrAnotherKeyIsRefused() {
        let forged = "v1," + Data(repeating: 7, count: 32).base64EncodedString()
        #expect(Self.verify(signature: forged) == .noValidSignature)
        let otherKey = WebhookSigner(secret: WebhookSigner.makeSecret())!.signature(
            id: "msg_1", timestamp: String(Int(Self.now.timeIntervalSince1970)), body: Self.body)
        #expect(Self.verify(signature: otherKey) == .noValidSignature)
        #expect(Self.verify(signature: "v1,not-base64!!") == .noValidSignature)
        #expect(Self.verify(signature: "v1a," + Data(repeating: 1, count: 64).base64EncodedString()) == .noValidSignature)
    }

    @Test func aBodyChangedAfterSigningIsRefused() {
        var changed = Self.body
        changed[changed.count - 2] = UInt8(ascii: "9")
        #expect(Self.verify(body: changed) == .noValidSignature)
        #expect(Self.verify(body: Self.body + Data(" ".utf8)) == .noValidSignature)
    }

    @Test func anIdOrTimestampOtherThanTheSignedOneIsRefused() {
        let signed = WebhookSigner(secret: Self.secret)!.signature(
            id: "msg_1", timestamp: String(Int(Self.now.timeIntervalSince1970)), body: Self.body)
        #expect(Self.verify(id: "msg_2", signature: signed) == .noValidSignature)
        #expect(Self.verify(timestamp: String(Int(Self.now.timeIntervalSince1970) - 1), signature: signed) == .noValidSignature)
    }

    @Test func timestampsMoreThanFiveMinutesAwayAreRefusedEvenWhenSigned() {
        let seconds = Int(Self.now.timeIntervalSince1970)
        #expect(Self.verify(timestamp: String(seconds - 301)) == .timestampOutsideWindow)
        #expect(Self.verify(timestamp: String(seconds + 301)) == .timestampOutsideWindow)
        #expect(Self.verify(timestamp: String(seconds - 300)) == nil)
        #expect(Self.verify(timestamp: String(seconds + 300)) == nil)
        #expect(Self.verify(timestamp: "0") == .timestampOutsideWindow)
    }

    @Test(arguments: [
        "nan", "1e9", "-1", "", " 1795000000", "1795000000 ", "+1795000000", "1795000000.0", "0x6AFD5F80",
        "1234567890123", "１７９５０００００００", "179500000٠",
    ])
    func timestampsThatAreNotOneToTwelveASCIIDigitsAreRefused(_ timestamp: String) {
        let failure = Self.verify(timestamp: timestamp)
        #expect(failure == (timestamp.isEmpty ? .missingHeader("webhook-timestamp") : .malformedTimestamp))
    }

    @Test func missingHeadersAreNamed() {
        #expect(Self.verify(id: nil) == .missingHeader("webhook-id"))
        #expect(Self.verify(timestamp: nil) == .missingHeader("webhook-timestamp"))
        #expect(Self.verify(signature: "") == .missingHeader("webhook-signature"))
        #expect(Self.verify(id: "msg with spaces") == .malformedId)
        #expect(Self.verify(id: String(repeating: "a", count: 201)) == .malformedId)
    }

    /// During a rotation the one-stop signs with the old and the new key; either one we hold is enough.
    @Test func duringKeyRotationASecondSignatureIsAccepted() {
        let timestamp = String(Int(Self.now.timeIntervalSince1970))
        let newSecret = WebhookSigner.makeSecret()
        let old = WebhookSigner(secret: Self.secret)!.signature(id: "msg_1", timestamp: timestamp, body: Self.body)
        let new = WebhookSigner(secret: newSecret)!.signature(id: "msg_1", timestamp: timestamp, body: Self.body)
        // The gateway still holds the old key: the second signature is the one that matches.
        #expect(Self.verify(signature: "\(new) \(old)") == nil)
        // The gateway already moved to the new key and keeps the old one as previous.
        #expect(Self.verify(signature: new, secrets: [newSecret, Self.secret]) == nil)
        #expect(Self.verify(signature: old, secrets: [newSecret]) == .noValidSignature)
    }

    @Test func onlyTheFirstEightSignaturesAreTried() {
        let junk = Array(repeating: "v1," + Data(repeating: 3, count: 32).base64EncodedString(), count: 8).joined(separator: " ")
        let good = WebhookSigner(secret: Self.secret)!.signature(id: "msg_1", timestamp: String(Int(Self.now.timeIntervalSince1970)), body: Self.body)
        #expect(Self.verify(signature: "\(junk) \(good)") == .noValidSignature)
    }

    @Test func anyDigitStringOfOneToTwelveDigitsReadsAsItsNumberAndNothingElseDoes() async {
        await propertyCheck(input: Gen.number.string(of: 1...12), Gen.letterOrNumber.string(of: 1...14)) { digits, other in
            #expect(WebhookVerifier.unixSeconds(digits) == Int64(digits))
            let isDigits = other.count <= 12 && other.allSatisfy { $0.isASCII && $0.isNumber }
            #expect((WebhookVerifier.unixSeconds(other) != nil) == isDigits)
        }
    }
}
