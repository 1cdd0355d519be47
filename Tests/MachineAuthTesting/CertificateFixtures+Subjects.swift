public import MachineAuthCore

extension CertificateFixtures {
    /// Issued by a test CA to `CN=agent-a,OU=Agents,O=Example\, Inc.,C=US` (RFC 4514, as
    /// `openssl x509 -nameopt RFC2253` prints it), with the SANs DNS `agent-a.example.com`, URI
    /// `spiffe://example.org/ns/prod/sa/agent-a`, IP `10.1.2.3` and `2001:db8::1`, email `agent-a@Example.COM`.
    public static let pemIssued = """
        -----BEGIN CERTIFICATE-----
        MIICGDCCAb6gAwIBAgIUefjG+hKbG2v2Pk/u9SYhtNQKyacwCgYIKoZIzj0EAwIw
        EjEQMA4GA1UEAwwHVGVzdCBDQTAgFw0yNjEyMDEyMzE2MzBaGA8yMTI2MTEwNzIz
        MTYzMFowSDELMAkGA1UEBhMCVVMxFjAUBgNVBAoMDUV4YW1wbGUsIEluYy4xDzAN
        BgNVBAsMBkFnZW50czEQMA4GA1UEAwwHYWdlbnQtYTBZMBMGByqGSM49AgEGCCqG
        SM49AwEHA0IABEihRCiWx9epIsrSsncQ2Ik+/BsS2Z7r0nKT0Y6r9XRBv4cw4FaT
        tnh1BZO3O1o1KugW2fZVNFbMJhhd+DhGtGmjgbkwgbYwdAYDVR0RBG0wa4ITYWdl
        bnQtYS5leGFtcGxlLmNvbYYnc3BpZmZlOi8vZXhhbXBsZS5vcmcvbnMvcHJvZC9z
        YS9hZ2VudC1hhwQKAQIDhxAgAQ24AAAAAAAAAAAAAAABgRNhZ2VudC1hQEV4YW1w
        bGUuQ09NMB0GA1UdDgQWBBShovSOZktl8b5sDHni2FElorpuLDAfBgNVHSMEGDAW
        gBRCAP6p8t3BAdyqSyAodhkZzzOSFTAKBggqhkjOPQQDAgNIADBFAiEA9gKlxB5W
        QWXpNEieMV4U6+UCp5WsymvoZKtE9FRHFrQCIAYC0RxQmXcRuZo/Nyt00FUWasPi
        9YNkGlUnkyv12Jkt
        -----END CERTIFICATE-----
        """
    public static let issuedSubjectDN = #"CN=agent-a,OU=Agents,O=Example\, Inc.,C=US"#

    /// A JWK Set whose one key carries ``pemA`` (self-signed, P-256) in `x5c`.
    public static let jwksWithA: JSONValue = .object(["keys": .array([.object([
        "kty": "EC", "crv": "P-256", "kid": "a",
        "x": "CbZH7HHiXFTmZJvDx8mbwUb3p-3LGGdh3Kt9u4ZL52s", "y": "H1H5c6ejNK2AmTojc1v6BPP93tlqdKgg4d9T1GcP7fM",
        "x5c": .array([.string(derBase64A)]),
    ])])])
    /// ``pemA``'s DER in standard base64 (what `x5c` holds).
    public static let derBase64A = "MIIBezCCASGgAwIBAgIUCtW1ixknFjtIyXWZV/Mt0nV5c8gwCgYIKoZIzj0EAwIwEjEQMA4GA1UEAwwHYWdlbnQtYTAgFw0yNjEyMDExOTIyNTVaGA8yMTI2MTEwNzE5MjI1NVowEjEQMA4GA1UEAwwHYWdlbnQtYTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABAm2R+xx4lxU5mSbw8fJm8FG96ftyxhnYdyrfbuGS+drH1H5c6ejNK2AmTojc1v6BPP93tlqdKgg4d9T1GcP7fOjUzBRMB0GA1UdDgQWBBQK5PMlhX5CsJdF/xJTMCYqVrrWgTAfBgNVHSMEGDAWgBQK5PMlhX5CsJdF/xJTMCYqVrrWgTAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0gAMEUCIQDUBS+yENUstEfJGhrIArOu2gzGCqjwAgGke7JXBnfC4gIgegV0ZB2xRAqLBZ9RDudWXdYvboxYDk3LLufGWGfginU="
    /// ``pemIssued``'s DER in standard base64.
    public static let derBase64Issued = "MIICGDCCAb6gAwIBAgIUefjG+hKbG2v2Pk/u9SYhtNQKyacwCgYIKoZIzj0EAwIwEjEQMA4GA1UEAwwHVGVzdCBDQTAgFw0yNjEyMDEyMzE2MzBaGA8yMTI2MTEwNzIzMTYzMFowSDELMAkGA1UEBhMCVVMxFjAUBgNVBAoMDUV4YW1wbGUsIEluYy4xDzANBgNVBAsMBkFnZW50czEQMA4GA1UEAwwHYWdlbnQtYTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABEihRCiWx9epIsrSsncQ2Ik+/BsS2Z7r0nKT0Y6r9XRBv4cw4FaTtnh1BZO3O1o1KugW2fZVNFbMJhhd+DhGtGmjgbkwgbYwdAYDVR0RBG0wa4ITYWdlbnQtYS5leGFtcGxlLmNvbYYnc3BpZmZlOi8vZXhhbXBsZS5vcmcvbnMvcHJvZC9zYS9hZ2VudC1hhwQKAQIDhxAgAQ24AAAAAAAAAAAAAAABgRNhZ2VudC1hQEV4YW1wbGUuQ09NMB0GA1UdDgQWBBShovSOZktl8b5sDHni2FElorpuLDAfBgNVHSMEGDAWgBRCAP6p8t3BAdyqSyAodhkZzzOSFTAKBggqhkjOPQQDAgNIADBFAiEA9gKlxB5WQWXpNEieMV4U6+UCp5WsymvoZKtE9FRHFrQCIAYC0RxQmXcRuZo/Nyt00FUWasPi9YNkGlUnkyv12Jkt"
    /// The public key of ``pemIssued`` as a JWK's members.
    public static let issuedKeyMembers: [String: JSONValue] = [
        "kty": "EC", "crv": "P-256", "x": "SKFEKJbH16kiytKydxDYiT78GxLZnuvScpPRjqv1dEE", "y": "v4cw4FaTtnh1BZO3O1o1KugW2fZVNFbMJhhd-DhGtGk",
    ]
}
