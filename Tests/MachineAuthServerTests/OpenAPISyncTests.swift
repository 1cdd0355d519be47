import Foundation
import HTTPTypes
import Hummingbird
import MachineAuthCore
@testable import MachineAuthServer
import MachineAuthServerTesting
import MachineAuthTesting
import Testing

/// `/openapi.json` (the JSON API), the router and the README's API table (every route, the
/// dashboard's pages too) all say what ``RouteTable`` says.
@Suite("API contract")
struct OpenAPISyncTests {
    @Test("/openapi.json documents exactly the table's routes, access rules, bodies and success responses")
    func document() async throws {
        try await Harness.with { h in
            let reply = try await h.send(.get, "/openapi.json")
            #expect(reply.status == .ok)
            let document = try #require(reply.json.objectValue)
            #expect(document["openapi"] == "3.1.0")
            let paths = try #require(document["paths"]?.objectValue)
            let schemas = try #require(document["components"]?.objectValue?["schemas"]?.objectValue)
            var documented = 0
            for (path, item) in paths {
                for (method, _) in item.objectValue ?? [:] {
                    documented += 1
                    let registered = path.hasSuffix("/{path}") ? String(path.dropLast(6)) + "**" : path
                    #expect(RouteTable.route(HTTPRequest.Method(method.uppercased())!, registered) != nil, "\(method) \(path) is not in the table")
                }
            }
            #expect(documented == RouteTable.apiRoutes.count)
            #expect(RouteTable.apiRoutes.allSatisfy { !$0.path.hasPrefix("/dashboard") }, "the dashboard's pages are not the JSON API")
            let partSizes = OpenAPIResponses.schemaParts.map { (try? JSONValue.parse(Data($0.utf8)).objectValue?.count) ?? 0 }
            #expect(partSizes.reduce(0, +) == schemas.count, "no schema is defined in two parts")
            for route in RouteTable.apiRoutes {
                let operation = paths[OpenAPIDocument.path(route.path)]?.objectValue?[route.method.rawValue.lowercased()]?.objectValue
                let label = route.key
                #expect(operation?["x-machineauth-access"]?.stringValue == route.access.rawValue, "\(label)")
                let responses = operation?["responses"]?.objectValue ?? [:]
                #expect(responses.keys.contains { $0.hasPrefix("2") }, "\(label) documents its success response")
                for response in responses.values {
                    for content in (response.objectValue?["content"]?.objectValue ?? [:]).values {
                        guard let reference = content.objectValue?["schema"]?.objectValue?["$ref"]?.stringValue else { continue }
                        #expect(schemas[String(reference.dropFirst("#/components/schemas/".count))] != nil, "\(label): \(reference)")
                    }
                }
                if let body = route.body, !body.fields.isEmpty {
                    let schema = operation?["requestBody"]?.objectValue?["content"]?.objectValue?["application/json"]?.objectValue?["schema"]?.objectValue
                    #expect(Set(schema?["properties"]?.objectValue?.keys.map { $0 } ?? []) == Set(body.fields.map(\.name)), "\(label)")
                    #expect(schema?["additionalProperties"] == false, "\(label): unknown fields are refused, and documented so")
                }
            }
        }
    }

    @Test("every row of the table is routed: none answers the router's own 404")
    func router() async throws {
        try await Harness.with { h in
            for route in RouteTable.routes {
                let uri = route.path.replacingOccurrences(of: "{id}", with: "x").replacingOccurrences(of: "{team_id}", with: "x")
                    .replacingOccurrences(of: "{key_id}", with: "x").replacingOccurrences(of: "**", with: "x")
                let reply = try await h.send(route.method, uri)
                #expect(!reply.text.contains("no route for"), "\(route.key) → \(reply.status) \(reply.text)")
            }
            #expect(try await h.send(.get, "/api/nothing-here").text.contains("no route for"), "the probe can tell")
        }
    }

    @Test("the README's API table is the route table")
    func readme() throws {
        let readme = try String(contentsOfFile: ServerProcess.projectRoot + "/README.md", encoding: .utf8)
        let start = try #require(readme.range(of: "<!-- routes:start -->\n"))
        let end = try #require(readme.range(of: "<!-- routes:end -->"))
        #expect(String(readme[start.upperBound..<end.lowerBound]) == RouteTable.markdown,
                "regenerate it with: machineauth routes, between the routes markers")
    }
}
