import APIKeyAuthenticator
import AuditSink
import ClientCredentialsGrant
import ClientSecretAuthenticator
import CustomClaimsEnricher
import DPoPProofVerifier
import JSONStorage
import JWTBearerGrant
public import MachineAuthCore
import OrgTeamEnricher
import PrivateKeyJWTAuthenticator
import PostgresStorage
import RefreshTokenGrant
import TLSClientAuthenticator
import WebhookNotifier

extension StageRegistry {
    /// Every stage compiled into the `machineauth` binary. The one place stages are registered.
    public static var standard: StageRegistry {
        var registry = StageRegistry()
        registry.register(JSONStorageFactory.self)
        registry.register(PostgresStorageFactory.self)
        registry.register(ClientSecretAuthenticatorFactory.self)
        registry.register(PrivateKeyJWTAuthenticatorFactory.self)
        registry.register(TLSClientAuthenticatorFactory.self)
        registry.register(ClientCredentialsGrantFactory.self)
        registry.register(RefreshTokenGrantFactory.self)
        registry.register(JWTBearerGrantFactory.self)
        registry.register(APIKeyAuthenticatorFactory.self)
        registry.register(OrgTeamEnricherFactory.self)
        registry.register(CustomClaimsEnricherFactory.self)
        registry.register(AuditSinkFactory.self)
        registry.register(WebhookNotifierFactory.self)
        registry.register(DPoPProofVerifierFactory.self)
        return registry
    }
}
