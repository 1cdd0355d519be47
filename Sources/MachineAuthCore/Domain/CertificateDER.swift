/// The outline of an X.509 certificate in DER (RFC 5280 §4.1), checked strictly without
/// interpreting it: `SEQUENCE { tbsCertificate SEQUENCE { [0] version or serialNumber INTEGER, … },
/// signatureAlgorithm SEQUENCE, signatureValue BIT STRING }` with definite, minimal lengths and
/// nothing after. Enough to refuse what is not a certificate; the binding compares hashes.
///
/// ```swift
/// CertificateDER.isCertificate(der)  // false for a key, a CSR's garbage, trailing bytes
/// ```
enum CertificateDER {
    static func isCertificate(_ der: [UInt8]) -> Bool {
        guard let outer = element(der[...]), outer.tag == 0x30, outer.rest.isEmpty,
            let tbs = element(outer.content), tbs.tag == 0x30,
            let algorithm = element(tbs.rest), algorithm.tag == 0x30,
            let signature = element(algorithm.rest), signature.tag == 0x03, signature.rest.isEmpty,
            let first = element(tbs.content), first.tag == 0xA0 || first.tag == 0x02
        else { return false }
        return true
    }

    /// One TLV with a one-byte tag: its tag, its content and what follows it.
    private static func element(_ bytes: ArraySlice<UInt8>) -> (tag: UInt8, content: ArraySlice<UInt8>, rest: ArraySlice<UInt8>)? {
        var index = bytes.startIndex
        guard index < bytes.endIndex, bytes[index] & 0x1F != 0x1F else { return nil }
        let tag = bytes[index]
        index += 1
        guard index < bytes.endIndex else { return nil }
        var length = Int(bytes[index])
        index += 1
        if length & 0x80 != 0 {
            let count = length & 0x7F
            // Long form: 1–3 length bytes (certificates stay far below 16 MiB), no leading zero, not below 128.
            guard (1...3).contains(count), bytes.endIndex - index >= count, bytes[index] != 0 else { return nil }
            length = bytes[index..<index + count].reduce(0) { $0 << 8 | Int($1) }
            guard length >= 0x80 else { return nil }
            index += count
        }
        guard bytes.endIndex - index >= length else { return nil }
        return (tag, bytes[index..<index + length], bytes[(index + length)...])
    }
}
