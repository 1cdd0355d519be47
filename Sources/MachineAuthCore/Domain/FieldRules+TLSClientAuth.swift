extension FieldRules {
    /// The subject a `tls_client_auth` agent registers (RFC 8705 §2.1.2): at most one of the
    /// `tls_client_auth_*` fields (given by their metadata names), in its format — an RFC 4514
    /// DN, a DNS name (a leading `*.` allowed, matched literally), an absolute URI, an IPv4 or IPv6
    /// address, or a mail address. `nil` when none is given.
    public static func tlsClientAuthSubject(_ fields: [String: String]) throws(ValidationError) -> TLSClientAuthSubject? {
        guard let (name, value) = fields.first else { return nil }
        guard fields.count == 1 else {
            throw ValidationError(fields.keys.sorted()[1], "give exactly one of \(TLSClientAuthSubject.Kind.metadataNames.joined(separator: ", "))")
        }
        guard let kind = TLSClientAuthSubject.Kind(metadataName: name) else { throw ValidationError(name, "is not a tls_client_auth subject field") }
        let subject = TLSClientAuthSubject(kind: kind, value: value)
        if let problem = formatProblem(subject) { throw ValidationError(name, problem) }
        return subject
    }

    /// What is wrong with a subject's value, or `nil`.
    static func formatProblem(_ subject: TLSClientAuthSubject) -> String? {
        let value = subject.value
        guard !value.isEmpty else { return "must not be empty" }
        switch subject.kind {
        case .subjectDN:
            do { _ = try DistinguishedNameString.parse(value) } catch { return "is not an RFC 4514 distinguished name: it \(error.message)" }
            return nil
        case .sanDNS:
            return isDNSName(value, allowWildcard: true) ? nil : "must be a DNS name (letters, digits, - and dots; at most 253 bytes)"
        case .sanURI:
            let scheme = value.prefix { $0 != ":" }
            guard value.utf8.count <= 2048, value.utf8.allSatisfy({ (0x21...0x7E).contains($0) }), scheme.count < value.count,
                let first = scheme.first, first.isASCII, first.isLetter,
                scheme.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }), value.count > scheme.count + 1
            else { return "must be an absolute URI of at most 2048 printable ASCII characters, such as spiffe://example.org/agent" }
            return nil
        case .sanIP:
            guard value.utf8.count <= 45, !value.contains("["), IPAddressRange.parse(value) != nil else {
                return "must be an IPv4 address in dotted decimal or an IPv6 address (RFC 5952), without brackets"
            }
            return nil
        case .sanEmail:
            guard value.utf8.count <= 320, let at = value.lastIndex(of: "@"), value.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
                return "must be a mail address (local@domain, printable ASCII)"
            }
            let local = value[..<at], domain = value[value.index(after: at)...]
            guard (1...64).contains(local.utf8.count), isDNSName(String(domain), allowWildcard: false) else {
                return "must be a mail address (local@domain, printable ASCII)"
            }
            return nil
        }
    }

    /// Letters, digits and `-` in labels of 1 to 63 bytes, at most 253 bytes in all.
    static func isDNSName(_ value: String, allowWildcard: Bool) -> Bool {
        let labels = value.split(separator: ".", omittingEmptySubsequences: false)
        guard value.utf8.count <= 253, !labels.isEmpty else { return false }
        return labels.enumerated().allSatisfy { index, label in
            if allowWildcard, index == 0, label == "*", labels.count > 1 { return true }
            return (1...63).contains(label.utf8.count) && label.utf8.first != UInt8(ascii: "-") && label.utf8.last != UInt8(ascii: "-")
                && label.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) || $0 == 0x2D }
        }
    }
}
