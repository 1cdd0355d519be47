public import Foundation

/// Rotates the signing key ring and announces it: the API (`POST /api/keys/rotate`) and the
/// CLI (`machineauth keys rotate`) both go through here, so both publish `keys.rotated`.
public struct SigningKeyService: Sendable {
    let keyRing: KeyRing
    let events: EventBus
    let now: @Sendable () -> Date

    public init(keyRing: KeyRing, events: EventBus, now: @escaping @Sendable () -> Date) {
        self.keyRing = keyRing
        self.events = events
        self.now = now
    }

    /// A new active key; the old one stays published until its tokens expire. Returns the new `kid`.
    public func rotate(by attribution: Attribution) async throws -> String {
        let kid = try await keyRing.rotate(now: now())
        await events.publish(DomainEvent(
            type: "keys.rotated", time: now(), actor: attribution.actor, data: ["kid": .string(kid)], origin: attribution.origin))
        return kid
    }
}
