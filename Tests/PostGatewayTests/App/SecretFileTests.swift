import Foundation
import Testing

@testable import PostGateway

/// The secrets the gateway keeps for itself: made once, found again, and never made anew over one that exists.
@Suite(.temporaryFolder) struct SecretFileTests {
    let dataDirectory: String
    var path: String { dataDirectory + "/secrets/pin.key" }

    init() throws {
        dataDirectory = try TestSupport.temporaryDirectory().path
    }

    func read(make: @escaping () -> String = { "made-" + UUID().uuidString }) throws -> String {
        try SecretFile.read(named: "pin.key", dataDirectory: dataDirectory, validate: { $0.hasPrefix("made-") }, make: make)
    }

    @Test func aMissingSecretIsMadeOnceWithOwnerOnlyPermissionsAndFoundAgain() throws {
        let first = try read()
        let second = try read(make: {
            Issue.record("made a second secret")
            return "made-again"
        })
        #expect(first == second)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == first)
    }

    @Test(arguments: ["not a secret", "", "k2:typo, k1:"])
    func aSecretFileThatIsNotValidStopsTheStartAndIsLeftAsItWas(content: String) throws {
        try FileManager.default.createDirectory(atPath: dataDirectory + "/secrets", withIntermediateDirectories: true)
        try content.write(toFile: path, atomically: false, encoding: .utf8)
        #expect(throws: SecretFile.Unusable.self) {
            try read(make: {
                Issue.record("made a secret over an existing file")
                return "made-new"
            })
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == content)
    }

    @Test func aSecretFileThatCannotBeReadStopsTheStartWithoutNamingItsContent() throws {
        // A folder where the file should be: it exists, and reading it fails.
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        do {
            _ = try read()
            Issue.record("read a folder as a secret")
        } catch let error as SecretFile.Unusable {
            #expect(error.description.contains("could not be read"))
            #expect(error.description.contains(path))
        }
        var isFolder: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) && isFolder.boolValue)
    }

    @Test func theIdNumberKeyringIsNotReplacedWhenAnOperatorMistypesIt() throws {
        _ = try IdNumberSealer.load(configuredKeyring: nil, dataDirectory: dataDirectory)
        let keyring = dataDirectory + "/secrets/id-number.keys"
        let original = try String(contentsOfFile: keyring, encoding: .utf8)
        try ("k2:not-base64, " + original).write(toFile: keyring, atomically: false, encoding: .utf8)
        #expect(throws: SecretFile.Unusable.self) { try IdNumberSealer.load(configuredKeyring: nil, dataDirectory: dataDirectory) }
        #expect(try String(contentsOfFile: keyring, encoding: .utf8) == "k2:not-base64, " + original)
    }
}
