import AsyncHTTPClient
import Foundation
import NIOCore

/// A small W3C WebDriver client for chromedriver, over AsyncHTTPClient (FoundationNetworking's URLSession
/// cannot talk to chromedriver: swift-corelibs-foundation issue 4965).
final class WebDriver {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    private let driver: ChildProcess
    private let http: HTTPClient
    private let base: String
    private let scratch: URL
    private(set) var session = ""

    static let elementKey = "element-6066-11e4-a52e-4f735466cecf"
    static let enterKey = "\u{E007}"

    /// Starts chromedriver on a free port and a headless Chromium session.
    init() async throws {
        let port = try freePort()
        driver = ChildProcess()
        driver.executableURL = URL(fileURLWithPath: "/usr/bin/chromedriver")
        driver.arguments = ["--port=\(port)"]
        // Chromium keeps its profile and scratch folders in TMPDIR: a short folder of this driver's, removed by `quit()`
        // (a test's own folder has too long a path: Chromium's sockets in it would pass the 108 bytes a socket's path may have).
        scratch = FileManager.default.temporaryDirectory.appending(path: "chromium-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        var environment = ProcessInfo.processInfo.environment
        environment["TMPDIR"] = scratch.path
        driver.environment = environment
        driver.standardOutput = FileHandle.nullDevice
        driver.standardError = FileHandle.nullDevice
        do { try driver.run() } catch {
            try? FileManager.default.removeItem(at: scratch)
            throw error
        }
        http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup)
        base = "http://127.0.0.1:\(port)"
        // A driver that fails to start or to open a session is stopped here: left to `deinit`, the HTTP client would
        // stop the whole test process, and chromedriver and its folder would outlive the test.
        do {
            // Asked with a short deadline: the HTTP client retries a refused connection until its deadline.
            var ready = false
            for _ in 0..<100 where !ready {
                ready = (try? await call("GET", "/status", timeout: .milliseconds(250)))?["ready"] as? Bool == true
                if !ready { try await Task.sleep(for: .milliseconds(100)) }
            }
            guard ready else { throw Failure(description: "chromedriver did not start") }
            let created = try await call(
                "POST", "/session",
                [
                    "capabilities": [
                        "alwaysMatch": [
                            "browserName": "chrome",
                            "goog:chromeOptions": [
                                "binary": "/usr/bin/chromium",
                                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--lang=vi"],
                            ],
                        ]
                    ]
                ])
            session = created["sessionId"] as? String ?? ""
            guard !session.isEmpty else { throw Failure(description: "no session: \(created)") }
        } catch {
            await quit()
            throw error
        }
    }

    func quit() async {
        if !session.isEmpty { _ = try? await call("DELETE", "/session/\(session)") }
        // SIGKILL: children of the test runner may inherit SIGTERM ignored.
        kill(driver.processIdentifier, SIGKILL)
        driver.waitUntilExit()
        try? await http.shutdown()
        try? FileManager.default.removeItem(at: scratch)
    }

    func open(_ url: String) async throws { _ = try await call("POST", "/session/\(session)/url", ["url": url]) }

    func element(_ css: String) async throws -> String {
        let found = try await call("POST", "/session/\(session)/element", ["using": "css selector", "value": css])
        guard let element = found[Self.elementKey] as? String else { throw Failure(description: "no element \(css): \(found)") }
        return element
    }

    func type(_ text: String, into css: String) async throws {
        _ = try await call("POST", "/session/\(session)/element/\(try await element(css))/value", ["text": text])
    }

    func clear(_ css: String) async throws {
        _ = try await call("POST", "/session/\(session)/element/\(try await element(css))/clear", [:])
    }

    /// An element's attribute as the page's scripts left it.
    func attribute(_ name: String, of css: String) async throws -> String {
        try await call("GET", "/session/\(session)/element/\(try await element(css))/attribute/\(name)")["__value"] as? String ?? ""
    }

    /// An input's current value (what the page's scripts put there too).
    func value(_ css: String) async throws -> String {
        try await call("GET", "/session/\(session)/element/\(try await element(css))/property/value")["__value"] as? String ?? ""
    }

    func click(_ css: String) async throws {
        _ = try await call("POST", "/session/\(session)/element/\(try await element(css))/click", [:])
    }

    func text(_ css: String) async throws -> String {
        try await call("GET", "/session/\(session)/element/\(try await element(css))/text")["__value"] as? String ?? ""
    }

    func currentURL() async throws -> String {
        try await call("GET", "/session/\(session)/url")["__value"] as? String ?? ""
    }

    /// Opens `path` on `site`, which sends a browser without a session to the login page; signs in there and
    /// waits until the page asked for is back.
    func signIn(
        at site: String, then path: String, username: String = "admin",
        password: String = CrashRecoveryTests.adminPassword
    ) async throws {
        try await open(site + path)
        _ = try await waitForText("h1") { $0 == "Đăng nhập" }
        try await type(username, into: "#username")
        try await type(password, into: "#password")
        try await click("#login-submit")
        let deadline = ContinuousClock.now + .seconds(10)
        while try await currentURL().contains("/login"), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(100)) }
        guard try await currentURL().contains(String(path.split(separator: "?")[0])) else {
            throw Failure(description: "still at \(try await currentURL()) after signing in")
        }
    }

    /// Runs a script in the page and answers what it returns (as JSON gives it back).
    func script(_ source: String) async throws -> Any? {
        let answer = try await call("POST", "/session/\(session)/execute/sync", ["script": source, "args": [Any]()])
        return answer["__value"]
    }

    func pageSource() async throws -> String {
        try await call("GET", "/session/\(session)/source")["__value"] as? String ?? ""
    }

    func activeElementId() async throws -> String? {
        try await call("GET", "/session/\(session)/element/active")[Self.elementKey] as? String
    }

    /// Polls `css`'s text until `condition` holds (the pages answer through fetch, asynchronously).
    func waitForText(_ css: String, timeout: Duration = .seconds(10), _ condition: (String) -> Bool) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        var last = ""
        while ContinuousClock.now < deadline {
            last = (try? await text(css)) ?? ""
            if condition(last) { return last }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw Failure(description: "\(css) never matched; last text: \(last)")
    }

    /// One WebDriver command; answers the `value` member (wrapped as `__value` when it is not an object).
    @discardableResult
    private func call(_ method: String, _ path: String, _ body: [String: Any]? = nil, timeout: TimeAmount = .seconds(60)) async throws
        -> [String: Any]
    {
        var request = HTTPClientRequest(url: base + path)
        request.method = .init(rawValue: method)
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body)))
        }
        let response = try await http.execute(request, timeout: timeout)
        let data = Data(try await response.body.collect(upTo: 16 * 1024 * 1024).readableBytesView)
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
        let value = object["value"]
        if response.status.code >= 400 { throw Failure(description: "\(method) \(path): HTTP \(response.status.code) \(value ?? "")") }
        if let dictionary = value as? [String: Any] { return dictionary }
        return ["__value": value ?? NSNull()]
    }
}
