import Foundation

extension Answer {
    /// An intake receipt's links as a whole, for a test that holds them to exactly the ones the contract names.
    struct ReceiptLinks: Decodable {
        let links: [String: String]
    }

    /// The pick lists of the counter form (`/api/v1/reference/...`), spelled after `openapi.yaml`'s schemas.
    enum Reference {
        struct List<Entry: Decodable>: Decodable {
            let items: [Entry]
        }

        struct Office: Decodable {
            let code: String
            let name: String
            let address: String
            let unitCode: String
        }

        struct Agency: Decodable {
            let code: String
            let name: String
            let level: String
            let unitCode: String
            let address: String
            let servingOfficeCode: String
            let validFrom: String?
            let validTo: String?
            let successors: [String]
            let codeSource: String
        }

        struct Unit: Decodable {
            let code: String
            let validFrom: String?
            let validTo: String?
            let name: String
            let kind: String
            let provinceCode: String
            let formerDistrict: String?
            let successors: [String]
        }

        struct Procedure: Decodable {
            let code: String
            let name: String
            let field: String
            let level: String
            let fee: Int
            let processingDays: Int
            let documents: [String]
            let dossierByPost: Bool
            let resultByPost: Bool
            let legalBasis: String
        }
    }

    /// `GET /api/v1/outbox`.
    struct OutboxList: Decodable {
        let items: [OutboxMessage]
    }

    /// `GET /api/v1/reconciliations`, newest first.
    struct ReconciliationRunList: Decodable {
        let items: [ReconciliationRun]
        let nextCursor: String?
    }

    /// A run with its findings, as `GET /api/v1/reconciliations/{id}` answers it and as the report's JSON file holds
    /// it (the file has every finding, so no cursor).
    struct ReconciliationRunFindings: Decodable {
        let run: ReconciliationRun
        let findings: [ReconciliationFinding]
        let nextFindingsCursor: String?

        private enum CodingKeys: String, CodingKey {
            case findings, nextFindingsCursor
        }

        /// The run's own fields sit beside `findings` in one object, not under a key of their own.
        init(from decoder: any Decoder) throws {
            run = try ReconciliationRun(from: decoder)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            findings = try container.decode([ReconciliationFinding].self, forKey: .findings)
            nextFindingsCursor = try container.decodeIfPresent(String.self, forKey: .nextFindingsCursor)
        }
    }
}
