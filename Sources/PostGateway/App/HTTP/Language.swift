import Hummingbird

/// The two languages messages come in: Vietnamese by default, English when the client prefers it.
enum Language: String, CaseIterable, Sendable {
    case vi, en

    /// Picks from an `Accept-Language` header by quality; anything but a clear preference for English is Vietnamese.
    init(acceptLanguage header: String?) {
        guard let header else {
            self = .vi
            return
        }
        var best: (language: Language, quality: Double)? = nil
        for range in header.split(separator: ",") {
            let parts = range.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = parts.first?.lowercased() else { continue }
            let language: Language? = tag.hasPrefix("en") ? .en : tag.hasPrefix("vi") ? .vi : nil
            guard let language else { continue }
            let quality = parts.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            if best == nil || quality > best!.quality { best = (language, quality) }
        }
        self = best?.language ?? .vi
    }

    init(_ request: Request) {
        self.init(acceptLanguage: request.headers[.acceptLanguage])
    }
}
