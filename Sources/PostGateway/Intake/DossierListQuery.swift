import Foundation
import Hummingbird

/// The staff list's query string, checked field by field like a form.
struct DossierListQuery {
    static let parameters: Set<String> = ["status", "officeCode", "agencyCode", "from", "to", "limit", "cursor"]

    var filter: DossierFilter
    let limit: Int
    let before: Int64?

    init(_ query: Parameters, maxPageSize: Int, defaultPageSize: Int) throws(Problem) {
        var issues: [FieldIssue] = []
        for (key, _) in query where !Self.parameters.contains(String(key)) {
            issues.append(FieldIssue(String(key), .unknownField))
        }
        var filter = DossierFilter()
        if let status = query["status"] {
            filter.status = ItemStatus(rawValue: String(status))
            if filter.status == nil {
                issues.append(FieldIssue("status", .notOneOf, ItemStatus.allCases.map(\.rawValue).joined(separator: ", ")))
            }
        }
        filter.officeCode = query["officeCode"].map(String.init)
        filter.agencyCode = query["agencyCode"].map(String.init)
        for (name, keyPath) in [("from", \DossierFilter.from), ("to", \DossierFilter.to)] {
            guard let text = query[Substring(name)] else { continue }
            if let day = LocalDate(iso: text) { filter[keyPath: keyPath] = day } else { issues.append(FieldIssue(name, .invalidDate)) }
        }
        if let from = filter.from, let to = filter.to, from > to { issues.append(FieldIssue("from", .invalidRange)) }
        var limit = min(defaultPageSize, maxPageSize)
        if let text = query["limit"] {
            if let number = Int(text), (1...maxPageSize).contains(number) {
                limit = number
            } else {
                issues.append(FieldIssue("limit", .outOfRange, "1", String(maxPageSize)))
            }
        }
        var before: Int64?
        if let text = query["cursor"] {
            before = Self.id(fromCursor: String(text))
            if before == nil { issues.append(FieldIssue("cursor", .invalidCursor)) }
        }
        guard issues.isEmpty else { throw .validation(issues) }
        self.filter = filter
        self.limit = limit
        self.before = before
    }

    /// Cursors are opaque to clients: base64url of the last id seen, so the paging scheme can change.
    static func cursor(after id: Int64) -> String {
        Data("d:\(id)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func id(fromCursor cursor: String) -> Int64? {
        var base64 = cursor.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8), text.hasPrefix("d:"),
            let id = Int64(text.dropFirst(2)), id > 0
        else { return nil }
        return id
    }
}
