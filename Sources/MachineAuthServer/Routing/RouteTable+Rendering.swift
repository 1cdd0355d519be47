import Foundation
public import HTTPTypes
import MachineAuthCore

extension RouteTable {
    /// The README's API table: one row per path and rule, methods that share them joined.
    public static var markdown: String {
        var rows: [(methods: [String], route: Route)] = []
        for route in routes {
            if let last = rows.last, last.route.path == route.path, last.route.access == route.access, last.route.summary == route.summary {
                rows[rows.count - 1].methods.append(route.method.rawValue)
            } else {
                rows.append(([route.method.rawValue], route))
            }
        }
        var text = "| Method | Path | Who | What |\n|---|---|---|---|\n"
        for (methods, route) in rows {
            let summary = route.summary.replacingOccurrences(of: "|", with: "\\|")
            text += "| \(methods.joined(separator: ", ")) | `\(route.path)` | \(route.access.who) | \(summary) |\n"
        }
        return text
    }
}

extension RouteTable {
    /// The OpenAPI 3.1 document of these routes, as `GET /openapi.json` serves it.
    public static func openAPIDocument(issuer: String) -> String {
        OpenAPIDocument.render(issuer: issuer).jsonText
    }
}

extension RouteTable {
    /// The methods the table routes for a request path (`{name}` matches one segment, `**` the
    /// rest): what a 405 names in `Allow` when the path exists but the method does not.
    public static func methods(forPath path: String) -> [HTTPRequest.Method] {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        var methods: [HTTPRequest.Method] = []
        for route in routes where !methods.contains(route.method) && matches(route.path, segments) {
            methods.append(route.method)
        }
        return methods
    }

    private static func matches(_ pattern: String, _ segments: [Substring]) -> Bool {
        let parts = pattern.split(separator: "/", omittingEmptySubsequences: true)
        for (index, part) in parts.enumerated() {
            if part == "**" { return segments.count > index }
            guard index < segments.count, part.hasPrefix("{") || part == segments[index] else { return false }
        }
        return parts.count == segments.count
    }
}
