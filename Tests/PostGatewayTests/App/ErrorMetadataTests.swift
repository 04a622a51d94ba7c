import Foundation
import GRDB
import Hummingbird
import Logging
import Testing

@testable import PostGateway

/// Errors go into the logs without the personal data some of them carry.
@Suite struct ErrorMetadataTests {
    struct Applicant: Decodable, FetchableRecord {
        let applicantName: String
        let postage: Int
    }

    @Test func aRowThatCannotBeDecodedIsLoggedWithoutTheRow() throws {
        let database = try DatabaseQueue()
        // A column missing: the row cannot be decoded, and GRDB's error prints the row.
        let thrown = try database.read { db in
            do {
                _ = try Applicant.fetchOne(db, sql: "SELECT 'Nguyễn Thị Hồng Nhung' AS applicantName")
                return nil as (any Error)?
            } catch { return error }
        }
        let error = try #require(thrown)
        #expect(error is RowDecodingError)
        #expect("\(error)".contains("Nguyễn Thị Hồng Nhung"))  // what GRDB prints of it
        let logged = Logger.MetadataValue.error(error).description
        #expect(!logged.contains("Nguyễn"))
        #expect(logged.contains("RowDecodingError"))
    }

    @Test func aDatabaseErrorIsLoggedWithItsStatementButNotItsArguments() throws {
        let database = try DatabaseQueue()
        let thrown = try database.write { db in
            try db.execute(sql: "CREATE TABLE applicant (phone TEXT NOT NULL CHECK (length(phone) = 10))")
            do {
                try db.execute(sql: "INSERT INTO applicant (phone) VALUES (?)", arguments: ["091234567"])
                return nil as (any Error)?
            } catch { return error }
        }
        let logged = Logger.MetadataValue.error(try #require(thrown)).description
        #expect(logged.contains("CHECK constraint failed"))
        #expect(!logged.contains("091234567"))
    }

    @Test func aDecoderErrorIsLoggedWithoutTheTextItCouldNotRead() throws {
        enum Kind: String, Decodable { case original }
        struct Document: Decodable { let kind: Kind }
        let decoding = #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([Document].self, from: Data(#"[{"kind":"Nguyễn Văn An 019090001234"}]"#.utf8))
        }
        let form = #expect(throws: URLEncodedFormError.self) {
            try URLEncodedFormDecoder().decode([String: String].self, from: "password=b%C3%AD-m%zz")
        }
        for error in [decoding, form] as [(any Error)?] {
            let thrown = try #require(error)
            let logged = Logger.MetadataValue.error(thrown).description
            #expect(!logged.contains("019090001234") && !logged.contains("%zz"), "\(logged)")
        }
        #expect(Logger.MetadataValue.error(try #require(decoding)).description.contains("0.kind"))
    }
}
