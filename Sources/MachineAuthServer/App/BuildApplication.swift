import Foundation
import Hummingbird
import Logging
import MachineAuthCore
import NIOCore

/// Builds the HTTP application for a started runtime: middleware in order (request context,
/// errors, HTTPS policy, CORS, body limit), then every route group.
///
/// Tests run it in-process with `app.test(.router)`; `serve` runs it with ``MachineAuthServer``.
public func buildApplication(
    runtime: MachineAuthRuntime, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    let settings = runtime.settings.server
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: RequestContextMiddleware(trustedProxies: settings.trustedProxies, telemetry: runtime.telemetry))
    router.add(middleware: ErrorMiddleware())
    if settings.requireHTTPS {
        router.add(middleware: HTTPSPolicyMiddleware(fallbackHost: URL(string: settings.issuer)?.host ?? "localhost"))
    }
    if !settings.allowedOrigins.isEmpty { router.add(middleware: CORSPolicyMiddleware(allowedOrigins: settings.allowedOrigins)) }
    router.add(middleware: BodyLimitMiddleware(maxBytes: settings.maxBodyBytes))
    HealthRoutes(runtime: runtime).register(on: router)
    OAuthRoutes(runtime: runtime).register(on: router)
    DiscoveryRoutes(runtime: runtime).register(on: router)
    AdminAuthRoutes(runtime: runtime).register(on: router)
    SelfServiceRoutes(runtime: runtime).register(on: router)
    AgentRoutes(runtime: runtime).register(on: router)
    OrganizationRoutes(runtime: runtime).register(on: router)
    UserRoutes(runtime: runtime).register(on: router)
    AuditRoutes(runtime: runtime).register(on: router)
    OperationsRoutes(runtime: runtime).register(on: router)
    GatewayRoutes(runtime: runtime).register(on: router)
    WebhookRoutes(runtime: runtime).register(on: router)

    var logger = runtime.logger
    logger[metadataKey: "component"] = "http"
    return Application(
        router: router,
        configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "MachineAuth"),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? settings.port) },
        logger: logger)
}
