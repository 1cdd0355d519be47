"""Workload identity federation (RFC 7523 jwt-bearer grant) against a loopback test issuer.

The issuer is a real HTTP server on loopback serving OIDC discovery documents and JWK Sets; its
tokens are signed with jwcrypto (not the server's own JOSE code) in the claim shapes Kubernetes
service-account tokens, GitHub Actions OIDC tokens and SPIFFE JWT-SVIDs really have.
"""
import base64
import json
import os
import re
import subprocess
import tempfile
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt as pyjwt
import pytest
import requests
from jwcrypto import jwk, jwt

from conftest import BINARY, ROOT, Server, free_port

GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"
# Until the signature holds every refusal reads the same (untrusted issuer, unknown kid, bad signature).
UNVERIFIED = "not signed by a key of a trusted issuer"


class LoopbackIssuer:
    """Three issuers on one loopback server: /k8s and /gh by OIDC discovery, /spire by a fixed
    jwks_uri serving a SPIFFE bundle (one jwt-svid key, one x509-svid key that must be ignored)."""

    def __init__(self):
        self.keys = {
            "k8s": jwk.JWK.generate(kty="RSA", size=2048, kid="k8s-1"),
            "gh": jwk.JWK.generate(kty="RSA", size=2048, kid="gh-1"),
            "spire": jwk.JWK.generate(kty="EC", crv="P-256", kid="spire-1"),
        }
        self.hits = {}
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        issuer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                issuer.hits[self.path] = issuer.hits.get(self.path, 0) + 1
                if self.path == "/slow/keys":
                    # A server that answers at once and then trickles its body a byte at a time.
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.end_headers()
                    try:
                        for _ in range(60):
                            self.wfile.write(b" ")
                            self.wfile.flush()
                            time.sleep(0.5)
                    except OSError:
                        pass
                    return
                body = issuer.document(self.path)
                if body is None:
                    self.send_response(404)
                    self.end_headers()
                    return
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Cache-Control", "public, max-age=300")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def url(self, name):
        return f"{self.base}/{name}"

    def document(self, path):
        for name in ("k8s", "gh"):
            if path == f"/{name}/.well-known/openid-configuration":
                return {"issuer": self.url(name), "jwks_uri": f"{self.url(name)}/keys", "id_token_signing_alg_values_supported": ["RS256"]}
            if path == f"/{name}/keys":
                return {"keys": [json.loads(self.keys[name].export_public())]}
        if path == "/spire/bundle":
            svid = dict(json.loads(self.keys["spire"].export_public()), use="jwt-svid")
            x509 = dict(json.loads(jwk.JWK.generate(kty="EC", crv="P-256", kid="x509").export_public()), use="x509-svid")
            return {"keys": [svid, x509], "spiffe_sequence": 7, "spiffe_refresh_hint": 300}
        return None

    def sign(self, name, claims, key=None, kid=None):
        key = key or self.keys[name]
        header = {"alg": "ES256" if key["kty"] == "EC" else "RS256", "kid": kid or key["kid"], "typ": "JWT"}
        token = jwt.JWT(header=header, claims=claims)
        token.make_signed_token(key)
        return token.serialize()

    def stop(self):
        self.httpd.shutdown()


def config_text(issuer):
    """The shipped default config with three trusted issuers and the agents they map to."""
    base = open(os.path.join(ROOT, "config", "machineauth.yaml")).read()
    issuers = f"""    key_refetch_interval: 1s
    fetch_timeout: 2s
    issuers:
      - id: slow
        issuer: {issuer.url("slow")}
        jwks_uri: {issuer.url("slow")}/keys
        rules:
          - subject: "anyone"
            agent: cid_fed_k8s
      - id: cluster
        issuer: {issuer.url("k8s")}
        preset: kubernetes
        rules:
          - subject: "system:serviceaccount:prod:deployer"
            agent: cid_fed_k8s
          - subject: "system:serviceaccount:prod:nogrant"
            agent: cid_fed_nogrant
      - id: github
        issuer: {issuer.url("gh")}
        preset: github_actions
        audiences: [machineauth-tests]
        rules:
          - subject: "repo:acme/deploy:ref:refs/heads/main"
            claims: {{ workflow: "release*" }}
            agent: cid_fed_github
            scopes: [deploy]
      - id: spire
        issuer: {issuer.url("spire")}
        preset: spiffe
        trust_domain: example.org
        jwks_uri: {issuer.url("spire")}/bundle
        rules:
          - subject: "spiffe://example.org/ns/prod/sa/*"
            agent: cid_fed_spiffe
"""
    text, count = re.subn(r"(?m)^    issuers: \[\].*\n", lambda _: issuers, base)
    assert count == 1, "the default config declares no issuers under jwt_bearer"
    grant_types = f"[client_credentials, \"{GRANT}\"]"
    text += f"""
provision:
  agents:
    - name: fed-k8s
      client_id: cid_fed_k8s
      scopes: [read, write]
      grant_types: {grant_types}
    - name: fed-github
      client_id: cid_fed_github
      scopes: [read, deploy]
      grant_types: {grant_types}
    - name: fed-spiffe
      client_id: cid_fed_spiffe
      scopes: [read]
      grant_types: {grant_types}
    - name: fed-no-grant
      client_id: cid_fed_nogrant
      scopes: [read]
      grant_types: [client_credentials]
"""
    return text


def start(issuer, **env):
    directory = tempfile.mkdtemp(prefix="machineauth-fed-")
    path = os.path.join(directory, "machineauth.yaml")
    with open(path, "w") as handle:
        handle.write(config_text(issuer))
    return Server({"MACHINEAUTH_CONFIG": path, "ALLOW_INSECURE_ISSUERS": "true", **env}, directory=directory)


@pytest.fixture(scope="module")
def issuer():
    instance = LoopbackIssuer()
    yield instance
    instance.stop()


@pytest.fixture(scope="module")
def server(issuer):
    instance = start(issuer)
    yield instance
    instance.stop()


def exchange(server, assertion, **extra):
    return requests.post(server.base + "/oauth/token", data={"grant_type": GRANT, "assertion": assertion, **extra})


def now():
    return int(time.time())


def kubernetes_claims(server, sub="system:serviceaccount:prod:deployer", **overrides):
    namespace, name = sub.split(":")[2], sub.split(":")[3]
    claims = {
        "aud": [server.issuer], "exp": now() + 3600, "iat": now(), "nbf": now(), "iss": None, "sub": sub,
        "kubernetes.io": {
            "namespace": namespace, "serviceaccount": {"name": name, "uid": str(uuid.uuid4())},
            "pod": {"name": f"{name}-7d9c6b5f4-x2x7q", "uid": str(uuid.uuid4())},
        },
    }
    claims.update(overrides)
    return claims


def github_claims(**overrides):
    claims = {
        "jti": str(uuid.uuid4()), "sub": "repo:acme/deploy:ref:refs/heads/main", "aud": "machineauth-tests",
        "ref": "refs/heads/main", "sha": "a" * 40, "repository": "acme/deploy", "repository_owner": "acme",
        "repository_owner_id": "1234", "repository_id": "5678", "run_id": "42", "run_number": "7", "run_attempt": "1",
        "actor": "octocat", "workflow": "release", "event_name": "push", "ref_type": "branch",
        "job_workflow_ref": "acme/deploy/.github/workflows/release.yml@refs/heads/main", "runner_environment": "github-hosted",
        "nbf": now() - 5, "exp": now() + 300, "iat": now() - 5,
    }
    claims.update(overrides)
    return claims


def spiffe_claims(server, sub="spiffe://example.org/ns/prod/sa/api", **overrides):
    claims = {"sub": sub, "aud": [server.issuer], "exp": now() + 300, "iat": now()}
    claims.update(overrides)
    return claims


def access_claims(reply):
    assert reply.status_code == 200, reply.text
    return pyjwt.decode(reply.json()["access_token"], options={"verify_signature": False})


def refused(reply, fragment):
    assert reply.status_code == 400, reply.text
    body = reply.json()
    assert body["error"] == "invalid_grant", body
    assert fragment in body["error_description"], body
    return body


def k8s_token(issuer, server, **overrides):
    claims = kubernetes_claims(server, **overrides)
    claims["iss"] = issuer.url("k8s")
    return issuer.sign("k8s", claims)


def test_kubernetes_service_account_token(server, issuer):
    token = k8s_token(issuer, server)
    claims = access_claims(exchange(server, token))
    assert claims["sub"] == "cid_fed_k8s" and claims["client_id"] == "cid_fed_k8s"
    assert claims["external_identity"] == {"iss": issuer.url("k8s"), "sub": "system:serviceaccount:prod:deployer", "trusted_issuer": "cluster"}
    assert set(claims["scope"].split()) == {"read", "write"}
    # A projected token is reused by its pod until the kubelet renews it.
    assert exchange(server, token).status_code == 200


def test_github_actions_token(server, issuer):
    claims = github_claims()
    claims["iss"] = issuer.url("gh")
    token = issuer.sign("gh", claims)
    reply = exchange(server, token)
    issued = access_claims(reply)
    assert issued["sub"] == "cid_fed_github"
    assert issued["scope"] == "deploy"  # the rule's limit, not the agent's read
    assert issued["external_identity"]["sub"] == "repo:acme/deploy:ref:refs/heads/main"
    # GitHub tokens are single-use here: the same jti again is refused.
    refused(exchange(server, token), "used before")


def test_github_rule_conditions_on_other_claims(server, issuer):
    claims = github_claims(workflow="nightly")
    claims["iss"] = issuer.url("gh")
    refused(exchange(server, issuer.sign("gh", claims)), "no rule")
    claims = github_claims(sub="repo:evil/deploy:ref:refs/heads/main", repository="evil/deploy")
    claims["iss"] = issuer.url("gh")
    refused(exchange(server, issuer.sign("gh", claims)), "no rule")


def test_spiffe_jwt_svid(server, issuer):
    claims = spiffe_claims(server)
    claims["iss"] = issuer.url("spire")
    issued = access_claims(exchange(server, issuer.sign("spire", claims)))
    assert issued["sub"] == "cid_fed_spiffe"
    assert issued["external_identity"]["sub"] == "spiffe://example.org/ns/prod/sa/api"
    other = spiffe_claims(server, sub="spiffe://example.org/ns/dev/sa/api")
    other["iss"] = issuer.url("spire")
    refused(exchange(server, issuer.sign("spire", other)), "no rule")


def test_wrong_audience(server, issuer):
    refused(exchange(server, k8s_token(issuer, server, aud=["https://someone-else.example"])), "aud")
    claims = github_claims(aud=server.issuer)  # GitHub tokens here must name machineauth-tests
    claims["iss"] = issuer.url("gh")
    refused(exchange(server, issuer.sign("gh", claims)), "aud")


def test_untrusted_issuer(server, issuer):
    claims = kubernetes_claims(server)
    claims["iss"] = issuer.url("somewhere-else")
    refused(exchange(server, issuer.sign("k8s", claims)), UNVERIFIED)


def test_expired_assertion(server, issuer):
    refused(exchange(server, k8s_token(issuer, server, exp=now() - 600, iat=now() - 4000, nbf=now() - 4000)), "expired")


def test_too_long_lived_assertion(server, issuer):
    refused(exchange(server, k8s_token(issuer, server, exp=now() + 90 * 86400)), "max_token_lifetime")


def test_subject_no_rule_maps(server, issuer):
    refused(exchange(server, k8s_token(issuer, server, sub="system:serviceaccount:dev:deployer")), "no rule")


def test_signature_by_another_key(server, issuer):
    claims = kubernetes_claims(server)
    claims["iss"] = issuer.url("k8s")
    forged = issuer.sign("k8s", claims, key=jwk.JWK.generate(kty="RSA", size=2048), kid="k8s-1")
    refused(exchange(server, forged), UNVERIFIED)


def test_unknown_kid(server, issuer):
    claims = kubernetes_claims(server)
    claims["iss"] = issuer.url("k8s")
    refused(exchange(server, issuer.sign("k8s", claims, kid="k8s-unknown")), UNVERIFIED)


def test_malformed_and_missing_assertions(server, issuer):
    reply = requests.post(server.base + "/oauth/token", data={"grant_type": GRANT})
    assert reply.status_code == 400 and reply.json()["error"] == "invalid_request"
    refused(exchange(server, "not.a.jwt"), "assertion")
    refused(exchange(server, "x" * 20000), "larger")
    claims = kubernetes_claims(server)
    claims["iss"] = issuer.url("k8s")
    encode = lambda value: base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()
    refused(exchange(server, f"{encode({'alg': 'none'})}.{encode(claims)}."), UNVERIFIED)
    refused(exchange(server, f"{encode({'alg': 'HS256', 'kid': 'k8s-1'})}.{encode(claims)}.c2lnbmF0dXJl"), UNVERIFIED)
    # Other token types of the same issuer are not grants.
    refused(exchange(server, f"{encode({'alg': 'RS256', 'kid': 'k8s-1', 'typ': 'at+jwt'})}.{encode(claims)}.c2ln"), "typ")
    embedded = {"alg": "RS256", "kid": "k8s-1", "jwk": json.loads(issuer.keys["k8s"].export_public())}
    refused(exchange(server, f"{encode(embedded)}.{encode(claims)}.c2lnbmF0dXJl"), "names its own key")


def test_agent_without_the_grant_type(server, issuer):
    # A rule may name an agent, but only one given the jwt-bearer grant gets a token.
    reply = exchange(server, k8s_token(issuer, server, sub="system:serviceaccount:prod:nogrant"))
    assert reply.status_code == 400 and reply.json()["error"] == "unauthorized_client", reply.text


def test_keys_are_cached(server, issuer):
    before = dict(issuer.hits)
    for _ in range(3):
        assert exchange(server, k8s_token(issuer, server)).status_code == 200
    assert issuer.hits.get("/k8s/keys") == before.get("/k8s/keys")
    assert issuer.hits.get("/k8s/.well-known/openid-configuration") == before.get("/k8s/.well-known/openid-configuration")


def test_key_rotation_is_picked_up_at_the_first_token_with_the_new_kid(server, issuer):
    assert exchange(server, k8s_token(issuer, server)).status_code == 200
    time.sleep(1.1)  # key_refetch_interval: 1s in this config (default 30s)
    before = issuer.hits.get("/k8s/keys", 0)
    issuer.keys["k8s"] = jwk.JWK.generate(kty="RSA", size=2048, kid="k8s-2")
    assert exchange(server, k8s_token(issuer, server)).status_code == 200, "the rotated key was not fetched"
    assert issuer.hits["/k8s/keys"] == before + 1
    # A token naming a kid the issuer does not have makes at most one fetch per interval.
    claims = kubernetes_claims(server)
    claims["iss"] = issuer.url("k8s")
    for _ in range(3):
        refused(exchange(server, issuer.sign("k8s", claims, kid="k8s-nope")), UNVERIFIED)
    assert issuer.hits["/k8s/keys"] <= before + 2


def test_a_trickling_key_server_is_cut_off_at_the_fetch_timeout(server, issuer):
    claims = {"iss": issuer.url("slow"), "sub": "anyone", "aud": server.issuer, "exp": now() + 60, "iat": now(), "jti": str(uuid.uuid4())}
    started = time.monotonic()
    refused(exchange(server, issuer.sign("k8s", claims)), UNVERIFIED)
    assert time.monotonic() - started < 10, "the fetch was not cut off at fetch_timeout (2s)"
    # Right after a failure the URL is not tried again for every request.
    started = time.monotonic()
    refused(exchange(server, issuer.sign("k8s", dict(claims, jti=str(uuid.uuid4())))), UNVERIFIED)
    assert time.monotonic() - started < 1.5


def test_metadata_lists_the_grant(server):
    for path in ("/.well-known/oauth-authorization-server", "/.well-known/openid-configuration"):
        assert GRANT in requests.get(server.base + path).json()["grant_types_supported"]


def test_issued_token_is_audited_with_the_outside_identity(server, issuer):
    access_claims(exchange(server, k8s_token(issuer, server)))
    admin = {"Authorization": "Bearer " + server.admin_token()}
    trail = requests.get(server.base + "/api/audit-logs", params={"action": "token.issued", "limit": 500}, headers=admin).json()
    records = trail["audit_logs"]
    assert any("system:serviceaccount:prod:deployer" in json.dumps(record) for record in records), records


def test_insecure_issuer_urls_need_the_development_switch(issuer):
    with pytest.raises(RuntimeError) as failure:
        start(issuer, ALLOW_INSECURE_ISSUERS="false")
    assert "allow_insecure_issuers" in str(failure.value)


@pytest.mark.skipif(not os.environ.get("MACHINEAUTH_TEST_POSTGRES_URL"), reason="needs MACHINEAUTH_TEST_POSTGRES_URL (scripts/test sets it)")
def test_two_instances_share_the_replay_cache(issuer):
    admin_url = os.environ["MACHINEAUTH_TEST_POSTGRES_URL"]
    name = "fed_" + uuid.uuid4().hex[:12]
    subprocess.run(["psql", admin_url.replace("?sslmode=disable", ""), "-q", "-c", f"CREATE DATABASE {name}"], check=True)
    env = {"DATABASE_URL": admin_url.replace("/postgres?", f"/{name}?")}
    a = start(issuer, **env)
    b = start(issuer, **env)
    try:
        claims = github_claims()
        claims["iss"] = issuer.url("gh")
        token = issuer.sign("gh", claims)
        assert exchange(a, token).status_code == 200
        refused(exchange(b, token), "used before")
        k8s = kubernetes_claims(a)
        k8s["aud"] = [a.issuer, b.issuer]
        k8s["iss"] = issuer.url("k8s")
        assert exchange(b, issuer.sign("k8s", k8s)).status_code == 200
    finally:
        a.stop()
        b.stop()


def test_insecure_issuers_are_refused_in_production():
    env = dict(os.environ, ENV="production", ALLOW_INSECURE_ISSUERS="true", ADMIN_PASSWORD="a-long-production-password-1234")
    check = subprocess.run([BINARY, "config", "check", os.path.join(ROOT, "config", "machineauth.yaml")], env=env,
                           capture_output=True, text=True)
    assert check.returncode != 0
    assert "machineauth.yaml:" in check.stdout + check.stderr and "security.allow_insecure_issuers" in check.stdout + check.stderr


def test_the_example_federation_config_is_valid():
    check = subprocess.run([BINARY, "config", "check", os.path.join(ROOT, "config", "examples", "federation.yaml")],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "jwt_bearer" in check.stdout
