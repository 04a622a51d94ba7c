extension TrackingNumber {
    /// The number in one machine word (prefix letters and serial; the check digit and `VN` follow from them), for
    /// holding a province's ledger in memory during a reconciliation.
    var packed: UInt64 {
        let letters = Array(prefix.utf8)
        return UInt64(letters[0]) << 40 | UInt64(letters[1]) << 32 | UInt64(serial)
    }

    init(packed: UInt64) {
        let letters = [UInt8(truncatingIfNeeded: packed >> 40), UInt8(truncatingIfNeeded: packed >> 32)]
        self.init(prefix: String(decoding: letters, as: UTF8.self), serial: Int(packed & 0xFFFF_FFFF))
    }
}
