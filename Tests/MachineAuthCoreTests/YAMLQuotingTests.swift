import Foundation
@testable import MachineAuthCore
import Testing

@Suite("YAML quoting")
struct YAMLQuotingTests {
    @Test("any string survives a round trip through the YAML the exporter writes, controls included",
          arguments: ["plain", "with \"quotes\" and \\back\\slashes", "C1 control \u{86} and DEL \u{7F}", "tab\tnew\nline", "0", "true", "- dash", "🙂 ünïcode"])
    func roundTrip(text: String) throws {
        let quoted = ConfigRenderer.quote(text)
        #expect(!quoted.unicodeScalars.contains { (0x80...0x9F).contains($0.value) || $0.value == 0x7F }, "no raw control in \(quoted)")
        let node = try YAMLComposer.compose("value: \(quoted)\n", file: "t.yaml")
        #expect(node["value"]?.scalar == text)
    }
}
