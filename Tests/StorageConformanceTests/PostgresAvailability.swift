import MachineAuthTesting
import Testing

/// The conformance suites run on PostgreSQL only when `MACHINEAUTH_TEST_POSTGRES_URL` names a
/// server (`scripts/test` starts one). Without it this test is reported as skipped — never a
/// silent pass of a suite that ran on the JSON store alone.
@Suite("Storage conformance: PostgreSQL")
struct PostgresAvailability {
    @Test("the PostgreSQL driver is among the drivers under test",
          .enabled(if: TestDatabases.postgresURL != nil, "MACHINEAUTH_TEST_POSTGRES_URL is not set: PostgreSQL conformance is SKIPPED"))
    func configured() {
        #expect(TestDatabases.drivers == ["memory", "json", "postgres"])
    }
}
