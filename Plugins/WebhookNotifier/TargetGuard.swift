#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Foundation
import MachineAuthCore

/// Refuses webhook targets on private, loopback, link-local and other internal addresses,
/// checked on the addresses the host resolves to at send time (not only when the webhook is made).
enum TargetGuard {
    static func isInternal(_ address: String) -> Bool {
        IPAddressRange.isInternal(address)
    }

    /// The URL's scheme is http(s) and it names a host.
    static func validate(_ url: String) throws(ValidationError) -> URL {
        guard let parsed = Webhook.targetURL(url) else { throw ValidationError("url", "must be an http or https URL") }
        return parsed
    }

    /// Resolves `host` (off the cooperative pool) and returns the reason it is refused, if any.
    static func refusal(host: String) async -> String? {
        let name = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        let addresses = await resolve(name)
        guard !addresses.isEmpty else { return "the host \(name) does not resolve" }
        if let blocked = addresses.first(where: isInternal) {
            return "the host \(name) resolves to the internal address \(blocked) (set allow_private_targets to permit it)"
        }
        return nil
    }

    static func resolve(_ host: String) async -> [String] {
        if IPAddressRange.parse(host) != nil { return [host] }
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
                var addresses: [String] = []
                var cursor = results
                while let entry = cursor {
                    var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
                    if getnameinfo(entry.pointee.ai_addr, entry.pointee.ai_addrlen, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST) == 0 {
                        addresses.append(String(cString: buffer))
                    }
                    cursor = entry.pointee.ai_next
                }
                continuation.resume(returning: addresses)
            }
        }
    }
}
