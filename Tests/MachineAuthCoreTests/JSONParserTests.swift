import Foundation
import MachineAuthCore
import Testing

@Suite("JSON parsing")
struct JSONParserTests {
    static let cases: [(String, JSONValue)] = [
        (#"{"a":1,"b":[true,false,null],"c":"x"}"#, ["a": 1, "b": [true, false, .null], "c": "x"]),
        (#"  [ -12 , 3.5 , 1e3 ]  "#, [-12, .double(3.5), .double(1000)]),
        (#""esc \"q\" \\ \/ \n \t \u00e9 \ud83d\ude00""#, .string("esc \"q\" \\ / \n \t é 😀")),
        (#"{}"#, [:]), (#"[]"#, []), ("9223372036854775807", .int(Int.max)),
    ]

    @Test("values", arguments: cases)
    func values(text: String, expected: JSONValue) throws {
        #expect(try JSONValue.parse(Data(text.utf8)) == expected)
    }

    @Test("malformed input is rejected", arguments: [
        "", "{", "[1,]", "{\"a\" 1}", "tru", "\"unterminated", "\"bad \\x escape\"", "01x", "-", "[1] 2", "\"\\ud800\"", "{\"a\":1,}",
        String(repeating: "[", count: 100) + String(repeating: "]", count: 100), "\"tab\there\"",
    ])
    func malformed(text: String) {
        #expect(throws: (any Error).self) { try JSONValue.parse(Data(text.utf8)) }
    }

    @Test("round trip through the serializer")
    func roundTrip() throws {
        let value: JSONValue = ["z": ["nested": [1, 2, ["deep": "é\u{01}"]]], "a": .double(0.25), "n": .null]
        #expect(try JSONValue.parse(Data(value.jsonText.utf8)) == value)
    }

    @Test("serialized text is compact, sorted and escaped")
    func serialization() {
        let value: JSONValue = ["b": "q\"\\\n\u{1F}é", "a": [1, .double(2.5), .null, true], "c": [:]]
        #expect(value.jsonText == #"{"a":[1,2.5,null,true],"b":"q\"\\\n\u001fé","c":{}}"#)
    }

    @Test("audit lines match the generic serializer and decode back", arguments: [nil, "curl/8 \"quoted\"\n"])
    func auditLines(userAgent: String?) throws {
        let record = AuditRecord(
            id: "evt_1", time: Date(timeIntervalSince1970: 1_800_000_000.5), action: "token.issued", actorType: "agent", actorID: "a1",
            targetType: "token", targetID: nil, agentID: "a1", organizationID: nil, outcome: "success", ipAddress: "127.0.0.1",
            userAgent: userAgent, requestID: "r", details: ["scope": "read", "n": 2])
        func text(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
        let generic = JSONValue.object([
            "id": "evt_1", "time": .string(TimestampFormat.string(record.time)), "action": "token.issued", "actor_type": "agent",
            "actor_id": "a1", "target_type": "token", "target_id": .null, "agent_id": "a1", "organization_id": .null, "outcome": "success",
            "ip_address": "127.0.0.1", "user_agent": text(userAgent), "request_id": "r", "details": ["scope": "read", "n": 2],
        ]).jsonText
        #expect(record.jsonLine == generic)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom {
            try Date($0.singleValueContainer().decode(String.self), strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
        }
        #expect(try decoder.decode(AuditRecord.self, from: Data(record.jsonLine.utf8)) == record)
    }
}

@Suite("Timestamps")
struct TimestampFormatTests {
    @Test("match Foundation's ISO 8601 with milliseconds", arguments: [0.0, 1.5, 951_782_400.25, 1_795_370_572.999, -86_400.5, 4_102_444_800.5])
    func matches(seconds: Double) {
        let date = Date(timeIntervalSince1970: seconds)
        #expect(TimestampFormat.string(date) == date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
        #expect(TimestampFormat.string(date, milliseconds: false) == date.formatted(Date.ISO8601FormatStyle()))
    }
}
