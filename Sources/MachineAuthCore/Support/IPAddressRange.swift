#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An IPv4 or IPv6 address or CIDR range, such as `10.0.0.0/8`, `::1` or `fd00::/8`.
///
/// ```swift
/// IPAddressRange("10.0.0.0/8")?.contains("10.1.2.3")  // true
/// ```
public struct IPAddressRange: Sendable, Hashable {
    let bytes: [UInt8]
    let prefixLength: Int

    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1)
        guard let first = parts.first, let bytes = Self.parse(String(first)) else { return nil }
        let maximum = bytes.count * 8
        if parts.count == 2 {
            guard let length = Int(parts[1]), (0...maximum).contains(length) else { return nil }
            prefixLength = length
        } else {
            prefixLength = maximum
        }
        self.bytes = bytes
    }

    /// Whether `address` lies in the range (IPv4-mapped IPv6 addresses match IPv4 ranges).
    public func contains(_ address: String) -> Bool {
        guard let candidate = Self.parse(address) else { return false }
        return contains(bytes: candidate)
    }

    /// Whether the address given by its 4 or 16 bytes lies in the range.
    public func contains(bytes address: [UInt8]) -> Bool {
        var candidate = address
        if candidate.count == 16, bytes.count == 4, candidate.prefix(12) == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF] {
            candidate = Array(candidate.suffix(4))
        }
        guard candidate.count == bytes.count else { return false }
        var remaining = prefixLength
        for index in 0..<bytes.count where remaining > 0 {
            let bits = min(8, remaining)
            let mask: UInt8 = bits == 8 ? 0xFF : ~(0xFF >> UInt8(bits))
            if candidate[index] & mask != bytes[index] & mask { return false }
            remaining -= bits
        }
        return true
    }

    /// The address's bytes (4 or 16), or `nil` when it is not an IP address.
    public static func parse(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        let trimmed = text.hasPrefix("[") && text.hasSuffix("]") ? String(text.dropFirst().dropLast()) : text
        if inet_pton(AF_INET6, trimmed, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        return nil
    }
}

extension IPAddressRange {
    /// IPv4 ranges that are not public unicast: this network, private, shared (CGNAT), loopback,
    /// link-local, IETF protocol assignments, documentation, 6to4 relay, benchmarking,
    /// multicast, reserved and broadcast.
    static let internalIPv4: [IPAddressRange] = [
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
        "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24",
        "224.0.0.0/4", "240.0.0.0/4",
    ].compactMap(IPAddressRange.init)

    /// IPv6 ranges that are not public unicast: unspecified, loopback, discard, Teredo, benchmarking, ORCHID,
    /// documentation, local-use NAT64, unique local, site-local, link-local and multicast.
    static let internalIPv6: [IPAddressRange] = [
        "::/128", "::1/128", "100::/64", "2001::/32", "2001:2::/48", "2001:10::/28", "2001:20::/28", "2001:db8::/32", "3fff::/20",
        "64:ff9b:1::/48", "fc00::/7", "fec0::/10", "fe80::/10", "ff00::/8",
    ].compactMap(IPAddressRange.init)

    /// Whether an address (its 4 or 16 bytes) is anything but public unicast. IPv6 forms that
    /// carry an IPv4 address — mapped (`::ffff:a.b.c.d`), compatible (`::a.b.c.d`), NAT64
    /// (`64:ff9b::a.b.c.d`) and 6to4 (`2002:aabb:ccdd::/48`) — are judged by that IPv4 address.
    public static func isInternal(bytes: [UInt8]) -> Bool {
        switch bytes.count {
        case 4:
            return internalIPv4.contains { $0.contains(bytes: bytes) }
        case 16:
            let zeros = [UInt8](repeating: 0, count: 10)
            if Array(bytes[0..<10]) == zeros, (bytes[10] == 0xFF && bytes[11] == 0xFF) || (bytes[10] == 0 && bytes[11] == 0) {
                return isInternal(bytes: Array(bytes[12..<16]))
            }
            if Array(bytes[0..<8]) == [0, 0, 0, 0, 0, 0, 0, 0], bytes[8] == 0xFF, bytes[9] == 0xFF, bytes[10] == 0, bytes[11] == 0 {
                return isInternal(bytes: Array(bytes[12..<16]))  // SIIT, ::ffff:0:a.b.c.d
            }
            if Array(bytes[0..<12]) == [0x00, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0] {
                return isInternal(bytes: Array(bytes[12..<16]))
            }
            if bytes[0] == 0x20, bytes[1] == 0x02 {
                return isInternal(bytes: Array(bytes[2..<6]))
            }
            return internalIPv6.contains { $0.contains(bytes: bytes) }
        default:
            return true
        }
    }

    /// Whether `address` — an IP literal, brackets allowed — is not a public unicast address. A
    /// literal with a zone id (`fe80::1%eth0`, `[::1%251]`) always is: zones name local links. So
    /// are the legacy numeric spellings resolvers still accept (`127.1`, `0x7f.1`, `2130706433`,
    /// `0177.0.0.1`) when they stand for one, and the names `localhost` and `*.localhost` (RFC 6761).
    public static func isInternal(_ address: String) -> Bool {
        let bare = address.hasPrefix("[") && address.hasSuffix("]") ? String(address.dropFirst().dropLast()) : address
        if bare.contains("%") { return true }
        let name = bare.lowercased().hasSuffix(".") ? String(bare.lowercased().dropLast()) : bare.lowercased()
        if name == "localhost" || name.hasSuffix(".localhost") { return true }
        if let bytes = parse(bare) { return isInternal(bytes: bytes) }
        var legacy = in_addr()
        if !bare.isEmpty, bare.allSatisfy({ $0.isHexDigit || $0 == "." || $0 == "x" || $0 == "X" }), inet_aton(bare, &legacy) != 0 {
            return isInternal(bytes: withUnsafeBytes(of: &legacy) { Array($0) })
        }
        return false
    }
}
