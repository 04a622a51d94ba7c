import Crypto
import Foundation
import PropertyBased
import Testing

@testable import PostGateway

@Suite struct TrackingPinsTests {
    let key = SymmetricKey(size: .bits256)

    /// The MAC as a one-shot HMAC computes it: what every PIN hash and request hash already in a ledger was made with.
    func oneShot(_ message: String) -> HashedAuthenticationCode<SHA256> {
        HMAC<SHA256>.authenticationCode(for: Data(message.utf8), using: key)
    }

    @Test func codesAreTheHMACOfTheirMessagesSoStoredHashesStayValid() async {
        let pins = TrackingPins(key: key)
        await propertyCheck(input: Gen.int(in: 0...TrackingNumber.maxSerial), Gen.letterOrNumber.string(of: 0...40)) { serial, body in
            let number = TrackingNumber(prefix: "PH", serial: serial)
            let pin = pins.pin(for: number)
            let expectedPin = oneShot("pin|\(number)").prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) } % 1_000_000
            #expect(pin.count == TrackingPins.digits && UInt64(pin) == expectedPin)
            #expect(pins.hash(pin: pin, for: number) == Data(oneShot("verify|\(number)|\(pin)")).base64EncodedString())
            #expect(pins.requestHash(Array(body.utf8)) == Hex.string(oneShot("request|\(body)")))
        }
    }

    @Test func onlyTheRightPinMatchesItsHash() throws {
        let pins = TrackingPins(key: key)
        let number = TrackingNumber(prefix: "PH", serial: 4_217)
        let pin = pins.pin(for: number)
        let stored = pins.hash(pin: pin, for: number)
        #expect(pins.matches(pin: pin, for: number, storedHash: stored))
        let wrong = String(format: "%06d", (Int(pin)! + 1) % 1_000_000)
        #expect(!pins.matches(pin: wrong, for: number, storedHash: stored))
        #expect(!pins.matches(pin: pin, for: TrackingNumber(prefix: "PH", serial: 4_218), storedHash: stored))
        #expect(!pins.matches(pin: pin, for: number, storedHash: "not base64"))
        #expect(!TrackingPins(key: SymmetricKey(size: .bits256)).matches(pin: pin, for: number, storedHash: stored))
    }

    /// The keyed HMAC is copied for every code: codes made at once on many threads must not share its state.
    @Test func codesMadeConcurrentlyAreTheCodesMadeOneByOne() async {
        let pins = TrackingPins(key: key)
        let numbers = (1...400).map { TrackingNumber(prefix: "PH", serial: $0) }
        let oneByOne = numbers.map { pins.pin(for: $0) }
        let concurrent = await withTaskGroup(of: (Int, String).self) { group in
            for (index, number) in numbers.enumerated() { group.addTask { (index, pins.pin(for: number)) } }
            var pins = Array(repeating: "", count: numbers.count)
            for await (index, pin) in group { pins[index] = pin }
            return pins
        }
        #expect(concurrent == oneByOne)
    }
}
