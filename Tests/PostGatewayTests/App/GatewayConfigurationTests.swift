import Foundation
import Testing

@testable import PostGateway

@Suite(.temporaryFolder) struct GatewayConfigurationTests {
    func file(_ yaml: String) throws -> String {
        let url = try TestSupport.temporaryDirectory().appending(path: "gateway.yaml")
        try yaml.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    @Test func flagsBeatEnvironmentWhichBeatsTheFile() throws {
        let path = try file("server:\n  port: 7000\n  host: 0.0.0.0\ndataDir: from-file\ntracking:\n  dossierPrefix: PX\n")
        let configuration = try GatewayConfiguration.load(
            file: path, fileMustExist: true,
            environment: ["POSTGATEWAY_PORT": "7100", "POSTGATEWAY_DATA_DIR": "from-env", "HOME": "/root"],
            flags: ["server.port": "7200"])
        #expect(configuration.port == 7200)
        #expect(configuration.dataDirectory == "from-env")
        #expect(configuration.host == "0.0.0.0")
        #expect(configuration.dossierPrefix == "PX")
        #expect(configuration.resultPrefix == "PK")
    }

    /// A misspelt variable would leave its setting at the default without a word: it stops the start, named.
    @Test func anUnknownGatewayVariableIsRefusedAndOthersAreLeftAlone() throws {
        let error = try #require(throws: ConfigurationError.self) {
            try GatewayConfiguration.load(
                file: "/nonexistent.yaml", fileMustExist: false,
                environment: ["POSTGATEWAY_TRAKING_CACHE_SIZE": "5", "POSTGATEWAY_PORT": "7100"], flags: [:])
        }
        #expect(error.key == "POSTGATEWAY_TRAKING_CACHE_SIZE" && error.source == "environment")
        let configuration = try GatewayConfiguration.load(
            file: "/nonexistent.yaml", fileMustExist: false,
            environment: ["POSTGATEWAY_PORT": "7100", "PGHOST": "db", "HOME": "/root"], flags: [:])
        #expect(configuration.port == 7100)
    }

    /// A setting the gateway no longer has is refused with what to do about it, not as a typo.
    @Test func aRetiredSettingIsRefusedWithWordsThatSayToDeleteIt() throws {
        let error = try #require(throws: ConfigurationError.self) {
            try GatewayConfiguration.load(
                file: "/nonexistent.yaml", fileMustExist: false,
                environment: ["POSTGATEWAY_TRACKING_CACHE_SIZE": "5"], flags: [:])
        }
        #expect(error.key == "POSTGATEWAY_TRACKING_CACHE_SIZE" && error.reason.contains("was removed"))
    }

    /// The sandbox is told the gateway's port before either listens, and the gateway the sandbox's: 0 cannot be told.
    @Test func aPortLeftToTheSystemIsRefusedWhileTheSandboxRunsBeside() throws {
        func load(_ flags: [String: String]) throws -> GatewayConfiguration {
            try GatewayConfiguration.load(file: "/nonexistent.yaml", fileMustExist: false, environment: [:], flags: flags)
        }
        for (flags, key) in [
            (["server.port": "0", "sandbox.port": "8090"], "server.port"), (["server.port": "8080", "sandbox.port": "0"], "sandbox.port"),
        ] {
            let error = try #require(throws: ConfigurationError.self) { try load(flags) }
            #expect(error.key == key)
        }
        #expect(try load(["server.port": "0", "sandbox.port": "off"]).port == 0)
        #expect(try load(["server.port": "0", "sandbox.port": "8090", "onestop.url": "https://lgsp.example.vn"]).port == 0)
    }

    @Test func theShippedFileLoads() throws {
        let configuration = try GatewayConfiguration.load(
            file: TestSupport.packageRoot.appending(path: "config/gateway.yaml").path, fileMustExist: true, environment: [:], flags: [:])
        #expect(configuration.port == 8080)
        #expect(configuration.forwardingEnabled && configuration.sandboxPort == 8090 && configuration.oneStopURL == nil)
        // Plain HTTP on localhost for `make run`: cookies without Secure, which follows an https public URL.
        #expect(configuration.secureCookies == nil && !configuration.cookiesAreSecure)
    }

    @Test func anInvalidValueNamesTheKeyWhereItCameFromAndWhy() throws {
        let path = try file("server:\n  port: 70000\n")
        let error = try #require(throws: ConfigurationError.self) {
            try GatewayConfiguration.load(file: path, fileMustExist: true, environment: [:], flags: [:])
        }
        #expect(error.key == "server.port")
        #expect(error.source == path)
        #expect(error.reason.contains("65535"))

        let fromEnvironment = try #require(throws: ConfigurationError.self) {
            try GatewayConfiguration.load(
                file: path, fileMustExist: false, environment: ["POSTGATEWAY_DOSSIER_PREFIX": "P1"], flags: ["server.port": "1"])
        }
        #expect(fromEnvironment.key == "tracking.dossierPrefix")
        #expect(fromEnvironment.source == "POSTGATEWAY_DOSSIER_PREFIX")
    }

    @Test func callbackSecretsMustBeStandardWebhooksSecretsAndThePreviousOneIsKeptForRotation() throws {
        let current = "whsec_" + Data(repeating: 1, count: 32).base64EncodedString()
        let previous = "whsec_" + Data(repeating: 2, count: 32).base64EncodedString()
        let configuration = try GatewayConfiguration.load(
            file: try file("onestop:\n  webhookSecret: \(current)\n"), fileMustExist: true,
            environment: ["POSTGATEWAY_PREVIOUS_WEBHOOK_SECRET": previous], flags: [:])
        #expect(configuration.webhookSecret == current && configuration.previousWebhookSecret == previous)
        let error = try #require(throws: ConfigurationError.self) {
            try GatewayConfiguration.load(
                file: try file("onestop:\n  previousWebhookSecret: secret\n"), fileMustExist: true,
                environment: [:], flags: [:])
        }
        #expect(error.key == "onestop.previousWebhookSecret" && error.reason.contains("whsec_"))
    }

    @Test func anUnknownKeyIsRefusedSoATypoIsNotSilent() throws {
        let path = try file("server:\n  prot: 8081\n")
        let error = try #require(throws: ConfigurationError.self) {
            try GatewayConfiguration.load(file: path, fileMustExist: true, environment: [:], flags: [:])
        }
        #expect(error.key == "server.prot")
    }

    /// YAML 1.1 would read `off` as false and `23:30` as the number 1410: each value is taken as written.
    @Test func valuesAreReadAsWrittenNotAsYAMLWouldTypeThem() throws {
        let path = try file(
            "sandbox:\n  port: off\nreconciliation:\n  nightlyAt: 23:30\nserver:\n  port:\n")
        let config = try GatewayConfiguration.load(file: path, fileMustExist: true, environment: [:], flags: [:])
        #expect(config.sandboxPort == nil)
        #expect(config.reconciliationNightlyAt == 23 * 60 + 30)
        #expect(config.port == GatewayConfiguration().port)  // left empty: not set
        // Booleans as YAML 1.1 and older files write them.
        for (written, flag) in [("yes", true), ("True", true), ("on", true), ("no", false), ("OFF", false)] {
            let switched = try GatewayConfiguration.load(
                file: try file("forwarding:\n  enabled: \(written)\n"), fileMustExist: true,
                environment: [:], flags: [:])
            #expect(switched.forwardingEnabled == flag, "\(written)")
        }
        // A typo is refused even when its value was left empty.
        let error = try #require(throws: ConfigurationError.self) {
            try GatewayConfiguration.load(file: try file("server:\n  prot:\n"), fileMustExist: true, environment: [:], flags: [:])
        }
        #expect(error.key == "server.prot")
    }

    @Test func aNamedFileMustExist() {
        #expect(throws: ConfigurationError.self) {
            try GatewayConfiguration.load(file: "/nonexistent/gateway.yaml", fileMustExist: true, environment: [:], flags: [:])
        }
    }
}

@Suite(.temporaryFolder) struct SerialRangesConfigurationTests {
    func load(yaml: String = "", environment: [String: String] = [:]) throws -> GatewayConfiguration {
        let url = try TestSupport.temporaryDirectory().appending(path: "gateway.yaml")
        try yaml.write(to: url, atomically: true, encoding: .utf8)
        return try GatewayConfiguration.load(file: url.path, fileMustExist: true, environment: environment, flags: [:])
    }

    @Test func rangesAreGivenPerPrefixInTheFileOrTheEnvironment() throws {
        let fromFile = try load(yaml: "tracking:\n  serialRanges:\n    PH: 10000000-19999999\n    PK: [20000000-20999999, 25000000-25999999]\n")
        #expect(fromFile.dossierSeries.ranges == [10_000_000...19_999_999])
        #expect(fromFile.resultSeries.ranges == [20_000_000...20_999_999, 25_000_000...25_999_999])
        let fromEnvironment = try load(environment: ["POSTGATEWAY_SERIAL_RANGES": "PH: 30000000-30999999; PK: 40000000-40999999"])
        #expect(fromEnvironment.dossierSeries.ranges == [30_000_000...30_999_999])
        #expect(fromEnvironment.resultSeries.ranges == [40_000_000...40_999_999])
        #expect(try load().dossierSeries == .whole("PH"))
    }

    @Test func overlappingRangesAStrayPrefixAndNonsenseStopTheStart() throws {
        for (yaml, words) in [
            ("tracking:\n  serialRanges:\n    PH: [10000000-19999999, 15000000-25000000]\n", "overlap"),
            ("tracking:\n  serialRanges:\n    PX: 10000000-19999999\n", "neither"),
            ("tracking:\n  serialRanges:\n    PH: 10000000-99\n", "serial ranges"),
        ] {
            let error = try #require(throws: ConfigurationError.self) { try load(yaml: yaml) }
            #expect(error.key == "tracking.serialRanges" && error.reason.contains(words), "\(error.reason)")
        }
    }
}
