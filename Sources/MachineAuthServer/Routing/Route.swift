public import HTTPTypes
import MachineAuthCore

/// One row of ``RouteTable``.
public struct Route: Sendable {
    /// Who reads the answer: a program (JSON, documented in `/openapi.json`) or a person (an
    /// HTML page of the dashboard; refusals render as pages, and no credentials means a
    /// redirect to the sign-in page).
    public enum Kind: String, Sendable {
        case api, page
    }

    public let method: HTTPRequest.Method
    /// As registered: `{name}` parameters, `**` for the rest of the path.
    public let path: String
    public let access: Access
    public let summary: String
    public let kind: Kind
    /// The JSON body it accepts (`nil`: none read as JSON).
    let body: BodySchema?
    /// The `application/x-www-form-urlencoded` parameters it reads (OAuth style, unknown ones ignored).
    let form: BodySchema?
    let query: [QueryParameter]

    init(
        _ method: HTTPRequest.Method, _ path: String, _ access: Access, _ summary: String, body: BodySchema? = nil, form: BodySchema? = nil,
        query: [QueryParameter] = [], kind: Kind = .api
    ) {
        self.method = method
        self.path = path
        self.access = access
        self.summary = summary
        self.kind = kind
        self.body = body
        self.form = form
        self.query = query
    }

    /// A dashboard page; its forms are `application/x-www-form-urlencoded` and carry `csrf_token`.
    static func page(_ method: HTTPRequest.Method, _ path: String, _ access: Access, _ summary: String) -> Route {
        Route(method, path, access, summary, kind: .page)
    }

    /// `GET /api/agents/{id}`.
    public var key: String { "\(method.rawValue) \(path)" }
}

/// A documented query parameter of a route.
struct QueryParameter: Sendable {
    enum Kind: Sendable {
        case string, boolean, timestamp
        case integer(ClosedRange<Int>)
    }

    var name: String
    var kind: Kind
    var summary: String

    static func string(_ name: String, _ summary: String = "") -> QueryParameter { QueryParameter(name: name, kind: .string, summary: summary) }
    static func boolean(_ name: String, _ summary: String = "") -> QueryParameter { QueryParameter(name: name, kind: .boolean, summary: summary) }
    static func timestamp(_ name: String, _ summary: String = "") -> QueryParameter { QueryParameter(name: name, kind: .timestamp, summary: summary) }

    static let paging: [QueryParameter] = [
        QueryParameter(name: "page", kind: .integer(InputLimits.page), summary: "from 1"),
        QueryParameter(name: "limit", kind: .integer(InputLimits.pageSize), summary: "page size, default 20"),
    ]

    static let agentFilters: [QueryParameter] = [
        .string("q", "search in names and descriptions"), .string("status", "active, inactive or expired"),
        .string("organization_id"), .string("org_id", "alias of organization_id"), .string("team_id"), .string("scope"),
    ] + paging
}
