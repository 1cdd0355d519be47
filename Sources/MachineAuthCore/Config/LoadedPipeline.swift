/// A configuration that loaded without errors: the core settings and every stage, decoded and
/// ready to build, in configuration order.
public struct LoadedPipeline: Sendable {
    public var source: String
    public var settings: CoreSettings
    /// The document after `${VAR}` interpolation (what `config show` prints, masked).
    public var effectiveDocument: ConfigNode
    public var storage: PreparedStage<any Storage, StorageContext>
    public var authenticators: [PreparedStage<any Authenticator, StageContext>]
    /// The token endpoint's grants, in configuration order.
    public var grants: [PreparedStage<any GrantHandler, StageContext>]
    public var enrichers: [PreparedStage<any ClaimEnricher, StageContext>]
    public var notifiers: [PreparedStage<any Notifier, StageContext>]
    /// The DPoP stage (`dpop:`), if any: without one, `DPoP` headers are ignored and tokens are bearer tokens.
    public var dpop: PreparedStage<any DPoPVerifier, StageContext>?
    /// The declared deployment (`provision:`), applied at start-up.
    public var provision: ProvisionDocument?

    /// `type` names of the enabled stages, for the start-up line.
    public var stageSummary: String {
        func names<P, C>(_ stages: [PreparedStage<P, C>]) -> String {
            stages.isEmpty ? "none" : stages.map(\.type).joined(separator: ",")
        }
        return "authenticators=\(names(authenticators)) grants=\(names(grants)) enrichers=\(names(enrichers)) notifiers=\(names(notifiers)) dpop=\(dpop?.type ?? "none")"
    }
}
