/** DPoP (RFC 9449): bound tokens, proofs on MachineAuth's API and your own requests, the server's nonce. */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, test } from "node:test";
import { BadRequestError, DPoPKey, MachineAuthClient } from "../dist/index.js";
import { CountingFetch } from "./support/counting.js";
import { MAIN, claimsOf, headerOf, rejection, serve } from "./support/fixtures.js";
import { b64url, jwkThumbprint, testKey } from "./support/jose.js";

describe("dpop", () => {
  const running = serve(MAIN);

  for (const algorithm of ["ES256", "EdDSA"] as const) {
    test(`bound tokens with an ${algorithm} key, presented with proofs`, async () => {
      const created = await running.newAgent({ dpopBoundAccessTokens: true });
      assert.equal(created.agent.dpopBoundAccessTokens, true);
      const key = testKey(algorithm);
      const client = running.clientOf(created, { dpopKey: key.pem });
      const token = await client.getToken();
      assert.equal(token.tokenType, "DPoP");
      assert.deepEqual(claimsOf(token.accessToken).cnf, { jkt: jwkThumbprint(key.publicJwk) });
      assert.equal((await client.dpopKey())!.thumbprint, jwkThumbprint(key.publicJwk));
      assert.equal((await client.agent.me()).clientId, created.clientId);  // Authorization: DPoP and a proof with ath

      const url = `${running.server.base}/api/verify?ignored=1`;
      const verified = await fetch(url, { headers: await client.dpopHeaders("GET", url) });
      assert.equal(verified.status, 200, await verified.clone().text());
      const stolen = await fetch(url, { headers: { Authorization: `Bearer ${token.accessToken}` } });
      assert.equal(stolen.status, 401, "the bound token is useless without the key");
      const api = client.authorizedFetch();
      assert.equal((await api(`${running.server.base}/api/agents/me`)).status, 200);
      assert.equal((await api(`${running.server.base}/api/agents/me`)).status, 200, "a new proof (jti) per request");
    });
  }

  test("an agent that needs DPoP refuses a client without a key", async () => {
    const client = running.clientOf(await running.newAgent({ dpopBoundAccessTokens: true }));
    const error = await rejection(client.getToken(), BadRequestError);
    assert.equal(error.error, "invalid_dpop_proof");
  });

  test("a generated key; proofs carry typ, jwk, htm, htu without query, iat, jti and ath", async () => {
    const key = await DPoPKey.generate();
    const client = running.clientOf(await running.newAgent(), { dpopKey: key });
    const token = await client.getToken();
    assert.equal(token.tokenType, "DPoP", "an agent without the requirement gets a bound token too when it proves a key");
    const proof = await key.proof("post", "https://api.example.com/v1/orders?x=1#f", { accessToken: token.accessToken, nonce: "n1" });
    const header = headerOf(proof), claims = claimsOf(proof);
    assert.equal(header.typ, "dpop+jwt");
    assert.equal(header.alg, "ES256");
    assert.equal(jwkThumbprint(header.jwk as Record<string, string>), key.thumbprint);
    assert.equal(claims.htm, "POST");
    assert.equal(claims.htu, "https://api.example.com/v1/orders");
    assert.equal(claims.ath, b64url(createHash("sha256").update(token.accessToken).digest()));
    assert.equal(claims.nonce, "n1");
    assert.ok(Math.abs((claims.iat as number) - Date.now() / 1000) < 5);
    assert.notEqual(claims.jti, claimsOf(await key.proof("POST", "https://api.example.com/")).jti);
  });
});

describe("dpop nonces", () => {
  const running = serve({ env: { DPOP_NONCE: "true" } });

  test("use_dpop_nonce is answered once and the nonce kept", async () => {
    const counting = new CountingFetch();
    const client = running.clientOf(await running.newAgent(), { dpopKey: await DPoPKey.generate("EdDSA"), fetch: counting.fetch });
    const token = await client.requestToken();
    assert.equal(token.tokenType, "DPoP");
    assert.deepEqual(counting.log.filter(([line]) => line === "POST /oauth/token").map(([, status]) => status), [400, 200]);
    assert.ok((await client.dpopKey())!.nonce);
    counting.clear();
    await client.requestToken();
    assert.deepEqual(counting.log.map(([, status]) => status), [200], "the kept nonce is sent at once");
    assert.equal((await client.agent.me()).clientId, client.credentials!.clientId);
  });
});

void MachineAuthClient;
