public import MachineAuthCore
public import Foundation

extension JSONStorage {
    public func signingKeys() async throws -> [SigningKeyRecord] {
        read { $0.signingKeys }
    }

    public func insertFirstSigningKey(_ candidate: SigningKeyRecord) async throws -> [SigningKeyRecord] {
        try await commit { state -> [SigningKeyRecord] in
            if !state.signingKeys.contains(where: \.isActive) { state.signingKeys.append(candidate) }
            return state.signingKeys
        }
    }

    public func rotateSigningKey(to newKey: SigningKeyRecord, publishRetiredUntil: Date) async throws -> [SigningKeyRecord] {
        try await commit { state -> [SigningKeyRecord] in
            let now = newKey.createdAt
            state.signingKeys = state.signingKeys.compactMap { key in
                var key = key
                if key.isActive {
                    key.retiredAt = now
                    key.publishUntil = publishRetiredUntil
                } else if let until = key.publishUntil, until <= now {
                    return nil
                }
                return key
            }
            state.signingKeys.append(newKey)
            return state.signingKeys
        }
    }
}
