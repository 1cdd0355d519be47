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

    @Test("strings a YAML 1.1 reader (PyYAML) would take for numbers, dates, booleans or null are quoted",
          arguments: ["._", ".5", "-._", "1_000", "1:30", "2026-12-01", ".inf", ".NaN", "0x1F", "0o17", "+1", "~", "Null", "yes", "On", "Y", "=", "<<", "-"])
    func yaml11Words(text: String) throws {
        #expect(ConfigRenderer.quote(text).hasPrefix("\""), "\(text) left plain")
        let node = try YAMLComposer.compose("value: \(ConfigRenderer.quote(text))\n", file: "t.yaml")
        #expect(node["value"]?.scalar == text)
    }

    @Test("mapping keys are quoted like values: controls, colons, spaces and YAML words read back as the same key",
          arguments: ["plain_key", "®N\u{9D}#a}", "a: b", "ends:", ":starts", "with space", "#comment", "true", "- dash", "{x}", "\"q\""])
    func keyRoundTrip(key: String) throws {
        let here = SourceLocation(file: "t", line: 1, column: 1)
        let inner = ConfigNode(.mapping([ConfigNode.Entry(key: key, keyLocation: here, value: ConfigNode(.scalar("v", quoted: true), at: here))]), at: here)
        let nested = ConfigNode(.mapping([ConfigNode.Entry(key: key, keyLocation: here, value: inner)]), at: here)
        let yaml = ConfigRenderer.render(nested, masking: false)
        #expect(!yaml.unicodeScalars.contains { (0x80...0x9F).contains($0.value) }, "no raw control in \(yaml)")
        let node = try YAMLComposer.compose(yaml, file: "t.yaml")
        #expect(node[key]?[key]?.scalar == "v", "\(yaml)")
    }
}
