import Foundation
import Logging
import MachineAuthCore
import Synchronization
import Testing

@Suite("Text log lines")
struct TextLineLogHandlerTests {
    final class Lines: Sendable {
        let stored = Mutex<[String]>([])
        var all: [String] { stored.withLock { $0 } }
    }

    @Test("one line per entry: time, level, logger, sorted metadata (the call's wins), message; the level filters")
    func lines() throws {
        let lines = Lines()
        var logger = Logger(label: "http") { label in
            LineLogHandler(label: label, level: .info) { bytes in lines.stored.withLock { $0.append(String(decoding: bytes, as: UTF8.self)) } }
        }
        logger[metadataKey: "request_id"] = "r1"
        logger[metadataKey: "route"] = "/old"
        logger.debug("hidden")
        logger.info("GET /x 200", metadata: ["status": .stringConvertible(200), "route": "/x"])
        #expect(lines.all.count == 1)
        let line = try #require(lines.all.first)
        let parts = line.split(separator: " ", maxSplits: 3).map(String.init)
        #expect(RFC3339.parse(parts[0]) != nil)
        #expect(parts[1] == "info" && parts[2] == "http:")
        #expect(parts[3] == "request_id=r1 route=/x status=200 GET /x 200\n")
    }

    @Test("control characters in messages and values are escaped, so a logged value cannot start a forged line")
    func escaping() throws {
        let lines = Lines()
        let logger = Logger(label: "t") { label in
            LineLogHandler(label: label, level: .info) { bytes in lines.stored.withLock { $0.append(String(decoding: bytes, as: UTF8.self)) } }
        }
        logger.warning("a\nb\r\tc\u{1B}[31m\u{85}", metadata: ["agent": "x\n2026-01-01T00:00:00Z error forged"])
        let line = try #require(lines.all.first)
        #expect(line.filter { $0 == "\n" }.count == 1 && line.hasSuffix("\n"))
        #expect(line.contains(#"agent=x\n2026-01-01T00:00:00Z error forged"#))
        #expect(line.hasSuffix(#"a\nb\r\tc\u{1b}[31m\u{85}"# + "\n"))
    }
}
