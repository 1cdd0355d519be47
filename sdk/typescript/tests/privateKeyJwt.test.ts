/** private_key_jwt: the client signs a fresh RFC 7523 assertion for every token, introspection and revocation request. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { AuthenticationError, ConfigurationError, MachineAuthClient, PrivateKeyCredentials } from "../dist/index.js";
import { CountingFetch } from "./support/counting.js";
import { MAIN, claimsOf, headerOf, rejection, serve } from "./support/fixtures.js";
import { testKey } from "./support/jose.js";
import { unique } from "./support/server.js";

describe("private_key_jwt", () => {
  const running = serve(MAIN);

  const register = async (jwk: Record<string, string>) => {
    const created = await running.admin.admin.agents.create({
      name: unique("signer"), scopes: ["read"], tokenEndpointAuthMethod: "private_key_jwt", jwks: { keys: [{ ...jwk, kid: "k1" }] },
    });
    assert.equal(created.clientSecret, "");
    assert.equal(created.agent.tokenEndpointAuthMethod, "private_key_jwt");
    return created.clientId;
  };

  for (const algorithm of ["ES256", "EdDSA", "RS256"] as const) {
    test(`tokens with an ${algorithm} key`, async () => {
      const key = testKey(algorithm);
      const clientId = await register(key.publicJwk);
      const counting = new CountingFetch();
      const client = new MachineAuthClient(running.server.base, { clientId, privateKey: key.pem, keyId: "k1", fetch: counting.fetch });
      const token = await client.getToken({ scope: "read" });
      assert.equal(claimsOf(token.accessToken).sub, clientId);
      assert.equal((await client.agent.me()).clientId, clientId);
      const again = await client.requestToken({ scope: "read" });
      assert.notEqual(again.accessToken, token.accessToken, "a second assertion (new jti) is accepted");
      assert.ok((await client.introspect(token.accessToken)).active);
      await client.revoke(again.accessToken);
      assert.equal((await client.introspect(again.accessToken)).active, false);
      assert.equal(counting.count("POST /oauth/token"), 3, "read, the default key (agent.me), the uncached one");
    });
  }

  test("assertions: iss = sub = client id, aud, 60 s, a new jti each time, the kid", async () => {
    const credentials = new PrivateKeyCredentials("cid_x", testKey("ES256").pem, { keyId: "k9" });
    const first = await credentials.assertion("https://as.example/oauth/token"), second = await credentials.assertion("https://as.example/oauth/token");
    const claims = claimsOf(first);
    assert.equal(claims.iss, "cid_x");
    assert.equal(claims.sub, "cid_x");
    assert.equal(claims.aud, "https://as.example/oauth/token");
    assert.equal((claims.exp as number) - (claims.iat as number), 60);
    assert.notEqual(claims.jti, claimsOf(second).jti);
    assert.deepEqual([headerOf(first).alg, headerOf(first).kid], ["ES256", "k9"]);
  });

  test("a key the server does not know is refused with its description", async () => {
    const clientId = await register(testKey("ES256").publicJwk);
    const client = new MachineAuthClient(running.server.base, { clientId, privateKey: testKey("ES256").pem, keyId: "k1" });
    const error = await rejection(client.getToken(), AuthenticationError);
    assert.equal(error.error, "invalid_client");
    assert.ok(error.description);
    await rejection(client.agent.rotateSecret(), Error);
  });

  test("constructor arguments go together; a non-PKCS#8 key is named", async () => {
    assert.throws(() => new MachineAuthClient("http://127.0.0.1:1", { clientId: "c", clientSecret: "s", privateKey: "pem", keyId: "k" }), TypeError);
    assert.throws(() => new MachineAuthClient("http://127.0.0.1:1", { clientId: "c", privateKey: "pem" }), TypeError);
    const client = new MachineAuthClient("http://127.0.0.1:1", { clientId: "c", privateKey: "-----BEGIN EC PRIVATE KEY-----", keyId: "k" });
    const error = await rejection(client.getToken(), ConfigurationError);
    assert.match(error.description, /PKCS#8/);
  });
});
