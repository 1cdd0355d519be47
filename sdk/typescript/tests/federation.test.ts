/**
 * Workload identity federation against the real server trusting a loopback issuer this test serves
 * (OIDC discovery, a JWK Set, GitHub's ID-token endpoint); its tokens are signed with node:crypto.
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { type IncomingMessage, type ServerResponse, createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { BadRequestError, ConfigurationError, MachineAuthClient, githubActionsToken } from "../dist/index.js";
import { CountingFetch } from "./support/counting.js";
import { claimsOf, rejection, sleep } from "./support/fixtures.js";
import { signJWT, testKey } from "./support/jose.js";
import { REPO, Server } from "./support/server.js";

const GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer";
const RUNNER = "runner-request-token";
const key = testKey("RS256");
const now = () => Math.floor(Date.now() / 1000);

class Issuer {
  base = "";
  audiences: string[] = [];
  private readonly http = createServer((request: IncomingMessage, response: ServerResponse) => this.answer(request, response));

  async start(): Promise<void> {
    await new Promise<void>((done) => this.http.listen(0, "127.0.0.1", () => done()));
    this.base = `http://127.0.0.1:${this.http.address().port}`;
  }

  private answer(request: IncomingMessage, response: ServerResponse): void {
    const url = new URL(request.url ?? "/", this.base);
    let status = 200, body: unknown = {};
    const name = url.pathname.split("/")[1];
    if (url.pathname === `/${name}/.well-known/openid-configuration`) body = { issuer: `${this.base}/${name}`, jwks_uri: `${this.base}/${name}/keys` };
    else if (url.pathname === `/${name}/keys`) body = { keys: [{ ...key.publicJwk, kid: "loopback-1", alg: "RS256", use: "sig" }] };
    else if (url.pathname === "/actions/token" && request.headers.authorization === `bearer ${RUNNER}`) {
      const audience = url.searchParams.get("audience") ?? "";
      this.audiences.push(audience);
      body = { count: 1, value: this.github(audience) };
    } else status = 404;
    response.writeHead(status, { "Content-Type": "application/json" });
    response.end(JSON.stringify(body));
  }

  sign(claims: Record<string, unknown>): string {
    return signJWT(key, { kid: "loopback-1", typ: "JWT" }, claims);
  }

  kubernetes(audience: string, account = "deployer"): string {
    return this.sign({ iss: `${this.base}/k8s`, sub: `system:serviceaccount:prod:${account}`, aud: [audience], iat: now(), nbf: now(), exp: now() + 3600 });
  }

  github(audience: string, workflow = "release"): string {
    return this.sign({
      iss: `${this.base}/gh`, sub: "repo:acme/deploy:ref:refs/heads/main", aud: audience, jti: crypto.randomUUID(), repository: "acme/deploy",
      repository_owner: "acme", workflow, iat: now() - 5, nbf: now() - 5, exp: now() + 300,
    });
  }

  stop(): Promise<void> {
    return new Promise((done) => this.http.close(() => done()));
  }
}

function config(issuer: Issuer, directory: string): string {
  const grants = `[client_credentials, "${GRANT}"]`;
  const text = readFileSync(join(REPO, "config", "machineauth.yaml"), "utf8");
  const issuers = `    issuers:
      - id: cluster
        issuer: ${issuer.base}/k8s
        preset: kubernetes
        rules:
          - { subject: "system:serviceaccount:prod:deployer", agent: cid_ts_deployer }
          - { subject: "system:serviceaccount:prod:reporter", agent: cid_ts_reporter }
      - id: github
        issuer: ${issuer.base}/gh
        preset: github_actions
        audiences: [machineauth-sdk-tests]
        rules:
          - { subject: "repo:acme/deploy:ref:refs/heads/main", claims: { workflow: release }, agent: cid_ts_release }
`;
  const replaced = text.replace(/^    issuers: \[\].*\n/m, issuers);
  assert.notEqual(replaced, text, "the default config has an empty issuers list under jwt_bearer");
  const path = join(directory, "machineauth.yaml");
  writeFileSync(path, replaced + `
provision:
  agents:
    - { name: ts-deployer, client_id: cid_ts_deployer, scopes: [read, write], grant_types: ${grants} }
    - { name: ts-reporter, client_id: cid_ts_reporter, scopes: [read], grant_types: ${grants} }
    - { name: ts-release, client_id: cid_ts_release, scopes: [deploy], grant_types: ${grants} }
`);
  return path;
}

describe("workload identity federation", () => {
  const issuer = new Issuer();
  const directory = mkdtempSync(join(tmpdir(), "machineauth-sdk-ts-fed-"));
  let server: Server;
  before(async () => {
    await issuer.start();
    // Four-second access tokens, so renewal is seen within a test.
    server = await Server.start({ env: { MACHINEAUTH_CONFIG: config(issuer, directory), ALLOW_INSECURE_ISSUERS: "true", JWT_ACCESS_TOKEN_EXPIRY: "4" } });
  }, { timeout: 60_000 });
  after(async () => {
    await server?.stop();
    await issuer.stop();
  });

  test("the token file is read for every token request", { timeout: 20_000 }, async () => {
    const file = join(directory, "token");
    writeFileSync(file, issuer.kubernetes(server.base) + "\n");
    const counting = new CountingFetch();
    const client = new MachineAuthClient(server.base, { assertionFile: file, fetch: counting.fetch });
    const first = await client.getToken();
    assert.equal(claimsOf(first.accessToken).sub, "cid_ts_deployer");
    assert.deepEqual((claimsOf(first.accessToken).external_identity as Record<string, string>).sub, "system:serviceaccount:prod:deployer");
    assert.equal((await client.getToken()).accessToken, first.accessToken, "cached until due");
    assert.equal((await client.agent.me()).clientId, "cid_ts_deployer");
    assert.equal(counting.count("POST /oauth/token"), 1);
    writeFileSync(file, issuer.kubernetes(server.base, "reporter"));  // the kubelet rotates the file
    await sleep(3.4);                                                   // 4 s tokens are due after 3.2 s
    const renewed = await client.getToken();
    assert.notEqual(renewed.accessToken, first.accessToken);
    assert.equal(claimsOf(renewed.accessToken).sub, "cid_ts_reporter");
    assert.equal(counting.count("POST /oauth/token"), 2);
  });

  test("the GitHub Actions provider fetches a new ID token per token request", async () => {
    const env = { ACTIONS_ID_TOKEN_REQUEST_URL: `${issuer.base}/actions/token?api-version=2.0`, ACTIONS_ID_TOKEN_REQUEST_TOKEN: RUNNER };
    const seen = issuer.audiences.length;
    const client = new MachineAuthClient(server.base, { assertionProvider: githubActionsToken({ audience: "machineauth-sdk-tests", env }) });
    const first = await client.requestToken({ scope: "deploy" }), second = await client.requestToken({ scope: "deploy" });
    assert.equal(claimsOf(first.accessToken).sub, "cid_ts_release");
    assert.equal(claimsOf(second.accessToken).sub, "cid_ts_release");
    assert.deepEqual(first.scopes, ["deploy"]);
    assert.deepEqual(issuer.audiences.slice(seen), ["machineauth-sdk-tests", "machineauth-sdk-tests"]);
    await rejection(Promise.resolve().then(githubActionsToken({ env: {} })), ConfigurationError);
  });

  test("refusals carry the server's error and description", async () => {
    const wrongAudience = issuer.kubernetes("https://elsewhere.example.com");
    const client = new MachineAuthClient(server.base, { assertionProvider: () => wrongAudience });
    const error = await rejection(client.getToken(), BadRequestError);
    assert.equal(error.error, "invalid_grant");
    assert.equal(error.status, 400);
    assert.ok(error.description);
    await rejection(client.introspect("x"), ConfigurationError);
    const unmapped = issuer.github("machineauth-sdk-tests", "nightly");
    const other = new MachineAuthClient(server.base, { assertionProvider: async () => unmapped });
    assert.match((await rejection(other.getToken(), BadRequestError)).description, /no rule/);
    const missing = new MachineAuthClient(server.base, { assertionFile: join(directory, "absent") });
    assert.match((await rejection(missing.getToken(), ConfigurationError)).description, /assertion file/);
    assert.throws(() => new MachineAuthClient(server.base, { clientId: "c", clientSecret: "s", assertionFile: "/x" }), TypeError);
  });

  test("federated tokens bound to a DPoP key", async () => {
    const client = new MachineAuthClient(server.base, { assertionProvider: () => issuer.kubernetes(server.base), dpopKey: testKey("ES256").pem });
    const token = await client.getToken();
    assert.equal(token.tokenType, "DPoP");
    assert.equal((claimsOf(token.accessToken).cnf as { jkt: string }).jkt, (await client.dpopKey())!.thumbprint);
    assert.equal((await client.agent.me()).clientId, "cid_ts_deployer");
  });
});
