import NIOCore
import Synchronization

/// Public tracking answers kept between lookups: a citizen's phone, a QR scanned twice, a post office's screen
/// asking again and again for the same code. An entry goes as soon as a commit changes its dossier (the ledger's
/// `DossierChangeObserver`), and a read that overlapped such a commit is not kept, so the cache never answers
/// older than the ledger. Unknown codes are never kept: a dossier accepted a moment later must be found.
final class TrackingCache: Sendable {
    /// What a code found, with the answer without a PIN already written in the language it was first asked in.
    /// A class: the table then moves and hands out one reference, not a dossier's every string and array.
    final class Entry: Sendable {
        let dossier: TrackedDossier
        let code: String
        let language: Language
        let lockedJSON: ByteBuffer

        init(dossier: TrackedDossier, code: String, language: Language, lockedJSON: ByteBuffer) {
            self.dossier = dossier
            self.code = code
            self.language = language
            self.lockedJSON = lockedJSON
        }
    }

    private struct State {
        var byCode: [String: Entry] = [:]
        var codesByDossier: [Int64: [String]] = [:]
        /// Moves with every commit that invalidates something; a read stores its answer only if it has not moved.
        var generation: UInt64 = 0
    }

    /// How many codes are kept; 0 turns the cache off.
    let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Taken before reading the ledger, and handed back to `store`.
    var generation: UInt64 { state.withLock { $0.generation } }

    func lookup(_ code: String) -> Entry? {
        state.withLock { $0.byCode[code] }
    }

    /// Keeps what a read found, unless a commit changed any dossier since `generation` was taken: that read may
    /// have seen the ledger before the change.
    func store(_ entry: Entry, readAt generation: UInt64) {
        guard capacity > 0 else { return }
        state.withLock { state in
            guard state.generation == generation else { return }
            if state.byCode[entry.code] == nil, state.byCode.count >= capacity, let victim = state.byCode.first {
                Self.remove(code: victim.key, dossierId: victim.value.dossier.id, from: &state)
            }
            if state.byCode.updateValue(entry, forKey: entry.code) == nil {
                state.codesByDossier[entry.dossier.id, default: []].append(entry.code)
            }
        }
    }

    func invalidate(_ dossierIds: Set<Int64>) {
        state.withLock { state in
            state.generation &+= 1
            for id in dossierIds {
                for code in state.codesByDossier.removeValue(forKey: id) ?? [] { state.byCode[code] = nil }
            }
        }
    }

    var count: Int { state.withLock { $0.byCode.count } }

    private static func remove(code: String, dossierId: Int64, from state: inout State) {
        state.byCode[code] = nil
        state.codesByDossier[dossierId]?.removeAll { $0 == code }
        if state.codesByDossier[dossierId]?.isEmpty == true { state.codesByDossier[dossierId] = nil }
    }
}
