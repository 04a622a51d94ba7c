extension TrackingNumber {
    /// The number in one machine word (prefix letters and serial; the check digit and `VN` follow from them), for
    /// holding a province's ledger in memory during a reconciliation.
    var packed: UInt64 {
        var letters = prefix.utf8.makeIterator()
        let first = letters.next()!
        let second = letters.next()!
        return UInt64(first) << 40 | UInt64(second) << 32 | UInt64(serial)
    }

    init(packed: UInt64) {
        let letters = [UInt8(truncatingIfNeeded: packed >> 40), UInt8(truncatingIfNeeded: packed >> 32)]
        self.init(prefix: String(decoding: letters, as: UTF8.self), serial: Int(packed & 0xFFFF_FFFF))
    }
}
