import Foundation
@testable import JSONStorage
import MachineAuthCore
import MachineAuthTesting
import Testing

@Suite("JSON audit trail segments")
struct AuditSegmentTests {
    static let base = Date(timeIntervalSince1970: 1_800_000_000)

    static func record(_ minute: Int) -> AuditRecord {
        AuditRecord(id: "r\(minute)", time: base.addingTimeInterval(Double(minute) * 60), action: "token.issued", actorType: "agent",
                    actorID: "a", targetType: nil, targetID: nil, agentID: "a", organizationID: nil, outcome: "success",
                    ipAddress: nil, userAgent: nil, requestID: nil, details: [:])
    }

    @Test("a full segment is sealed; retention drops whole sealed segments and rewrites only the one it cuts")
    func retention() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let log = AuditLogFile(storePath: directory.file("store.json"), segmentBytes: 1024)
        for minute in 0..<40 { try log.append([Self.record(minute)]) }
        let sealed = log.sealed.existing()
        #expect(sealed.count >= 4, "about 300 bytes a record, 1 KiB a segment")
        #expect(try log.readAll().map(\.id) == (0..<40).map { "r\($0)" }, "oldest first across segments")
        let untouched = try sealed.suffix(2).map { try Data(contentsOf: URL(fileURLWithPath: $0.path)) }

        #expect(try log.removeRecords(before: Self.base.addingTimeInterval(10 * 60)) == 10)
        #expect(try log.readAll().map(\.id) == (10..<40).map { "r\($0)" })
        #expect(log.sealed.existing().count < sealed.count, "expired segments were deleted")
        #expect(try sealed.suffix(2).map { try Data(contentsOf: URL(fileURLWithPath: $0.path)) } == untouched, "later segments were not rewritten")
        #expect(try log.removeRecords(before: Self.base.addingTimeInterval(10 * 60)) == 0)
        #expect(try log.removeRecords(before: Self.base.addingTimeInterval(3600)) == 30)
        #expect(try log.readAll().isEmpty && log.sealed.existing().isEmpty)
        try log.append([Self.record(99)])
        #expect(try log.readAll().map(\.id) == ["r99"])
    }
}
