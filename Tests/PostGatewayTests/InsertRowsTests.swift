import GRDB
import Testing
@testable import PostGateway

@Suite struct InsertRowsTests {
    func database() throws -> DatabaseQueue {
        let queue = try DatabaseQueue()
        try queue.write { db in try db.execute(sql: "CREATE TABLE note (id INTEGER PRIMARY KEY, text TEXT, size INTEGER NOT NULL)") }
        return queue
    }

    @Test(arguments: [0, 1, 7, 8, 9, 32, 41, 75, 127, 130])
    func everyRowIsWrittenWithItsOwnValuesWhateverTheirNumber(count: Int) throws {
        let queue = try database()
        let rows = (0..<count).map { index -> [RowValue] in
            let text: String? = index % 3 == 0 ? nil : "dòng \(index)"
            return [.integer(Int64(index + 1)), RowValue(text), RowValue(index * 10)]
        }
        try queue.write { db in try db.insertRows(rows, into: "note (id, text, size)", row: "(?, ?, ?)") }
        let written = try queue.read { db in try Row.fetchAll(db, sql: "SELECT id, text, size FROM note ORDER BY id") }
        #expect(written.count == count)
        for (index, row) in written.enumerated() {
            let text: String? = index % 3 == 0 ? nil : "dòng \(index)"
            #expect(row["id"] == Int64(index + 1))
            #expect(row["text"] == text)
            #expect(row["size"] == index * 10)
        }
    }

    @Test func emptyAndAccentedTextIsWrittenAsGivenEvenWhenEveryTextOfARunIsEmpty() throws {
        let queue = try database()
        let texts = ["", "", "Nguyễn Thị Hồng Nhung", "", "Ngõ \"3\" \\ tổ 7", "Đ"]
        let rows = texts.enumerated().map { index, text -> [RowValue] in [.integer(Int64(index + 1)), .text(text), RowValue(text.utf8.count)] }
        // Runs of 4 and 2: the first run's texts are partly empty; then a run of two empty texts alone.
        try queue.write { db in
            try db.insertRows(rows, into: "note (id, text, size)", row: "(?, ?, ?)")
            try db.insertRows([[.integer(7), .text(""), .integer(0)], [.integer(8), .text(""), .integer(0)]], into: "note (id, text, size)", row: "(?, ?, ?)")
        }
        let written = try queue.read { db in try Row.fetchAll(db, sql: "SELECT text, size, length(CAST(text AS BLOB)) AS bytes FROM note ORDER BY id") }
        #expect(written.map { $0["text"] as String? } == texts + ["", ""])
        #expect(written.allSatisfy { ($0["size"] as Int) == ($0["bytes"] as Int) })
    }

    @Test func rowsWithTooFewOrTooManyValuesAreRefusedAndWriteNothing() throws {
        let queue = try database()
        #expect(throws: DatabaseError.self) {
            try queue.write { db in try db.insertRows([[.integer(1), .text("a")]], into: "note (id, text, size)", row: "(?, ?, ?)") }
        }
        #expect(throws: DatabaseError.self) {
            try queue.write { db in try db.insertRows([[.integer(1), .text("a"), .integer(2), .integer(3)]], into: "note (id, text, size)", row: "(?, ?, ?)") }
        }
        #expect(try queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM note") } == 0)
    }

    @Test func aBatchIsCutIntoRunsOfPowersOfTwoUpTo64LargestFirstOnePerBitBelow128() {
        for count in 0...300 {
            let chunks = Database.statementChunks(count)
            #expect(chunks.map(\.lowerBound) == [0] + chunks.dropLast().map(\.upperBound) || chunks.isEmpty, "\(count)")
            #expect((chunks.last?.upperBound ?? 0) == count)
            #expect(chunks.allSatisfy { [64, 32, 16, 8, 4, 2, 1].contains($0.count) }, "\(count)")
            #expect(chunks.map(\.count) == chunks.map(\.count).sorted(by: >), "\(count)")
            if count < 128 { #expect(chunks.count == count.nonzeroBitCount, "\(count)") }
        }
    }
}
