import MachineAuthCore
import MachineAuthTesting
import Testing

@Suite("Config decoding")
struct ConfigDecoderTests {
    func stage(_ body: String) -> [ConfigDiagnostic] {
        ConfigFixtures.problems("enrichers:\n  - type: sample\n" + body, registry: .withSample)
    }

    @Test("a valid stage config decodes with every field")
    func valid() throws {
        let pipeline = try ConfigFixtures.load(
            """
            enrichers:
              - type: sample
                count: 3
                enabled: yes
                mode: SAFE
                timeout: 15m
                names: [a, b]
                nested: { depth: 2, label: x }
                claims: { env: prod }
            """, registry: .withSample
        ).get()
        #expect(pipeline.enrichers.map(\.type) == ["sample"])
    }

    @Test("a wrong scalar type names file, line, column and key path")
    func wrongType() {
        let problems = stage("    count: lots\n")
        #expect(problems.count == 1)
        let problem = problems[0]
        #expect(problem.location == SourceLocation(file: "test.yaml", line: 3, column: 12))
        #expect(problem.keyPath == "enrichers[0].count")
        #expect(problem.message.contains("expected a whole number"))
    }

    @Test("a missing required key is reported")
    func missingKey() {
        let problems = stage("    enabled: true\n")
        #expect(problems.map(\.message) == ["missing required key \"count\""])
    }

    @Test("unknown keys are reported with a suggestion and the valid keys")
    func unknownKey() {
        let problems = stage("    count: 1\n    cuont: 2\n")
        #expect(problems.count == 1)
        #expect(problems[0].keyPath == "enrichers[0].cuont")
        #expect(problems[0].message.contains("did you mean \"count\""))
        #expect(problems[0].message.contains("valid keys:"))
        #expect(problems[0].location.line == 4)
    }

    @Test("unknown keys inside nested mappings are found too")
    func nestedUnknownKey() {
        let problems = stage("    count: 1\n    nested: { depth: 1, width: 2 }\n")
        #expect(problems.map(\.keyPath) == ["enrichers[0].nested.width"])
    }

    @Test("a bad choice lists the valid ones")
    func badChoice() {
        let problems = stage("    count: 1\n    mode: turbo\n")
        #expect(problems.count == 1)
        #expect(problems[0].message == "invalid value \"turbo\"; valid choices: fast, safe")
    }

    @Test("a bad duration explains the format")
    func badDuration() {
        let problems = stage("    count: 1\n    timeout: soon\n")
        #expect(problems.first?.message.contains("invalid duration") == true)
    }

    @Test("every error in a stage is reported at once")
    func allErrorsAtOnce() {
        let problems = stage("    count: x\n    enabled: maybe\n    mode: turbo\n    names: notalist\n    bogus: 1\n")
        #expect(problems.count == 5)
        #expect(Set(problems.map(\.keyPath)) == [
            "enrichers[0].count", "enrichers[0].enabled", "enrichers[0].mode", "enrichers[0].names", "enrichers[0].bogus",
        ])
    }

    @Test("validation problems of a stage carry the key path")
    func validation() {
        let problems = stage("    count: 500\n")
        #expect(problems.map(\.description) == ["test.yaml:3:12: enrichers[0].count: must be at most 100"])
    }

    @Test("a mapping where a scalar belongs, and a scalar where a mapping belongs")
    func wrongShapes() {
        let problems = stage("    count: { a: 1 }\n    nested: 5\n")
        #expect(problems.count == 2)
        #expect(problems.contains { $0.keyPath == "enrichers[0].nested" && $0.message.contains("expected a mapping") })
    }

    @Test("durations", arguments: [("3600", 3600), ("90s", 90), ("15m", 900), ("2h", 7200), ("7d", 604_800)])
    func durations(text: String, seconds: Int) throws {
        #expect(try ConfigDuration.parse(configText: text).seconds == seconds)
    }
}
