"""DPoP (RFC 9449) against the real binary, with proofs built by jwcrypto: binding at the token
endpoint, nonces, and bound tokens at /api/verify, the API and /gateway/check behind real nginx
and Caddy. Two instances on one PostgreSQL database share the replay cache and the nonces."""
import os
import subprocess
import threading
import uuid
from http.server import ThreadingHTTPServer

import pytest
import requests

from conftest import Server
from dpop_proofs import DPoPKey, hs256, token_claims, unsigned
from gateway_stack import EXAMPLES, Echo, Stack, proxy  # noqa: F401 (the proxy fixture)

ALGORITHMS = ["ES256", "EdDSA", "PS256", "RS256"]


def token_request(server, client_id, secret, proof=None, headers=None, **data):
    sent = dict(headers or {})
    if proof is not None:
        sent["DPoP"] = proof
    return requests.post(server.base + "/oauth/token", data={"grant_type": "client_credentials", **data}, auth=(client_id, secret), headers=sent)


def bound_token(server, key, name="dpop-agent", scopes=("read",), **agent):
    client_id, secret, agent_id = server.create_agent(name=name, scopes=scopes, **agent)
    reply = token_request(server, client_id, secret, key.proof("POST", server.issuer + "/oauth/token"))
    assert reply.status_code == 200, reply.text
    return reply.json()["access_token"], client_id, secret, agent_id


def error(reply):
    return reply.json()["error"]


@pytest.fixture(scope="module")
def agent(server):
    client_id, secret, _ = server.create_agent(name="dpop-client")
    return client_id, secret


@pytest.fixture(scope="module")
def key():
    return DPoPKey("ES256")


# --- the token endpoint ----------------------------------------------------------------------

@pytest.mark.parametrize("alg", ALGORITHMS)
def test_token_with_a_proof_is_bound_to_its_key(server, agent, alg):
    key = DPoPKey(alg)
    reply = token_request(server, *agent, key.proof("POST", server.issuer + "/oauth/token"))
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert body["token_type"] == "DPoP"
    assert token_claims(body["access_token"])["cnf"] == {"jkt": key.thumbprint}


def test_token_without_a_proof_is_a_bearer_token(server, agent):
    body = token_request(server, *agent).json()
    assert body["token_type"] == "Bearer"
    assert "cnf" not in token_claims(body["access_token"])


def test_introspection_shows_cnf_and_token_type(server, agent, key):
    token = token_request(server, *agent, key.proof("POST", server.issuer + "/oauth/token")).json()["access_token"]
    described = requests.post(server.base + "/oauth/introspect", data={"token": token}, auth=agent).json()
    assert described["active"] is True
    assert described["token_type"] == "DPoP"
    assert described["cnf"] == {"jkt": key.thumbprint}


def test_replayed_proof_is_refused(server, agent, key):
    proof = key.proof("POST", server.issuer + "/oauth/token")
    assert token_request(server, *agent, proof).status_code == 200
    again = token_request(server, *agent, proof)
    assert again.status_code == 400 and error(again) == "invalid_dpop_proof"
    assert "used before" in again.json()["error_description"]


@pytest.mark.parametrize("method,url", [
    ("POST", "http://elsewhere.example/oauth/token"),
    ("POST", "{issuer}/oauth/introspect"),
    ("GET", "{issuer}/oauth/token"),
    ("post", "{issuer}/oauth/token"),
])
def test_wrong_htm_or_htu_is_refused(server, agent, key, method, url):
    reply = token_request(server, *agent, key.proof(method, url.format(issuer=server.issuer)))
    assert reply.status_code == 400 and error(reply) == "invalid_dpop_proof", reply.text


def test_htu_ignores_query_fragment_case_and_default_port(server, agent, key):
    upper = server.issuer.replace("http://", "HTTP://") + "/oauth/token?x=1#f"
    assert token_request(server, *agent, key.proof("POST", upper)).status_code == 200


@pytest.mark.parametrize("iat", [-1, 0, "old", "future", 1e300, 2 ** 64, -2 ** 63, 1.5e19])
def test_iat_outside_the_window_is_refused(server, agent, key, iat):
    import time
    value = {"old": int(time.time()) - 600, "future": int(time.time()) + 600}.get(iat, iat)
    reply = token_request(server, *agent, key.proof("POST", server.issuer + "/oauth/token", iat=value))
    assert reply.status_code == 400 and error(reply) == "invalid_dpop_proof", reply.text


def test_malformed_proofs_are_refused(server, agent, key):
    url = server.issuer + "/oauth/token"
    claims = key.claims("POST", url)
    public = key.public
    private = DPoPKey("ES256")
    cases = {
        "garbage": "not-a-jwt",
        "alg none": unsigned({"typ": "dpop+jwt", "alg": "none", "jwk": public}, claims),
        "HS256": hs256({"typ": "dpop+jwt", "alg": "HS256", "jwk": public}, claims, b"secret"),
        "wrong typ": key.sign(claims, {"typ": "JWT"}),
        "no jwk": unsigned({"typ": "dpop+jwt", "alg": "ES256"}, claims, b"x" * 64),
        "private jwk": private.sign(claims, {"jwk": __import__("json").loads(private.key.export_private())}),
        "other key's jwk": key.sign(claims, {"jwk": DPoPKey("ES256").public}),
        "alg of another key type": unsigned({"typ": "dpop+jwt", "alg": "RS256", "jwk": public}, claims, b"x" * 256),
        "crit": unsigned({"typ": "dpop+jwt", "alg": "ES256", "jwk": public, "crit": ["exp"], "exp": 1}, claims, b"x" * 64),
        "no jti": key.sign({k: v for k, v in claims.items() if k != "jti"}),
        "tampered": key.proof("POST", url)[:-6] + "AAAAAA",
        "oversized": key.proof("POST", url, jti="j" * 9000),
    }
    for name, proof in cases.items():
        reply = token_request(server, *agent, proof)
        assert reply.status_code == 400 and error(reply) == "invalid_dpop_proof", f"{name}: {reply.status_code} {reply.text}"


def test_two_dpop_headers_are_refused(server, agent, key):
    import base64
    import http.client
    import json
    url = server.issuer + "/oauth/token"
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    body = "grant_type=client_credentials"
    connection.putrequest("POST", "/oauth/token")
    connection.putheader("Authorization", "Basic " + base64.b64encode(f"{agent[0]}:{agent[1]}".encode()).decode())
    connection.putheader("Content-Type", "application/x-www-form-urlencoded")
    connection.putheader("Content-Length", str(len(body)))
    connection.putheader("DPoP", key.proof("POST", url))
    connection.putheader("DPoP", key.proof("POST", url))
    connection.endheaders(body.encode())
    reply = connection.getresponse()
    assert reply.status == 400 and json.loads(reply.read())["error"] == "invalid_dpop_proof"


def test_metadata_lists_the_proof_algorithms(server):
    metadata = requests.get(server.base + "/.well-known/oauth-authorization-server").json()
    assert metadata["dpop_signing_alg_values_supported"] == ALGORITHMS


def test_agent_that_requires_dpop(server, key):
    client_id, secret, agent_id = server.create_agent(name="dpop-only", dpop_bound_access_tokens=True)
    without = token_request(server, client_id, secret)
    assert without.status_code == 400 and error(without) == "invalid_dpop_proof"
    assert token_request(server, client_id, secret, key.proof("POST", server.issuer + "/oauth/token")).json()["token_type"] == "DPoP"
    admin = {"Authorization": "Bearer " + server.admin_token()}
    shown = requests.get(f"{server.base}/api/agents/{agent_id}", headers=admin).json()
    assert (shown.get("agent") or shown)["dpop_bound_access_tokens"] is True
    changed = requests.patch(f"{server.base}/api/agents/{agent_id}", json={"dpop_bound_access_tokens": False}, headers=admin)
    assert changed.status_code == 200, changed.text
    assert token_request(server, client_id, secret).json()["token_type"] == "Bearer"
    wrong = requests.patch(f"{server.base}/api/agents/{agent_id}", json={"dpop_bound_access_tokens": "yes"}, headers=admin)
    assert wrong.status_code == 400


def test_deployment_that_requires_dpop(server_factory, key):
    server = server_factory(DPOP_REQUIRED="true")
    client_id, secret, _ = server.create_agent(name="any")
    without = token_request(server, client_id, secret)
    assert without.status_code == 400 and error(without) == "invalid_dpop_proof"
    assert token_request(server, client_id, secret, key.proof("POST", server.issuer + "/oauth/token")).status_code == 200


def test_nonce_required_then_retried(server_factory, key):
    server = server_factory(DPOP_NONCE="true")
    client_id, secret, _ = server.create_agent(name="nonce")
    url = server.issuer + "/oauth/token"
    first = token_request(server, client_id, secret, key.proof("POST", url))
    assert first.status_code == 400 and error(first) == "use_dpop_nonce", first.text
    nonce = first.headers["DPoP-Nonce"]
    retried = token_request(server, client_id, secret, key.proof("POST", url, nonce=nonce))
    assert retried.status_code == 200, retried.text
    assert retried.json()["token_type"] == "DPoP" and retried.headers["DPoP-Nonce"]
    wrong = token_request(server, client_id, secret, key.proof("POST", url, nonce=nonce[:-2] + "xx"))
    assert wrong.status_code == 400 and error(wrong) == "use_dpop_nonce" and wrong.headers["DPoP-Nonce"]
    stale = token_request(server, client_id, secret, key.proof("POST", url, nonce="12." + nonce.split(".")[1]))
    assert stale.status_code == 400 and error(stale) == "use_dpop_nonce"


def test_refresh_binds_the_new_token_to_the_refresh_requests_proof(server_factory):
    server = server_factory(REFRESH_TOKENS_FOR_CLIENT_CREDENTIALS="true")
    client_id, secret, _ = server.create_agent(name="refresher", dpop_bound_access_tokens=True)
    first, second = DPoPKey("ES256"), DPoPKey("EdDSA")
    url = server.issuer + "/oauth/token"
    issued = token_request(server, client_id, secret, first.proof("POST", url)).json()
    assert issued["token_type"] == "DPoP" and issued["refresh_token"]

    def refresh(headers):
        return requests.post(server.base + "/oauth/token", data={"grant_type": "refresh_token", "refresh_token": issued["refresh_token"]},
                             auth=(client_id, secret), headers=headers)

    # Refused before the grant runs, so the refresh token is not spent.
    without = refresh({})
    assert without.status_code == 400 and error(without) == "invalid_dpop_proof"
    refreshed = refresh({"DPoP": second.proof("POST", url)})
    assert refreshed.status_code == 200, refreshed.text
    refreshed = refreshed.json()
    # RFC 9449 §5: a confidential client's refresh token is bound to its authentication; the new
    # access token to the key of the refresh request's proof.
    assert refreshed["token_type"] == "DPoP"
    assert token_claims(refreshed["access_token"])["cnf"] == {"jkt": second.thumbprint}


# --- resources: /api/verify and the API ------------------------------------------------------

def verify(server, token, scheme="DPoP", proof=None, method="GET", headers=None):
    sent = {"Authorization": f"{scheme} {token}", **(headers or {})}
    if proof is not None:
        sent["DPoP"] = proof
    return requests.request(method, server.base + "/api/verify", headers=sent)


def test_bound_token_at_verify(server, key):
    token, *_ = bound_token(server, key, name="verify")
    url = server.issuer + "/api/verify"
    accepted = verify(server, token, proof=key.proof("GET", url, access_token=token))
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["claims"]["cnf"] == {"jkt": key.thumbprint}

    as_bearer = verify(server, token, scheme="Bearer")
    assert as_bearer.status_code == 401
    challenge = as_bearer.headers["WWW-Authenticate"]
    assert challenge.startswith("DPoP ") and 'error="invalid_token"' in challenge and 'algs="ES256 EdDSA PS256 RS256"' in challenge

    no_proof = verify(server, token)
    assert no_proof.status_code == 401 and 'error="invalid_dpop_proof"' in no_proof.headers["WWW-Authenticate"]

    as_form = requests.post(server.base + "/api/verify", data={"token": token}, headers={"DPoP": key.proof("POST", url, access_token=token)})
    assert as_form.status_code == 401

    cases = {
        "ath of another token": key.proof("GET", url, access_token=token + "x"),
        "no ath": key.proof("GET", url),
        "another key": DPoPKey("ES256").proof("GET", url, access_token=token),
        "wrong htm": key.proof("POST", url, access_token=token),
        "wrong htu": key.proof("GET", server.issuer + "/api/other", access_token=token),
    }
    for name, proof in cases.items():
        reply = verify(server, token, proof=proof)
        assert reply.status_code == 401 and 'error="invalid_dpop_proof"' in reply.headers["WWW-Authenticate"], f"{name}: {reply.text}"

    replayed = key.proof("GET", url, access_token=token)
    assert verify(server, token, proof=replayed).status_code == 200
    assert verify(server, token, proof=replayed).status_code == 401


def test_verify_checks_the_proof_against_the_forwarded_request(server, key):
    token, *_ = bound_token(server, key, name="forwarded")
    original = {"X-Forwarded-Method": "DELETE", "X-Forwarded-Uri": "/v1/orders/7?force=1", "X-Forwarded-Host": "api.example.com",
                "X-Forwarded-Proto": "https"}
    good = key.proof("DELETE", "https://api.example.com/v1/orders/7", access_token=token)
    assert verify(server, token, proof=good, headers=original).status_code == 200
    own_url = key.proof("GET", server.issuer + "/api/verify", access_token=token)
    assert verify(server, token, proof=own_url, headers=original).status_code == 401


def test_unbound_token_as_dpop_is_refused(server, agent):
    token = token_request(server, *agent).json()["access_token"]
    assert verify(server, token, scheme="Bearer").status_code == 200
    assert verify(server, token, proof=DPoPKey().proof("GET", server.issuer + "/api/verify", access_token=token)).status_code == 401


def test_bound_token_on_the_api(server, key):
    token, *_ = bound_token(server, key, name="api-caller")
    url = server.issuer + "/api/agents/me"
    assert requests.get(server.base + "/api/agents/me", headers={"Authorization": "Bearer " + token}).status_code == 401
    reply = requests.get(server.base + "/api/agents/me", headers={"Authorization": "DPoP " + token, "DPoP": key.proof("GET", url, access_token=token)})
    assert reply.status_code == 200, reply.text


# --- /gateway/check behind real nginx and Caddy ----------------------------------------------

@pytest.fixture(scope="module")
def stack():
    upstream = ThreadingHTTPServer(("127.0.0.1", 0), Echo)
    upstream.received = []
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    server = Server({"MACHINEAUTH_CONFIG": os.path.join(EXAMPLES, "gateway.yaml")})
    yield Stack(server, upstream)
    server.stop()
    upstream.shutdown()


def through(base, path, token, scheme="DPoP", proof=None):
    headers = {"Host": "api.example.com", "Authorization": f"{scheme} {token}"}
    if proof is not None:
        headers["DPoP"] = proof
    return requests.get(base + path, headers=headers, allow_redirects=False)


def test_gateway_behind_a_real_proxy(proxy, stack):
    kind, base, server = proxy
    key = DPoPKey("ES256")
    token, *_ = bound_token(server, key, name=f"gw-{kind}")
    path = "/v1/reports/q3?format=csv"
    url = "http://api.example.com/v1/reports/q3"
    before = len(stack.received)

    as_bearer = through(base, path, token, scheme="Bearer")
    assert as_bearer.status_code == 401
    assert as_bearer.headers["WWW-Authenticate"].startswith("DPoP ") and 'error="invalid_token"' in as_bearer.headers["WWW-Authenticate"]
    no_proof = through(base, path, token)
    assert no_proof.status_code == 401 and 'error="invalid_dpop_proof"' in no_proof.headers["WWW-Authenticate"]
    wrong_htu = through(base, path, token, proof=key.proof("GET", base + "/v1/reports/q3", access_token=token))
    assert wrong_htu.status_code == 401
    wrong_htm = through(base, path, token, proof=key.proof("POST", url, access_token=token))
    assert wrong_htm.status_code == 401
    wrong_ath = through(base, path, token, proof=key.proof("GET", url, access_token="another"))
    assert wrong_ath.status_code == 401
    assert len(stack.received) == before, "a refused request reached the upstream"

    proof = key.proof("GET", url, access_token=token)
    allowed = through(base, path, token, proof=proof)
    assert allowed.status_code == 200, allowed.text
    assert allowed.json()["headers"]["x-client-id"]
    assert len(stack.received) == before + 1
    replayed = through(base, path, token, proof=proof)
    assert replayed.status_code == 401 and len(stack.received) == before + 1


# --- two instances on one PostgreSQL database -------------------------------------------------

@pytest.mark.skipif(not os.environ.get("MACHINEAUTH_TEST_POSTGRES_URL"), reason="needs MACHINEAUTH_TEST_POSTGRES_URL (scripts/test sets it)")
def test_two_instances_share_the_replay_cache_and_nonces(server_factory):
    admin_url = os.environ["MACHINEAUTH_TEST_POSTGRES_URL"]
    name = "dpop_" + uuid.uuid4().hex[:12]
    subprocess.run(["psql", admin_url.replace("?sslmode=disable", ""), "-q", "-c", f"CREATE DATABASE {name}"], check=True)
    # One issuer for both, as behind a load balancer: a proof names the same URL at either.
    env = {"DATABASE_URL": admin_url.replace("/postgres?", f"/{name}?"), "ISSUER": "http://machineauth.test", "DPOP_NONCE": "true"}
    a = server_factory(**env)
    b = server_factory(**env)
    client_id, secret, _ = a.create_agent(name="shared")
    key = DPoPKey("ES256")
    url = "http://machineauth.test/oauth/token"

    nonce = token_request(a, client_id, secret, key.proof("POST", url)).headers["DPoP-Nonce"]
    proof = key.proof("POST", url, nonce=nonce)  # a's nonce, used at b
    assert token_request(b, client_id, secret, proof).status_code == 200
    replayed = token_request(a, client_id, secret, proof)
    assert replayed.status_code == 400 and "used before" in replayed.json()["error_description"]

    token = token_request(a, client_id, secret, key.proof("POST", url, nonce=nonce)).json()["access_token"]
    resource = key.proof("GET", "http://machineauth.test/api/verify", access_token=token)
    assert verify(a, token, proof=resource).status_code == 200
    assert verify(b, token, proof=resource).status_code == 401


def test_missing_token_is_challenged_with_both_schemes(server):
    # RFC 9449 §7.1: a resource that accepts Bearer and DPoP says so in its 401.
    for reply in (requests.get(server.base + "/api/verify"), requests.get(server.base + "/api/agents")):
        assert reply.status_code == 401, reply.text
        challenges = reply.headers["WWW-Authenticate"]
        assert challenges.startswith("Bearer realm=") and 'DPoP algs="' in challenges, challenges
    # A DPoP-specific refusal keeps its own single DPoP challenge.
    reply = requests.get(server.base + "/api/verify", headers={"Authorization": "DPoP not-a-token"})
    assert reply.status_code == 401
