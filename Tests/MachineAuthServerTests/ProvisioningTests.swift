import Foundation
import Hummingbird
import Logging
import MachineAuthCore
import MachineAuthServer
import MachineAuthStages
import MachineAuthServerTesting
import MachineAuthTesting
import Testing

@Suite("Declarative provisioning", .serialized)
struct ProvisioningTests {
    static let base = """
        organizations:
          - slug: acme
            name: Acme Corp
        teams:
          - organization: acme
            name: data
        agents:
          - name: reporter
            organization: acme
            team: data
            scopes: [read]
            metadata: { tier: gold }
            client_secret_env: REPORTER_SECRET
          - name: loader
            organization: acme
            scopes: [write]
            client_secret_file: loader.secret
        api_keys:
          - organization: acme
            name: ci
        webhooks:
          - name: ops
            organization: acme
            url: https://hooks.example.com/in
            events: ["agent.*"]
        """
    static let reporterSecret = "cs_reporter-secret-0123456789abcdefghijklmnop"
    static let loaderSecret = "cs_loader-secret-0123456789abcdefghijklmnopqr"

    func document(_ yaml: String, in directory: TemporaryDirectory, environment: [String: String] = ["REPORTER_SECRET": reporterSecret]) throws -> ProvisionDocument {
        _ = try directory.write("loader.secret", Self.loaderSecret + "\n")
        let file = try directory.write("provision.yaml", yaml)
        return try PipelineLoader.loadProvision(try ConfigSource.file(file), environment: ConfigEnvironment(environment))
    }

    func actions(_ report: ProvisionReport) -> [String] {
        report.lines.map { "\($0.action.rawValue) \($0.kind) \($0.name)" + ($0.details.isEmpty ? "" : " " + $0.details.joined(separator: ",")) }
    }

    @Test("apply to an empty store, re-apply without changes, edit and apply only the diff; declared agents get tokens")
    func lifecycle() async throws {
        try await Harness.with { h in
            let directory = try TemporaryDirectory()
            defer { directory.remove() }
            let provisioner = h.runtime.services.provisioner
            let first = try await provisioner.apply(try document(Self.base, in: directory), dryRun: false)
            #expect(first.lines.allSatisfy { $0.action == .create } && first.lines.count == 6)
            #expect(Set(first.secrets.map(\.kind)) == ["api_key", "webhook"], "agents with a declared secret get none generated")
            let again = try await provisioner.apply(try document(Self.base, in: directory), dryRun: false)
            #expect(again.changes == 0 && again.lines.allSatisfy { $0.action == .unchanged } && again.secrets.isEmpty)

            let agents = try await h.runtime.storage.listAgents(AgentQuery()).items
            let reporter = try #require(agents.first { $0.name == "reporter" })
            let loader = try #require(agents.first { $0.name == "loader" })
            #expect(reporter.managedBy == "provision" && reporter.teamID != nil)
            for (agent, secret) in [(reporter, Self.reporterSecret), (loader, Self.loaderSecret)] {
                let token = try await h.token(Harness.Credentials(id: agent.id, clientID: agent.clientID, secret: secret))
                #expect(token.status == .ok, "\(agent.name) obtains a token with its declared secret")
            }
            let claims = try JWS.parse(try await h.token(Harness.Credentials(id: "", clientID: reporter.clientID, secret: Self.reporterSecret)).string("access_token")).claims
            #expect(claims["org_slug"] == "acme")

            let edited = Self.base.replacingOccurrences(of: "    scopes: [read]", with: "    scopes: [read, export]")
                .replacingOccurrences(of: "name: Acme Corp", with: "name: Acme Inc")
            let plan = try await provisioner.apply(try document(edited, in: directory), dryRun: true)
            #expect(actions(plan).filter { !$0.hasPrefix("unchanged") } == ["update organization acme name", "update agent acme/reporter scopes"])
            #expect(try await h.runtime.storage.organization(slug: "acme")?.name == "Acme Corp", "a dry run changes nothing")
            let applied = try await provisioner.apply(try document(edited, in: directory), dryRun: false)
            #expect(applied.changes == 2)
            #expect(try await h.runtime.storage.agent(clientID: reporter.clientID)?.scopes == ["read", "export"])

            let rotated = try await provisioner.apply(
                try document(edited, in: directory, environment: ["REPORTER_SECRET": Self.reporterSecret + "-v2"]), dryRun: false)
            #expect(actions(rotated).contains("update agent acme/reporter secret"))
            let old = try await h.token(Harness.Credentials(id: "", clientID: reporter.clientID, secret: Self.reporterSecret))
            #expect(old.string("error") == "invalid_client")
        }
    }

    @Test("prune deletes only what provisioning created and no longer declares, and only when asked")
    func prune() async throws {
        try await Harness.with { h in
            let directory = try TemporaryDirectory()
            defer { directory.remove() }
            let provisioner = h.runtime.services.provisioner
            _ = try await provisioner.apply(try document(Self.base, in: directory), dryRun: false)
            let admin = try await h.adminToken()
            let organizationID = try await h.runtime.storage.organization(slug: "acme")?.id ?? ""
            let manual = try await h.createAgent(admin, name: "made-by-hand", extra: ["organization_id": .string(organizationID)])
            let reduced = Self.base.components(separatedBy: "  - name: loader")[0] + "api_keys: []\n"
            let withoutPrune = try await provisioner.apply(try document(reduced, in: directory), dryRun: false)
            #expect(!withoutPrune.lines.contains { $0.action == .delete }, "nothing is deleted without prune: true")
            let pruned = try await provisioner.apply(try document("prune: true\n" + reduced, in: directory), dryRun: false)
            #expect(Set(actions(pruned).filter { $0.hasPrefix("delete") }) == ["delete agent acme/loader", "delete api_key acme/ci", "delete webhook acme/ops"])
            #expect(try await h.runtime.storage.agent(id: manual.id) != nil, "objects made through the API are never touched")
            let empty = try await provisioner.apply(try document("prune: true\norganizations: []\n", in: directory), dryRun: false)
            #expect(actions(empty).contains("keep organization acme still holds objects created through the API"))
            #expect(try await h.runtime.storage.organization(slug: "acme") != nil)
        }
    }

    @Test("export → apply round trip plans no change")
    func roundTrip() async throws {
        try await Harness.with { h in
            let directory = try TemporaryDirectory()
            defer { directory.remove() }
            _ = try await h.runtime.services.provisioner.apply(try document(Self.base, in: directory), dryRun: false)
            let admin = try await h.adminToken()
            // Metadata keys are the caller's text: a C1 control, a colon and a YAML word must come back as themselves.
            let metadata: JSONValue = ["®N\u{9D}#a}": "control", "a: b": "colon", "true": "word"]
            _ = try await h.createAgent(admin, name: "api-made", extra: [
                "description": "by hand", "expires_in": 86400, "tags": ["x"], "metadata": metadata, "dpop_bound_access_tokens": true,
                "tls_client_certificate_bound_access_tokens": true,
            ])
            let exported = try await ProvisionExporter(storage: h.runtime.storage).export()
            #expect(exported.contains("dpop_bound_access_tokens: \"true\""), "\(exported)")  // read back as true, or the dry run below would change it
            #expect(exported.contains("tls_client_certificate_bound_access_tokens: \"true\""), "\(exported)")
            #expect(!exported.unicodeScalars.contains { (0x80...0x9F).contains($0.value) }, "the export is valid YAML: no raw C1 control")
            let file = try directory.write("exported.yaml", exported)
            let reloaded = try PipelineLoader.loadProvision(try ConfigSource.file(file), environment: ConfigEnvironment([:]))
            let report = try await h.runtime.services.provisioner.apply(reloaded, dryRun: true)
            #expect(report.changes == 0, "\(report.text)")
            #expect(report.lines.count == 7)
        }
    }

    @Test("a private_key_jwt agent's method and keys round-trip through export and apply; a private key in the file is a located error")
    func signingAgent() async throws {
        try await Harness.with(RuntimeFixture.yaml(authenticators: ["client_secret", "private_key_jwt", "api_key"])) { h in
            let directory = try TemporaryDirectory()
            defer { directory.remove() }
            let admin = try await h.adminToken()
            // "1" as a kid must come back as the string "1", not a number.
            let key: JSONValue = ["kty": "OKP", "crv": "Ed25519", "kid": "1", "x": .string(Base64URL.encode([UInt8](repeating: 7, count: 32)))]
            let created = try await h.json(.post, "/api/agents", token: admin, ["name": "signer", "token_endpoint_auth_method": "private_key_jwt", "jwks": ["keys": [key]]])
            #expect(created.status == .created && created["client_secret"] == .null, "\(created.text)")
            let exported = try await ProvisionExporter(storage: h.runtime.storage).export()
            #expect(exported.contains("token_endpoint_auth_method: private_key_jwt"), "\(exported)")
            let file = try directory.write("exported.yaml", exported)
            let reloaded = try PipelineLoader.loadProvision(try ConfigSource.file(file), environment: ConfigEnvironment([:]))
            let report = try await h.runtime.services.provisioner.apply(reloaded, dryRun: true)
            #expect(report.changes == 0, "\(report.text)")
            let leaked = exported.replacingOccurrences(of: "kid: \"1\"", with: "kid: \"1\"\n          d: AAAA")
            let refusal = #expect(throws: ConfigError.self) {
                _ = try PipelineLoader.loadProvision(ConfigSource(name: "leak.yaml", text: leaked, dotEnvPath: nil), environment: ConfigEnvironment([:]))
            }
            #expect(refusal?.diagnostics.contains { $0.keyPath.hasSuffix(".jwks") && $0.message.contains("private member \"d\"") } == true, "\(String(describing: refusal))")
        }
    }

    @Test("certificate agents (tls_client_auth subject, self-signed x5c) round-trip through export and apply; a missing or malformed subject is a located error")
    func certificateAgents() async throws {
        let yaml = RuntimeFixture.yaml(authenticators: ["client_secret", "tls_client_auth", "api_key"])
            .replacingOccurrences(of: "  allowed_origins:", with: "  client_certificate_header: X-SSL-Client-Cert\n  allowed_origins:")
        try await Harness.with(yaml) { h in
            let directory = try TemporaryDirectory()
            defer { directory.remove() }
            let admin = try await h.adminToken()
            let pki = try await h.json(.post, "/api/agents", token: admin, [
                "name": "pki", "token_endpoint_auth_method": "tls_client_auth", "tls_client_auth_subject_dn": .string(CertificateFixtures.issuedSubjectDN),
            ])
            #expect(pki.status == .created, "\(pki.text)")
            let selfSigned = try await h.json(.post, "/api/agents", token: admin, [
                "name": "self-signed", "token_endpoint_auth_method": "self_signed_tls_client_auth", "jwks": CertificateFixtures.jwksWithA,
            ])
            #expect(selfSigned.status == .created, "\(selfSigned.text)")
            let exported = try await ProvisionExporter(storage: h.runtime.storage).export()
            #expect(exported.contains("token_endpoint_auth_method: tls_client_auth") && exported.contains("tls_client_auth_subject_dn:"), "\(exported)")
            #expect(exported.contains("x5c:"), "\(exported)")
            let file = try directory.write("exported.yaml", exported)
            let reloaded = try PipelineLoader.loadProvision(try ConfigSource.file(file), environment: ConfigEnvironment([:]))
            #expect(try await h.runtime.services.provisioner.apply(reloaded, dryRun: true).changes == 0)
            let changed = exported.replacingOccurrences(of: "tls_client_auth_subject_dn:", with: "tls_client_auth_san_dns: agent-a.example.com\n    x_dn:")
                .replacingOccurrences(of: "\n    x_dn:[^\n]*", with: "", options: .regularExpression)
            let applied = try await h.runtime.services.provisioner.apply(
                try PipelineLoader.loadProvision(ConfigSource(name: "changed.yaml", text: changed, dotEnvPath: nil), environment: ConfigEnvironment([:])),
                dryRun: false)
            #expect(actions(applied).contains { $0.contains("tls_client_auth") }, "\(applied.text)")
            let stored = try await h.runtime.storage.agent(clientID: pki.string("client_id"))
            #expect(stored?.tlsClientAuthSubject == TLSClientAuthSubject(kind: .sanDNS, value: "agent-a.example.com"))
            for (text, keyPath) in [
                (changed.replacingOccurrences(of: "    tls_client_auth_san_dns: agent-a.example.com\n", with: ""), "agents[0]"),
                (changed.replacingOccurrences(of: "tls_client_auth_san_dns: agent-a.example.com", with: "tls_client_auth_san_dns: \"a b\""),
                 "agents[0].tls_client_auth_san_dns"),
            ] {
                let refusal = #expect(throws: ConfigError.self) {
                    _ = try PipelineLoader.loadProvision(ConfigSource(name: "bad.yaml", text: text, dotEnvPath: nil), environment: ConfigEnvironment([:]))
                }
                #expect(refusal?.diagnostics.contains { $0.keyPath.hasSuffix(keyPath) && $0.location.line > 0 } == true, "\(String(describing: refusal))")
            }
        }
    }

    @Test("export → apply round-trips two agents that share a name")
    func sharedNames() async throws {
        try await Harness.with { h in
            let directory = try TemporaryDirectory()
            defer { directory.remove() }
            let admin = try await h.adminToken()
            let organization = try await h.json(.post, "/api/organizations", token: admin, ["name": "Acme", "slug": "acme"])
            let orgID = organization["organization"]?.objectValue?["id"]?.stringValue ?? ""
            for scopes in [["read"], ["write"]] {
                _ = try await h.createAgent(admin, name: "worker", scopes: scopes, extra: ["organization_id": .string(orgID)])
            }
            let exported = try await ProvisionExporter(storage: h.runtime.storage).export()
            let file = try directory.write("exported.yaml", exported)
            let reloaded = try PipelineLoader.loadProvision(try ConfigSource.file(file), environment: ConfigEnvironment([:]))
            let report = try await h.runtime.services.provisioner.apply(reloaded, dryRun: false)
            #expect(report.changes == 0 && report.lines.filter { $0.kind == "agent" }.count == 2, "\(report.text)")
        }
    }

    @Test("a file naming another organization's client_id never adopts that agent")
    func noAdoption() async throws {
        try await Harness.with { h in
            let directory = try TemporaryDirectory()
            defer { directory.remove() }
            let admin = try await h.adminToken()
            let other = try await h.json(.post, "/api/organizations", token: admin, ["name": "Other", "slug": "other"])
            let otherID = other["organization"]?.objectValue?["id"]?.stringValue ?? ""
            let victim = try await h.createAgent(admin, name: "victim", extra: ["organization_id": .string(otherID)])
            let yaml = """
                organizations:
                  - slug: acme
                    name: Acme
                agents:
                  - name: thief
                    organization: acme
                    client_id: \(victim.clientID)
                    scopes: [read]
                """
            await #expect(throws: ValidationError.self) { try await h.runtime.services.provisioner.apply(try document(yaml, in: directory), dryRun: false) }
            let stored = try await h.runtime.storage.agent(id: victim.id)
            #expect(stored?.organizationID == otherID && stored?.name == "victim", "the agent stays where it was")
            #expect(try await h.token(victim).status == .ok)
        }
    }

    @Test("errors name the file, line and object", arguments: [
        ("teams:\n  - organization: ghost\n    name: x\n", 2, "team x refers to unknown organization ghost"),
        ("organizations:\n  - slug: a\n    name: A\nagents:\n  - name: bot\n    organization: a\n    team: nope\n", 5, "agent bot refers to unknown team a/nope"),
        ("agents:\n  - name: bot\n    client_secret_env: MISSING_VAR\n", 2, "environment variable MISSING_VAR is not set"),
        ("agents:\n  - name: bot\n    client_secret_file: missing.secret\n", 2, "cannot read secret file"),
        ("agents:\n  - name: bot\n    client_secret_hash: plain\n", 2, "machineauth hash-secret"),
        ("organizations:\n  - slug: Bad Slug\n    name: x\n", 2, "not a lowercase DNS label"),
        ("organizations:\n  - slug: a\n    name: A\n  - slug: a\n    name: B\n", 4, "declared twice"),
        ("webhooks:\n  - name: w\n    url: ftp://x\n", 2, "http or https URL"),
        ("agents:\n  - name: bot\n    scopes: [read]\n    colour: blue\n", 4, "unknown key \"colour\""),
    ])
    func errors(yaml: String, line: Int, message: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = try directory.write("bad.yaml", yaml)
        do {
            _ = try PipelineLoader.loadProvision(try ConfigSource.file(file), environment: ConfigEnvironment([:]))
            Issue.record("expected an error")
        } catch {
            let problem = error.diagnostics.first { $0.message.contains(message) }
            #expect(problem != nil, "\(error)")
            #expect(problem?.location.line == line && problem?.location.file == file, "\(error)")
        }
    }

    @Test("the pipeline's provision section (with include) is checked by config check and applied at start-up")
    func startup() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let yaml = RuntimeFixture.yaml().replacingOccurrences(of: "  - type: recording\n", with: "") + "\n" + """
            provision:
              include: [tenants/*.yaml]
              agents:
                - name: boot
                  organization: acme
                  client_secret_hash: \(SecretHasher.unkeyedHash(Self.reporterSecret))
            """
        try FileManager.default.createDirectory(atPath: directory.file("tenants"), withIntermediateDirectories: true)
        _ = try directory.write("tenants/acme.yaml", "organizations:\n  - slug: acme\n    name: Acme\n")
        let config = try directory.write("machineauth.yaml", yaml + "\nstorage: { url: \"json:\(directory.file("store.json"))\" }\n")
        let pipeline = try PipelineLoader(registry: .standard).load(try ConfigSource.file(config), environment: ConfigEnvironment([:]))
        #expect(pipeline.provision?.organizations.map(\.value.slug) == ["acme"])
        let runtime = try await MachineAuthRuntime.start(pipeline, logger: .init(label: "t"))
        try await runtime.applyProvision()
        let agent = try #require(try await runtime.storage.listAgents(AgentQuery(search: "boot")).items.first)
        #expect(runtime.services.hasher.verify(Self.reporterSecret, against: agent.secrets[0].hash), "a pre-computed hash works")
        await runtime.stop()
    }

    @Test("concurrent applies on several PostgreSQL instances converge", .enabled(if: TestDatabases.postgresURL != nil))
    func concurrentApplies() async throws {
        let url = try await TestDatabases.freshPostgresDatabase()
        let yaml = RuntimeFixture.yaml() + "\nstorage: { url: \"\(url)\" }\n"
        let one = try await RuntimeFixture.start(yaml)
        let two = try await RuntimeFixture.start(yaml)
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let declared = try document(Self.base, in: directory)
        async let first = one.runtime.services.provisioner.apply(declared, dryRun: false)
        async let second = two.runtime.services.provisioner.apply(declared, dryRun: false)
        let reports = try await [first, second]
        #expect(reports.map { $0.lines.filter { $0.action == .create }.count }.sorted() == [0, 6], "one creates, the other finds it done")
        #expect(try await one.runtime.storage.listAgents(AgentQuery()).total == 2)
        await one.stop()
        await two.stop()
    }
}
