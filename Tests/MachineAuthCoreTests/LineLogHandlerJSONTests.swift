import Foundation
import Logging
import MachineAuthCore
import Synchronization
import Testing

@Suite("JSON log lines")
struct JSONLineLogHandlerTests {
    final class Lines: Sendable {
        let stored = Mutex<[String]>([])
        var all: [String] { stored.withLock { $0 } }
    }

    @Test("each entry is one line of JSON: numbers stay numbers, call metadata wins over the logger's, the level filters")
    func lines() throws {
        let lines = Lines()
        var logger = Logger(label: "test") { label in
            LineLogHandler(label: label, level: .info, format: .json) { bytes in lines.stored.withLock { $0.append(String(decoding: bytes, as: UTF8.self)) } }
        }
        logger[metadataKey: "request_id"] = "r1"
        logger[metadataKey: "route"] = "/old"
        logger.debug("hidden")
        logger.info("GET /x 200 \"quoted\"\nnext", metadata: ["status": .stringConvertible(200), "ms": .stringConvertible(1.5), "route": "/x"])
        #expect(lines.all.count == 1)
        let line = try #require(lines.all.first)
        #expect(line.hasSuffix("}\n") && line.dropLast().contains("\n") == false)
        let object = try #require(try JSONValue.parse(Data(line.utf8)).objectValue)
        #expect(object["message"] == .string("GET /x 200 \"quoted\"\nnext"))
        #expect(object["status"] == 200 && object["ms"] == .double(1.5) && object["route"] == "/x" && object["request_id"] == "r1")
        #expect(object["level"] == "info" && object["logger"] == "test")
        #expect(RFC3339.parse(try #require(object["ts"]?.stringValue)) != nil)
    }
}
