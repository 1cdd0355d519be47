import Foundation
import HTTPTypes
import MachineAuthCore

/// The OpenAPI 3.1 document of `GET /openapi.json`, built from ``RouteTable`` (paths, access,
/// parameters, request bodies from the same ``BodySchema`` values the server enforces) and
/// ``OpenAPIResponses`` (the success bodies). A test keeps it equal to the router.
enum OpenAPIDocument {
    /// The document for a server whose issuer is `issuer`.
    static func render(issuer: String) -> JSONValue {
        var paths: [String: JSONValue] = [:]
        for route in RouteTable.apiRoutes {
            var item = paths[path(route.path)]?.objectValue ?? [:]
            item[route.method.rawValue.lowercased()] = operation(route)
            paths[path(route.path)] = .object(item)
        }
        var components: [String: JSONValue] = [
            "schemas": schemas,
            "securitySchemes": [
                "bearer": ["type": "http", "scheme": "bearer", "description": "an admin session, an agent access token or an sk_ API key"],
                "apiKey": ["type": "apiKey", "in": "header", "name": "X-API-Key"],
                "session": ["type": "apiKey", "in": "cookie", "name": .string(Authentication.adminCookie),
                            "description": "the admin session cookie; requests that change something also send X-CSRF-Token"],
                "clientBasic": ["type": "http", "scheme": "basic", "description": "OAuth client id and secret (client_secret_basic)"],
            ],
        ]
        components["responses"] = ["Error": errorResponse("the request was refused")]
        return [
            "openapi": "3.1.0",
            "info": [
                "title": "MachineAuth", "version": .string(MachineAuthVersion.current),
                "description": "OAuth 2.0 authorization server and auth gateway for AI agents and machine-to-machine traffic.",
            ],
            "servers": [["url": .string(issuer)]],
            "paths": .object(paths),
            "components": .object(components),
        ]
    }

    /// `{name}` stays; a trailing `**` (the rest of the path) becomes `{path}`.
    static func path(_ registered: String) -> String {
        registered.hasSuffix("/**") ? String(registered.dropLast(2)) + "{path}" : registered
    }

    /// The component schemas, parsed once from their parts.
    static let schemas: JSONValue = {
        var merged: [String: JSONValue] = [:]
        for part in OpenAPIResponses.schemaParts {
            guard let parsed = try? JSONValue.parse(Data(part.utf8)).objectValue else {
                preconditionFailure("a part of OpenAPIResponses' schemas is not a JSON object")
            }
            merged.merge(parsed) { first, _ in first }
        }
        return .object(merged)
    }()

    static func operation(_ route: Route) -> JSONValue {
        var operation: [String: JSONValue] = [
            "operationId": .string(operationID(route)), "summary": .string(route.summary),
            "tags": [.string(tag(route.path))], "x-machineauth-access": .string(route.access.rawValue),
            "security": security(route.access), "responses": responses(route),
        ]
        let parameters = pathParameters(route.path) + route.query.map(queryParameter)
        if !parameters.isEmpty { operation["parameters"] = .array(parameters) }
        if let body = route.body, !body.fields.isEmpty {
            operation["requestBody"] = ["required": .bool(body.fields.contains(where: \.required)),
                                        "content": ["application/json": ["schema": schema(body, closed: true)]]]
        } else if let form = route.form {
            operation["requestBody"] = ["content": ["application/x-www-form-urlencoded": ["schema": schema(form, closed: false)]]]
        }
        return .object(operation)
    }

    static func operationID(_ route: Route) -> String {
        let words = route.path.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map { $0.prefix(1).uppercased() + $0.dropFirst() }
        return route.method.rawValue.lowercased() + (words.isEmpty ? "Root" : words.joined()) + (route.path.hasSuffix("**") ? "Path" : "")
    }

    static func tag(_ path: String) -> String {
        let segments = path.split(separator: "/")
        guard let first = segments.first else { return "service" }
        if first == "api", segments.count > 1 { return String(segments[1]) }
        return first.hasPrefix(".") ? "discovery" : String(first)
    }

    static func security(_ access: Access) -> JSONValue {
        switch access {
        case .anyone: return []
        case .oauthClient: return [[:], ["clientBasic": []], ["bearer": []]]
        case .agentToken: return [["bearer": []]]
        case .adminSession, .adminRead, .adminWrite, .owner: return [["bearer": []], ["session": []]]
        case .orgRead, .orgWrite: return [["bearer": []], ["apiKey": []], ["session": []]]
        }
    }

    static func pathParameters(_ path: String) -> [JSONValue] {
        var names = path.split(separator: "/").filter { $0.hasPrefix("{") && $0.hasSuffix("}") }.map { String($0.dropFirst().dropLast()) }
        if path.hasSuffix("/**") { names.append("path") }
        return names.map { ["name": .string($0), "in": "path", "required": true, "schema": ["type": "string"]] }
    }

    static func queryParameter(_ parameter: QueryParameter) -> JSONValue {
        let schema: JSONValue
        switch parameter.kind {
        case .string: schema = ["type": "string"]
        case .boolean: schema = ["type": "string", "enum": ["true", "false"]]
        case .timestamp: schema = ["type": "string", "format": "date-time"]
        case .integer(let range): schema = ["type": "integer", "minimum": .int(range.lowerBound), "maximum": .int(range.upperBound)]
        }
        return ["name": .string(parameter.name), "in": "query", "required": false, "description": .string(parameter.summary), "schema": schema]
    }

    /// A body's JSON Schema; `closed` bodies refuse unknown members, as ``JSONBody`` does.
    static func schema(_ body: BodySchema, closed: Bool) -> JSONValue {
        var properties: [String: JSONValue] = [:]
        for field in body.fields {
            var property = fieldSchema(field.kind)
            if field.nullable, case .object(var members) = property, let type = members["type"] {
                members["type"] = [type, "null"]
                property = .object(members)
            }
            if case .object(var members) = property {
                if !field.summary.isEmpty { members["description"] = .string(field.summary) }
                members.merge(field.documented) { $1 }
                property = .object(members)
            }
            properties[field.name] = property
        }
        return [
            "type": "object", "properties": .object(properties),
            "required": .array(body.fields.filter(\.required).map { .string($0.name) }), "additionalProperties": .bool(!closed),
        ]
    }

    static func fieldSchema(_ kind: BodySchema.Kind) -> JSONValue {
        switch kind {
        case .string: return ["type": "string"]
        case .timestamp: return ["type": "string", "format": "date-time"]
        case .boolean: return ["type": "boolean"]
        case .integer(let range): return ["type": "integer", "minimum": .int(range.lowerBound), "maximum": .int(range.upperBound)]
        case .number(let range): return ["type": "number", "minimum": .double(range.lowerBound), "maximum": .double(range.upperBound)]
        case .strings: return ["type": "array", "items": ["type": "string"]]
        case .stringMap: return ["type": "object", "additionalProperties": ["type": "string"]]
        case .jwkSet:
            return ["type": "object", "required": ["keys"], "properties": ["keys": ["type": "array", "minItems": 1, "maxItems": 10, "items": ["type": "object"]]]]
        case .objects(let schema):
            return ["type": "array", "items": Self.schema(schema, closed: true)]
        }
    }

    /// Routes that answer text rather than JSON, with their media type and schema (a YAML
    /// document is described as any value: clients that read YAML decode it).
    static let textResponses: [String: (String, JSONValue)] = [
        "/metrics": ("text/plain", ["type": "string"]),
        "/api/provision/export": ("application/yaml", ["description": "a provision file, as machineauth apply reads it"]),
    ]

    static func responses(_ route: Route) -> JSONValue {
        var responses: [String: JSONValue] = ["default": ["$ref": "#/components/responses/Error"]]
        let documented = OpenAPIResponses.routes["\(route.method.rawValue) \(path(route.path))"] ?? [:]
        for (status, name) in documented {
            let description = HTTPResponse.Status(code: status).reasonPhrase
            if let (media, schema) = textResponses[route.path] {
                responses[String(status)] = ["description": .string(description), "content": .object([media: ["schema": schema]])]
            } else if name.isEmpty {
                responses[String(status)] = ["description": .string(description)]
            } else {
                let type = route.path == "/.well-known/jwks.json" ? "application/jwk-set+json" : "application/json"
                responses[String(status)] = [
                    "description": .string(description), "content": .object([type: ["schema": ["$ref": .string("#/components/schemas/\(name)")]]]),
                ]
            }
        }
        return .object(responses)
    }

    static func errorResponse(_ description: String) -> JSONValue {
        ["description": .string(description), "content": ["application/json": ["schema": ["$ref": "#/components/schemas/Error"]]]]
    }
}
