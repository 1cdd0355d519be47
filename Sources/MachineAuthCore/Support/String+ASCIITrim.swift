extension String {
    /// Without leading and trailing spaces and tabs — on UTF-8 bytes, for hot paths where
    /// Foundation's `trimmingCharacters(in:)` (which bridges through UTF-16) is too slow.
    public var trimmingASCIIWhitespace: String { Substring(self).trimmingASCIIWhitespace }
}

extension Substring {
    /// Without leading and trailing spaces and tabs, on UTF-8 bytes.
    public var trimmingASCIIWhitespace: String {
        let bytes = utf8
        guard let first = bytes.firstIndex(where: { $0 != 0x20 && $0 != 0x09 }),
            let last = bytes.lastIndex(where: { $0 != 0x20 && $0 != 0x09 })
        else { return "" }
        return String(decoding: bytes[first...last], as: UTF8.self)
    }
}
