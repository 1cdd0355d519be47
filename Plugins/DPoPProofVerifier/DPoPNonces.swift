import Crypto
import Foundation
import MachineAuthCore

/// Server nonces (RFC 9449 §8) without state: a nonce names a time window and carries an HMAC
/// of it under a key every instance derives from the deployment's secret-hashing key, so one
/// instance accepts what another handed out. A nonce is good in its window and the next.
struct DPoPNonces: Sendable {
    let key: SymmetricKey
    /// The length of a window, in seconds (at least 1).
    let window: Int

    init(hasher: SecretHasher, window: Int) {
        // Derived, not the hashing key itself: a nonce reveals nothing about stored hashes.
        self.key = SymmetricKey(data: Data(hasher.hash("machineauth:dpop-nonce-key").utf8))
        self.window = max(1, window)
    }

    /// The nonce of the window `time` falls in.
    func nonce(at time: Date) -> String {
        let index = Self.index(time, window)
        return "\(index).\(mac(index))"
    }

    /// Whether `nonce` is the current window's or the previous one's.
    func accepts(_ nonce: String, at time: Date) -> Bool {
        let parts = nonce.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, (1...19).contains(parts[0].utf8.count), parts[0].utf8.allSatisfy({ (0x30...0x39).contains($0) }),
            let index = Int64(parts[0])
        else { return false }
        let current = Self.index(time, window)
        guard index == current || index == current - 1 else { return false }
        return ConstantTime.equals(String(parts[1]), mac(index))
    }

    private func mac(_ index: Int64) -> String {
        Base64URL.encode(Data(HMAC<SHA256>.authenticationCode(for: Data("dpop-nonce:\(index)".utf8), using: key).prefix(18)))
    }

    private static func index(_ time: Date, _ window: Int) -> Int64 {
        let seconds = time.timeIntervalSince1970
        guard seconds.isFinite, seconds > 0, seconds < 9e15 else { return 0 }
        return Int64((seconds / Double(window)).rounded(.down))
    }
}
