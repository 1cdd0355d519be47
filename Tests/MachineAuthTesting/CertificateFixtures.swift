import Foundation

/// Two self-signed client certificates (P-256, made with `openssl req -x509`), their
/// `x5t#S256` thumbprints as `openssl x509 -outform der | openssl dgst -sha256 -binary` gives
/// them, and nginx's `$ssl_client_escaped_cert` form of each.
public enum CertificateFixtures {
    public static let pemA = """
        -----BEGIN CERTIFICATE-----
        MIIBezCCASGgAwIBAgIUCtW1ixknFjtIyXWZV/Mt0nV5c8gwCgYIKoZIzj0EAwIw
        EjEQMA4GA1UEAwwHYWdlbnQtYTAgFw0yNjEyMDExOTIyNTVaGA8yMTI2MTEwNzE5
        MjI1NVowEjEQMA4GA1UEAwwHYWdlbnQtYTBZMBMGByqGSM49AgEGCCqGSM49AwEH
        A0IABAm2R+xx4lxU5mSbw8fJm8FG96ftyxhnYdyrfbuGS+drH1H5c6ejNK2AmToj
        c1v6BPP93tlqdKgg4d9T1GcP7fOjUzBRMB0GA1UdDgQWBBQK5PMlhX5CsJdF/xJT
        MCYqVrrWgTAfBgNVHSMEGDAWgBQK5PMlhX5CsJdF/xJTMCYqVrrWgTAPBgNVHRMB
        Af8EBTADAQH/MAoGCCqGSM49BAMCA0gAMEUCIQDUBS+yENUstEfJGhrIArOu2gzG
        CqjwAgGke7JXBnfC4gIgegV0ZB2xRAqLBZ9RDudWXdYvboxYDk3LLufGWGfginU=
        -----END CERTIFICATE-----
        """
    public static let thumbprintA = "amj8zbm_R5mWyofHyshwBDjvjwTcABkECy4q0lKGiR8"
    public static let pemB = """
        -----BEGIN CERTIFICATE-----
        MIIBezCCASGgAwIBAgIUW9hlM4wY0vNON3lUv4oAQRaChKQwCgYIKoZIzj0EAwIw
        EjEQMA4GA1UEAwwHYWdlbnQtYjAgFw0yNjEyMDExOTIyNTVaGA8yMTI2MTEwNzE5
        MjI1NVowEjEQMA4GA1UEAwwHYWdlbnQtYjBZMBMGByqGSM49AgEGCCqGSM49AwEH
        A0IABFjGIEyPz6uwKCAbq2IATOq9EW3+sfTHsYDtraM2BkfFaWxB/LxSGE6ABXGp
        HYPrtMEoHcmeX7zPx3c2TZu8jPmjUzBRMB0GA1UdDgQWBBS6KuJb1SbIU45E/KQ7
        MaFA6PoHgzAfBgNVHSMEGDAWgBS6KuJb1SbIU45E/KQ7MaFA6PoHgzAPBgNVHRMB
        Af8EBTADAQH/MAoGCCqGSM49BAMCA0gAMEUCIHluqohOa84us5FnrWYPSmliYyNU
        SRX96Egj0okw2yD8AiEA0aojQbA3MTvxDxOV/2w1d7OynxY6QhBvdwR7wtJQ358=
        -----END CERTIFICATE-----
        """
    public static let thumbprintB = "gqvscDYrYu2xD6xSfN34BTKjzIKYtqPqfVeC45wCQa4"

    /// What nginx's `$ssl_client_escaped_cert` holds: the PEM, newline-terminated, URL-escaped.
    public static func escaped(_ pem: String) -> String {
        (pem + "\n").addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? ""
    }
}
