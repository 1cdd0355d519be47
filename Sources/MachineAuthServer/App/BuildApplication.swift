import Foundation
public import Hummingbird
import Logging
import MachineAuthCore
import NIOCore

/// Builds the HTTP application for a started runtime: middleware in order (request context,
/// errors, HTTPS policy, CORS, body limit), then every route of ``RouteTable`` — the API and the
/// dashboard's pages — each behind its access rule.
///
/// Tests run it in-process with `app.test(.router)`; `serve` runs it with ``MachineAuthServer``.
public func buildApplication(
    runtime: MachineAuthRuntime, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    let settings = runtime.settings.server
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: RequestContextMiddleware(trustedProxies: settings.trustedProxies, telemetry: runtime.services.telemetry))
    router.add(middleware: ErrorMiddleware(dpopAlgorithms: runtime.services.dpop.algorithms))
    if settings.requireHTTPS {
        router.add(middleware: HTTPSPolicyMiddleware(fallbackHost: URL(string: settings.issuer)?.host ?? "localhost"))
    }
    if !settings.allowedOrigins.isEmpty { router.add(middleware: CORSPolicyMiddleware(allowedOrigins: settings.allowedOrigins)) }
    router.add(middleware: BodyLimitMiddleware(maxBytes: settings.maxBodyBytes))
    let routes = RouteRegistrar(router: router, gate: AccessGate(runtime: runtime))
    HealthRoutes(runtime: runtime).register(on: routes)
    OAuthRoutes(runtime: runtime).register(on: routes)
    DiscoveryRoutes(runtime: runtime).register(on: routes)
    AdminAuthRoutes(runtime: runtime).register(on: routes)
    SelfServiceRoutes(runtime: runtime).register(on: routes)
    AgentRoutes(runtime: runtime).register(on: routes)
    OrganizationRoutes(runtime: runtime).register(on: routes)
    UserRoutes(runtime: runtime).register(on: routes)
    AuditRoutes(runtime: runtime).register(on: routes)
    OperationsRoutes(runtime: runtime).register(on: routes)
    GatewayRoutes(runtime: runtime).register(on: routes)
    WebhookRoutes(runtime: runtime).register(on: routes)
    TrustedIssuerRoutes(runtime: runtime).register(on: routes)
    DashboardRoutes.register(runtime: runtime, on: routes)
    routes.requireComplete()
    var logger = runtime.logger
    logger[metadataKey: "component"] = "http"
    return Application(
        router: router,
        configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "MachineAuth"),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? settings.port) },
        logger: logger)
}
