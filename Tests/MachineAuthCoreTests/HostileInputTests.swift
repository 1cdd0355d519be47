import Foundation
import MachineAuthCore
import MachineAuthTesting
import Testing

/// The core's readers of untrusted input: numbers, dates, addresses, forwarded requests, YAML.
@Suite("Hostile input")
struct HostileInputTests {
    @Test("whole numbers: inside the range or a clear error, never a trap", arguments: [
        ("42", 0...100, 42), ("0", 0...100, 0), ("-5", -10...10, -5), ("007", 0...10, 7),
    ])
    func wholeNumbers(text: String, range: ClosedRange<Int>, expected: Int) throws {
        #expect(try WholeNumber.parse(text, in: range) == expected)
    }

    @Test("out of range, overflowing and malformed numbers are refused", arguments: [
        "101", "-1", "9223372036854775807", "9223372036854775808", "99999999999999999999999999999", "1e3", "1.5", "+1", " 1", "",
        "0x10", "١٢", String(repeating: "9", count: 5000),
    ])
    func badNumbers(text: String) {
        #expect(throws: NumberRangeError.self) { try WholeNumber.parse(text, in: 0...100) }
    }

    @Test("JSON numbers", arguments: [
        (JSONValue.int(5), true), (.double(5.0), true), (.double(5.5), false), (.double(1e20), false), (.double(-1e300), false),
        (.double(.infinity), false), (.int(Int.max), false), (.int(Int.min), false), (.string("5"), false), (.bool(true), false),
    ])
    func jsonNumbers(value: JSONValue, accepted: Bool) {
        #expect((try? WholeNumber.read(value, in: 0...10)) == (accepted ? 5 : nil))
    }

    @Test("pages clamp, so an offset never overflows")
    func pages() {
        let page = PageRequest(page: Int.max, limit: Int.max)
        #expect(page.page == 1_000_000 && page.limit == 500 && page.offset == 999_999 * 500)
        #expect(PageRequest(page: Int.min, limit: Int.min).offset == 0)
    }

    @Test("timestamps of any date are written, clamped to years 1–9999", arguments: [
        (1e20, "9999-12-31T23:59:59.999Z"), (-1e20, "0001-01-01T00:00:00.000Z"), (Double.nan, "1970-01-01T00:00:00.000Z"),
        (Double.infinity, "9999-12-31T23:59:59.999Z"), (0, "1970-01-01T00:00:00.000Z"),
    ])
    func timestamps(seconds: Double, expected: String) {
        #expect(TimestampFormat.string(Date(timeIntervalSince1970: seconds)) == expected)
    }

    @Test("RFC 3339 input", arguments: [
        ("2030-01-31T12:00:00Z", true), ("2030-01-31T12:00:00.123Z", true), ("2030-01-31T12:00:00+02:00", true),
        ("99999-01-01T00:00:00Z", false), ("tomorrow", false), (String(repeating: "2", count: 100), false),
    ])
    func dates(text: String, valid: Bool) {
        #expect((RFC3339.parse(text) != nil) == valid)
    }

    @Test("webhook targets: every non-public address and every IPv6 form carrying one is internal", arguments: [
        "127.0.0.1", "10.1.2.3", "172.31.0.1", "192.168.1.1", "100.64.0.1", "169.254.169.254", "0.0.0.0", "255.255.255.255",
        "224.0.0.1", "192.0.2.1", "198.18.0.1", "::", "::1", "[::1]", "fe80::1", "fc00::1", "fd12::1", "ff02::1", "fec0::1",
        "::ffff:127.0.0.1", "::ffff:7f00:1", "[::ffff:127.0.0.1]", "::127.0.0.1", "64:ff9b::7f00:1", "64:ff9b::10.0.0.1",
        "64:ff9b:1::1", "2002:7f00:1::1", "2002:c0a8:101::1", "2001:db8::1", "2001::1", "100::1", "::ffff:0:7f00:1",
        "::1%1", "[::ffff:127.0.0.1%251]", "[::1%251]", "fe80::1%eth0",
    ])
    func internalAddresses(address: String) {
        #expect(IPAddressRange.isInternal(address), "\(address)")
    }

    @Test("public addresses stay allowed", arguments: [
        "93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "::ffff:93.184.216.34", "64:ff9b::5db8:d822", "2002:5db8:d822::1",
    ])
    func publicAddresses(address: String) {
        #expect(!IPAddressRange.isInternal(address), "\(address)")
    }

    @Test("a YAML alias bomb is a located error, not gigabytes")
    func aliasBomb() {
        let letters = ["a", "b", "c", "d", "e", "f", "g", "h", "i"]
        var yaml = "provision:\n  organizations: []\nbomb:\n  a: &a [x, x, x, x, x, x, x, x, x]\n"
        for (previous, name) in zip(letters, letters.dropFirst()) {
            yaml += "  \(name): &\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ", ") + "]\n"
        }
        let problems = ConfigFixtures.problems(yaml, registry: ConfigFixtures.registry())
        #expect(problems.count == 1 && problems[0].message.contains("expands to more than 100000 values"), "\(problems)")
        let fewAliases = "x: &x [1, 2]\ny: *x\n"
        #expect(!ConfigFixtures.problems(fewAliases, registry: ConfigFixtures.registry()).contains { $0.message.contains("expands") })
    }

    @Test("whole numbers and numbers in YAML are bounded before any setting uses them", arguments: [
        "admin:\n  max_failed_logins: 9223372036854775807\n", "security:\n  max_failed_authentications: 9223372036854775807\n",
        "admin:\n  max_failed_logins: 0\n", "server:\n  port: 99999999999999999999\n",
        "notifiers:\n  - type: webhooks\n    max_retries: 9223372036854775807\n",
        "provision:\n  webhooks:\n    - name: w\n      url: https://example.com/h\n      max_retries: 9223372036854775807\n",
        "provision:\n  webhooks:\n    - name: w\n      url: https://example.com/h\n      retry_backoff_base: .inf\n",
    ])
    func yamlNumbers(yaml: String) {
        #expect(!ConfigFixtures.problems(yaml, registry: ConfigFixtures.registry()).isEmpty, "\(yaml)")
    }

    @Test("durations in YAML are bounded", arguments: ["99999999999999999999d", "9223372036854775807s", "3651d", "-1s"])
    func durations(text: String) {
        #expect(throws: ConfigValueError.self) { try ConfigDuration.parse(configText: text) }
    }
}
