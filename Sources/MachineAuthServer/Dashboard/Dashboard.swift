import Foundation
import HTTPTypes
import Hummingbird
import MachineAuthCore
import Mustache

/// The admin dashboard: server-rendered pages under `/dashboard`. It is a client of the same
/// core services and the same scoped rules (``ScopedAgents``, ``ScopedTenancy``, …) as the
/// API, behind the same access table; it adds only reading forms and rendering templates.
struct Dashboard: Sendable {
    let runtime: MachineAuthRuntime
    let resources: DashboardResources

    /// Headers of every page: a strict Content-Security-Policy (no inline script or style, no
    /// other origin, no framing), no sniffing, no referrer beyond this origin, and no caching
    /// of what an administrator saw.
    static let pageHeaders: HTTPFields = [
        .contentType: "text/html; charset=utf-8",
        .contentSecurityPolicy: "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        .xContentTypeOptions: "nosniff",
        .referrerPolicy: "same-origin",
        .xFrameOptions: "DENY",
        .cacheControl: "no-store",
    ]

    /// The layout data of a signed-in page.
    func chrome(_ page: DashboardRequest, title: String, section: String) throws -> Chrome {
        let scope = try page.scope()
        let csrf = scope.session.map(runtime.services.adminSessions.csrfToken(for:)) ?? ""
        var chrome = Chrome(title: title, section: section, scope: scope, csrf: csrf, resources: resources)
        chrome.notice = page.query.string("notice").flatMap(Notice.text)
        return chrome
    }

    /// Renders `template` with `view` as a page.
    func render(_ template: String, _ view: Any, status: HTTPResponse.Status = .ok, headers extra: HTTPFields = [:]) -> Response {
        guard let html = resources.templates.render(view, withTemplate: template) else {
            preconditionFailure("the dashboard has no template \(template)")
        }
        var headers = Self.pageHeaders
        for field in extra { headers[field.name] = field.value }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// `303 See Other` to `location` (after a change, so reloading does not repeat it).
    func redirect(_ location: String, notice: Notice? = nil) -> Response {
        let target = notice.map { location + (location.contains("?") ? "&" : "?") + "notice=\($0.rawValue)" } ?? location
        var headers = Self.pageHeaders
        headers[.location] = target
        return Response(status: .seeOther, headers: headers)
    }

    /// The caller's reach over agents, organizations and webhooks.
    func agents(_ page: DashboardRequest) throws -> ScopedAgents { ScopedAgents(runtime: runtime, scope: try page.scope(), origin: page.origin) }
    func tenancy(_ page: DashboardRequest) throws -> ScopedTenancy { ScopedTenancy(runtime: runtime, scope: try page.scope(), origin: page.origin) }
}

extension HTTPField.Name {
    static let referrerPolicy = Self("Referrer-Policy")!
    static let xFrameOptions = Self("X-Frame-Options")!
}
