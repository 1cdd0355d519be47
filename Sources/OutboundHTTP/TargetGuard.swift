#if canImport(Glibc)
import Glibc
#endif
import Dispatch
public import Foundation
public import MachineAuthCore

/// Decides where an outbound request to an address someone else chose (a webhook target, a
/// JWKS or OIDC discovery URL) may connect: the host is resolved once, every address it
/// resolves to must be public unicast (``IPAddressRange/isInternal(bytes:)``), and the client
/// then connects to exactly the address that was checked — no second lookup that DNS could
/// answer differently.
public enum TargetGuard {
    /// Where to connect, or why not.
    public enum Decision: Sendable, Equatable {
        /// Connect to `address` (an IP literal) for the URL's host.
        case connect(address: String)
        case refuse(String)
    }

    public static func validate(_ url: String) throws(ValidationError) -> URL {
        guard let parsed = Webhook.targetURL(url) else { throw ValidationError("url", "must be an http or https URL") }
        return parsed
    }

    /// The one text every refusal shows through the API: which internal names exist, and
    /// where they point, is not for whoever may configure a webhook or an issuer to learn.
    public static let refusal = "the target is not allowed: it does not resolve, or resolves to a private, loopback or link-local address (allow_private_targets)"

    /// Resolves `host` (off the cooperative pool) and checks every address it names; the reason
    /// of a refusal goes to `log` only.
    public static func decide(host: String, log: (String) -> Void = { _ in }) async -> Decision {
        let name = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        if name.contains("%") || IPAddressRange.isInternal(name) {
            log("target \(name) is an internal literal or name")
            return .refuse(refusal)
        }
        let addresses = await resolve(name)
        guard let first = addresses.first else {
            log("target \(name) does not resolve")
            return .refuse(refusal)
        }
        if let blocked = addresses.first(where: { IPAddressRange.isInternal(bytes: $0) }) {
            log("target \(name) resolves to the internal address \(format(blocked))")
            return .refuse(refusal)
        }
        return .connect(address: format(first))
    }

    /// The addresses `host` stands for, as 4 or 16 bytes each.
    public static func resolve(_ host: String) async -> [[UInt8]] {
        if let literal = IPAddressRange.parse(host) { return [literal] }
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                var hints = addrinfo()
                hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
                var results: UnsafeMutablePointer<addrinfo>?
                guard getaddrinfo(host, nil, &hints, &results) == 0 else {
                    continuation.resume(returning: [])
                    return
                }
                defer { freeaddrinfo(results) }
                var addresses: [[UInt8]] = []
                var cursor = results
                while let entry = cursor {
                    if let address = entry.pointee.ai_addr {
                        switch Int32(address.pointee.sa_family) {
                        case AF_INET:
                            address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { ipv4 in
                                addresses.append(withUnsafeBytes(of: ipv4.pointee.sin_addr) { Array($0) })
                            }
                        case AF_INET6:
                            address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { ipv6 in
                                addresses.append(withUnsafeBytes(of: ipv6.pointee.sin6_addr) { Array($0) })
                            }
                        default: break
                        }
                    }
                    cursor = entry.pointee.ai_next
                }
                continuation.resume(returning: addresses)
            }
        }
    }

    /// The numeric text of an address (`93.184.216.34`, `2606:2800::1`).
    public static func format(_ bytes: [UInt8]) -> String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let family = bytes.count == 4 ? AF_INET : AF_INET6
        let written = bytes.withUnsafeBytes { raw in inet_ntop(family, raw.baseAddress, &buffer, socklen_t(buffer.count)) }
        return written == nil ? "" : String(cString: buffer)
    }
}
