import MachineAuthCore

/// The fields a JSON request body may carry and their types. ``JSONBody`` refuses anything
/// else (an unknown field, a wrong type, a number out of range) with a 400 naming the field,
/// and the OpenAPI document describes the body from the same value.
///
/// ```swift
/// static let rotate = BodySchema([.integer("grace_period_seconds", InputLimits.gracePeriodSeconds)])
/// ```
struct BodySchema: Sendable {
    let fields: [Field]

    init(_ fields: [Field]) {
        self.fields = fields
    }

    /// A route that takes no body (an empty body or `{}`).
    static let empty = BodySchema([])

    /// One field: its name, type, and whether it must be present or may be `null`.
    struct Field: Sendable {
        var name: String
        var kind: Kind
        var required = false
        var nullable = false
        var summary = ""
        /// Documentation of what the server's field rules accept (for clients and the fuzzer);
        /// the rules themselves are enforced by the services.
        var documented: [String: JSONValue] = [:]

        /// The same field, documenting a JSON Schema constraint such as `format` or `pattern`.
        func documenting(_ constraints: [String: JSONValue]) -> Field {
            var copy = self
            copy.documented.merge(constraints) { $1 }
            return copy
        }

        static func string(_ name: String, required: Bool = false, nullable: Bool = false, _ summary: String = "") -> Field {
            Field(name: name, kind: .string, required: required, nullable: nullable, summary: summary)
        }

        static func integer(_ name: String, _ range: ClosedRange<Int>, nullable: Bool = false, _ summary: String = "") -> Field {
            Field(name: name, kind: .integer(range), nullable: nullable, summary: summary)
        }

        static func number(_ name: String, _ range: ClosedRange<Double>, _ summary: String = "") -> Field {
            Field(name: name, kind: .number(range), summary: summary)
        }

        static func boolean(_ name: String, _ summary: String = "") -> Field {
            Field(name: name, kind: .boolean, summary: summary)
        }

        static func strings(_ name: String, _ summary: String = "") -> Field {
            Field(name: name, kind: .strings, summary: summary)
        }

        static func stringMap(_ name: String, _ summary: String = "") -> Field {
            Field(name: name, kind: .stringMap, summary: summary)
        }

        static func timestamp(_ name: String, nullable: Bool = false, _ summary: String = "") -> Field {
            Field(name: name, kind: .timestamp, nullable: nullable, summary: summary)
        }

        static func jwkSet(_ name: String, nullable: Bool = false, _ summary: String = "") -> Field {
            Field(name: name, kind: .jwkSet, nullable: nullable, summary: summary)
        }

        /// A list of objects, each checked against `schema` (problems name `name[index].field`).
        static func objects(_ name: String, _ schema: BodySchema, required: Bool = false, _ summary: String = "") -> Field {
            Field(name: name, kind: .objects(schema), required: required, summary: summary)
        }

        /// The same field, which may also be `null` (a change that removes the value).
        var orNull: Field {
            var copy = self
            copy.nullable = true
            return copy
        }
    }

    /// A field's JSON type.
    enum Kind: Sendable {
        case string
        case integer(ClosedRange<Int>)
        case number(ClosedRange<Double>)
        case boolean
        /// A list of strings.
        case strings
        /// An object whose values are strings.
        case stringMap
        /// An RFC 3339 timestamp string.
        case timestamp
        /// A JSON Web Key Set (`{"keys": [...]}`); its keys are checked by the service.
        case jwkSet
        /// A list of objects of one schema (unknown members refused in each).
        indirect case objects(BodySchema)
    }

    /// The field named `name`, if the schema has one.
    func field(_ name: String) -> Field? {
        fields.first { $0.name == name }
    }

    /// Checks every member of `object` against the schema; the first problem is thrown.
    func check(_ object: [String: JSONValue]) throws(APIError) {
        for name in object.keys.sorted() where field(name) == nil {
            let valid = fields.map(\.name).sorted().joined(separator: ", ")
            throw APIError.invalidField(name, fields.isEmpty ? "unknown field; this request takes no body" : "unknown field (valid fields: \(valid))")
        }
        for field in fields {
            guard let value = object[field.name] else {
                if field.required { throw APIError.invalidField(field.name, "is required") }
                continue
            }
            if value == .null {
                guard field.nullable || !field.required else { throw APIError.invalidField(field.name, "is required") }
                guard field.nullable else { throw APIError.invalidField(field.name, "must not be null") }
                continue
            }
            try field.kind.check(value, field: field.name)
        }
    }
}

extension BodySchema.Kind {
    func check(_ value: JSONValue, field: String) throws(APIError) {
        switch (self, value) {
        case (.string, .string), (.boolean, .bool):
            return
        case (.timestamp, .string(let text)):
            guard RFC3339.parse(text) != nil else {
                throw APIError.invalidField(field, "must be an RFC 3339 timestamp such as 2030-01-31T12:00:00Z")
            }
        case (.integer(let range), _):
            do {
                _ = try WholeNumber.read(value, in: range)
            } catch {
                throw APIError.invalidField(field, error.description)
            }
        case (.number(let range), .int(let number)) where range.contains(Double(number)):
            return
        case (.number(let range), .double(let number)) where range.contains(number):
            return
        case (.number(let range), .int), (.number(let range), .double):
            throw APIError.invalidField(field, "must be a number between \(Self.format(range.lowerBound)) and \(Self.format(range.upperBound))")
        case (.strings, .array(let items)) where items.allSatisfy({ $0.stringValue != nil }):
            return
        case (.stringMap, .object(let members)) where members.values.allSatisfy({ $0.stringValue != nil }):
            return
        case (.jwkSet, .object(let members)) where members["keys"]?.arrayValue != nil:
            return
        case (.objects(let schema), .array(let items)):
            for (index, item) in items.enumerated() {
                guard let object = item.objectValue else { throw APIError.invalidField("\(field)[\(index)]", "must be an object") }
                do {
                    try schema.check(object)
                } catch {
                    let inner = error.field ?? ""
                    let message = error.message.hasPrefix(inner + ": ") ? String(error.message.dropFirst(inner.count + 2)) : error.message
                    throw APIError.invalidField("\(field)[\(index)].\(inner)", message)
                }
            }
        default:
            throw APIError.invalidField(field, "must be \(typeDescription)")
        }
    }

    var typeDescription: String {
        switch self {
        case .string: return "a string"
        case .integer: return "a whole number"
        case .number: return "a number"
        case .boolean: return "true or false"
        case .strings: return "a list of strings"
        case .stringMap: return "an object whose values are strings"
        case .timestamp: return "an RFC 3339 timestamp string"
        case .jwkSet: return "a JWK Set: {\"keys\": [...]}"
        case .objects: return "a list of objects"
        }
    }

    private static func format(_ bound: Double) -> String {
        bound == bound.rounded() && abs(bound) < 1e15 ? String(Int(bound)) : "\(bound)"
    }
}
