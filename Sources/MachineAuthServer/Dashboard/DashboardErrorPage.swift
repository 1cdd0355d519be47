import Foundation
import HTTPTypes
import Hummingbird
import MachineAuthCore

/// What goes wrong on a dashboard page, as a page. No credentials or an ended session send the
/// browser to the sign-in page (303); refusals, missing objects and bad requests get a page
/// with the status and message the API would give — the one mapping, ``ErrorMiddleware/refusal(for:request:context:)``.
struct DashboardErrorPage: Sendable {
    let dashboard: Dashboard

    static let csrfMessage = "This form has expired or did not come from this dashboard. Reload the page and try again."

    func response(_ error: any Error, _ request: Request, _ context: AppRequestContext) -> Response {
        let refusal = ErrorMiddleware.refusal(for: error, request: request, context: context)
        if refusal.status == .unauthorized {
            let presentedCookie = request.cookies[Authentication.adminCookie] != nil
            var location = "/dashboard/login"
            if request.method == .get { location += "?next=" + SessionPages.encode(request.uri.path) }
            var response = dashboard.redirect(location, notice: presentedCookie ? .sessionEnded : nil)
            if presentedCookie { SessionCookies.clear(on: &response, context: context) }
            return response
        }
        let message = refusal.code == "csrf_token_invalid" ? Self.csrfMessage : Self.sentence(refusal.message)
        var headers: HTTPFields = [:]
        if let retryAfter = refusal.headers[.retryAfter] { headers[.retryAfter] = retryAfter }
        if let allow = refusal.headers[.allow] { headers[.allow] = allow }
        let view = ErrorView(
            chrome: Chrome(title: refusal.status.reasonPhrase, resources: dashboard.resources), status: refusal.status.code,
            heading: refusal.status.reasonPhrase, message: message, signedIn: context.identity != nil)
        return dashboard.render("error", view, status: refusal.status, headers: headers)
    }

    /// The API's message as a sentence: capitalized, with a full stop.
    static func sentence(_ message: String) -> String {
        guard let first = message.first else { return "The request could not be completed." }
        let text = first.uppercased() + message.dropFirst()
        return text.hasSuffix(".") ? text : text + "."
    }
}

/// The error page.
struct ErrorView: Sendable {
    var chrome: Chrome
    var status: Int
    var heading: String
    var message: String
    var signedIn: Bool
}

/// Answers every dashboard route when the resource bundle is missing: the API keeps working.
enum DashboardMissing {
    static func response(_ reason: String) -> Response {
        Response(
            status: .serviceUnavailable, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: "The dashboard is unavailable: \(reason).\n")))
    }
}
