import Foundation
import MachineAuthCore

/// Reading fetched answers: how long one stays fresh, and which keys of a JWK Set may verify
/// signatures (all that a cached answer keeps of its document).
extension RemoteKeySets {
    /// How long an answer stays fresh: its `max-age` within the policy's bounds; `no-cache` or
    /// `no-store`: the shortest; none: the default.
    static func lifetime(cacheControl: String?, policy: Policy) -> TimeInterval {
        guard let cacheControl else { return policy.defaultLifetime }
        var maxAge: TimeInterval?
        for directive in cacheControl.lowercased().split(separator: ",") {
            let parts = directive.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard let name = parts.first else { continue }
            if name == "no-cache" || name == "no-store" { return policy.lifetimes.lowerBound }
            if name == "max-age", parts.count == 2, parts[1].utf8.count <= 9, let seconds = Int(parts[1]), seconds >= 0 {
                maxAge = TimeInterval(seconds)
            }
        }
        return (maxAge ?? policy.defaultLifetime).clamped(to: policy.lifetimes)
    }

    /// The keys of a kept answer.
    static func keys(of document: [String: JSONValue]) -> [[String: JSONValue]] {
        document["keys"]?.arrayValue?.compactMap(\.objectValue) ?? []
    }

    /// The keys of a JWK Set that may verify signatures: those whose `use`, if any, is `sig` (or
    /// SPIFFE's `jwt-svid`) and that pass the checks registered keys pass (RSA 2048–8192 bits,
    /// P-256, Ed25519, no private members; ``FieldRules/proofKey(_:)``), with only their public
    /// members; a key whose `kid` repeats is dropped with its twin.
    static func signingKeys(in document: [String: JSONValue], limit: Int) -> [[String: JSONValue]] {
        guard let keys = document["keys"]?.arrayValue else { return [] }
        let usable = keys.prefix(limit).compactMap { key -> [String: JSONValue]? in
            guard var members = key.objectValue else { return nil }
            if let use = members["use"] {
                guard use == .string("sig") || use == .string("jwt-svid") else { return nil }
                members["use"] = nil
            }
            // Remote sets may hold private members by mistake; keep only what a public key needs.
            members = members.filter { ["kty", "kid", "alg", "n", "e", "crv", "x", "y"].contains($0.key) }
            return try? FieldRules.proofKey(members)
        }
        var seen: [String: Int] = [:]
        for key in usable { if let kid = key["kid"]?.stringValue { seen[kid, default: 0] += 1 } }
        return usable.filter { key in key["kid"]?.stringValue.map { seen[$0] == 1 } ?? true }
    }
}
