"""RFC 7523 private_key_jwt client authentication, exercised with authlib and PyJWT only."""
import base64
import hashlib
import hmac
import json
import time
import uuid

import jwt
import pytest
import requests
from authlib.integrations.requests_client import OAuth2Session
from authlib.oauth2.rfc7523 import PrivateKeyJWT
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from joserfc.jwk import ECKey, RSAKey
from jwt import PyJWKClient
from jwt.algorithms import ECAlgorithm, OKPAlgorithm, RSAAlgorithm

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


# --- keys -------------------------------------------------------------------------------------

def new_key(kind):
    if kind == "RSA":
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    if kind == "EC":
        return ec.generate_private_key(ec.SECP256R1())
    if kind == "OKP":
        return ed25519.Ed25519PrivateKey.generate()
    raise ValueError(kind)


KEY_KIND = {"RS256": "RSA", "PS256": "RSA", "ES256": "EC", "EdDSA": "OKP"}


def to_jwk(key, kid=None):
    """The JWK of `key` as PyJWT writes it (public or private, whichever `key` is), with a kid."""
    if isinstance(key, (rsa.RSAPrivateKey, rsa.RSAPublicKey)):
        jwk = RSAAlgorithm.to_jwk(key, as_dict=True)
    elif isinstance(key, (ec.EllipticCurvePrivateKey, ec.EllipticCurvePublicKey)):
        jwk = ECAlgorithm.to_jwk(key, as_dict=True)
    else:
        jwk = OKPAlgorithm.to_jwk(key, as_dict=True)
    if kid is not None:
        jwk["kid"] = kid
    return jwk


def public_jwk(private_key, kid):
    return to_jwk(private_key.public_key(), kid)


def jwks(*entries):
    """entries: (private_key, kid) pairs; only the public halves go into the set."""
    return {"keys": [public_jwk(key, kid) for key, kid in entries]}


def private_pem(key):
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())


def public_pem(key):
    return key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def b64url(data):
    if not isinstance(data, bytes):
        data = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


# --- server helpers ---------------------------------------------------------------------------

def token_url(server):
    return server.base + "/oauth/token"


def admin_headers(server):
    return {"Authorization": "Bearer " + server.admin_token()}


def post_agent(server, **body):
    body.setdefault("name", "pkjwt-agent")
    body.setdefault("scopes", ["read", "write"])
    return requests.post(server.base + "/api/agents", json=body, headers=admin_headers(server))


def create_pkjwt_agent(server, key_set, **extra):
    """Creates a private_key_jwt agent; returns (client_id, agent_id, create-response JSON)."""
    reply = post_agent(server, token_endpoint_auth_method="private_key_jwt", jwks=key_set, **extra)
    assert reply.status_code == 201, reply.text
    data = reply.json()
    return data["client_id"], data["agent"]["id"], data


def verify(server, access_token):
    """Checks an issued token the way a resource server would: the server's JWKS, iss/aud/exp."""
    signing_key = PyJWKClient(server.base + "/.well-known/jwks.json").get_signing_key_from_jwt(access_token)
    return jwt.decode(access_token, signing_key.key, algorithms=["RS256", "ES256", "EdDSA"],
                      audience=server.issuer, issuer=server.issuer)


def claims_for(client_id, aud, **overrides):
    """Assertion claims; an override of None removes the claim."""
    now = int(time.time())
    claims = {"iss": client_id, "sub": client_id, "aud": aud, "iat": now, "exp": now + 120, "jti": str(uuid.uuid4())}
    claims.update(overrides)
    return {name: value for name, value in claims.items() if value is not None}


def make_assertion(server, client_id, key, kid, alg="RS256", headers=None, **overrides):
    """An assertion signed with PyJWT; aud defaults to the issuer identifier."""
    overrides.setdefault("aud", server.issuer)
    header = {"kid": kid} if kid is not None else {}
    header.update(headers or {})
    return jwt.encode(claims_for(client_id, **overrides), key, algorithm=alg, headers=header)


def token_request(server, assertion, auth=None, **extra):
    form = {"grant_type": "client_credentials", "client_assertion_type": ASSERTION_TYPE, "client_assertion": assertion}
    form.update(extra)
    return requests.post(token_url(server), data=form, auth=auth)


def refuse(server, assertion, client_id):
    """Presents an assertion that must be refused, with client_id alongside (as RFC 7521 allows)."""
    assert_invalid_client(token_request(server, assertion, client_id=client_id))


def assert_invalid_client(reply):
    assert reply.status_code == 401, (reply.status_code, reply.text)
    assert reply.json()["error"] == "invalid_client", reply.text


class ShortLivedPrivateKeyJWT(PrivateKeyJWT):
    """authlib's PrivateKeyJWT, with `exp` 2 minutes out instead of authlib's default one hour (the
    server caps assertions at 5 minutes). Claims are rebuilt on every signature: authlib stores its
    generated jti in the `claims` dict it was given, which would replay the jti on the next request."""

    def sign(self, auth, token_endpoint):
        self.claims = {"exp": int(time.time()) + 120}
        return super().sign(auth, token_endpoint)


def authlib_session(server, client_id, key, kid, alg):
    joserfc_key = (RSAKey if KEY_KIND[alg] == "RSA" else ECKey).import_key(private_pem(key), {"kid": kid})
    method = ShortLivedPrivateKeyJWT(token_url(server), headers={"kid": kid}, alg=alg)
    return OAuth2Session(client_id, joserfc_key, token_endpoint_auth_method=method)


@pytest.fixture
def rsa_client(server):
    """A fresh private_key_jwt agent with one RSA key: (client_id, private key, kid). One per test:
    the server slows a (client, address) pair down after 10 failed authentications a minute."""
    key = new_key("RSA")
    client_id, _, _ = create_pkjwt_agent(server, jwks((key, "rsa-1")), name="pkjwt-rsa")
    return client_id, key, "rsa-1"


# --- 1. authlib -------------------------------------------------------------------------------

@pytest.mark.parametrize("alg", ["RS256", "ES256"])
def test_authlib_private_key_jwt(server, alg):
    key = new_key(KEY_KIND[alg])
    kid = f"authlib-{alg.lower()}"
    client_id, agent_id, _ = create_pkjwt_agent(server, jwks((key, kid)), name=f"authlib-{alg}")
    session = authlib_session(server, client_id, key, kid, alg)
    token = session.fetch_token(token_url(server), grant_type="client_credentials", scope="read")
    assert token["token_type"] == "Bearer"
    claims = verify(server, token["access_token"])
    assert claims["sub"] == client_id and claims["client_id"] == client_id and claims["agent_id"] == agent_id
    assert claims["scope"] == "read"


# --- 2. PyJWT-built assertions ----------------------------------------------------------------

@pytest.mark.parametrize("alg", ["EdDSA", "PS256"])
def test_pyjwt_assertion_accepted(server, alg):
    key = new_key(KEY_KIND[alg])
    client_id, _, _ = create_pkjwt_agent(server, jwks((key, "k1")), name=f"pyjwt-{alg}")
    reply = token_request(server, make_assertion(server, client_id, key, "k1", alg=alg), client_id=client_id)
    assert reply.status_code == 200, reply.text
    assert verify(server, reply.json()["access_token"])["sub"] == client_id


@pytest.mark.parametrize("audience", ["issuer", "token_endpoint", "issuer_in_array", "token_endpoint_in_array"])
def test_audience_forms_accepted(server, rsa_client, audience):
    client_id, key, kid = rsa_client
    aud = {"issuer": server.issuer, "token_endpoint": token_url(server),
           "issuer_in_array": [server.issuer], "token_endpoint_in_array": [token_url(server)]}[audience]
    reply = token_request(server, make_assertion(server, client_id, key, kid, aud=aud))
    assert reply.status_code == 200, reply.text


def test_kid_may_be_omitted_with_a_single_key(server, rsa_client):
    client_id, key, _ = rsa_client
    reply = token_request(server, make_assertion(server, client_id, key, None))
    assert reply.status_code == 200, reply.text


def test_kid_selects_among_several_keys(server):
    first, second = new_key("EC"), new_key("OKP")
    client_id, _, _ = create_pkjwt_agent(server, jwks((first, "ec"), (second, "ed")), name="two-keys")
    assert token_request(server, make_assertion(server, client_id, second, "ed", alg="EdDSA")).status_code == 200
    assert token_request(server, make_assertion(server, client_id, first, "ec", alg="ES256")).status_code == 200


# --- 3. refusals ------------------------------------------------------------------------------

def test_replayed_jti_is_refused(server, rsa_client):
    client_id, key, kid = rsa_client
    assertion = make_assertion(server, client_id, key, kid)
    first = token_request(server, assertion)
    assert first.status_code == 200, first.text
    assert_invalid_client(token_request(server, assertion, client_id=client_id))


def test_wrong_audience(server, rsa_client):
    client_id, key, kid = rsa_client
    refuse(server, make_assertion(server, client_id, key, kid, aud="https://elsewhere.example"), client_id)


def test_expired(server, rsa_client):
    client_id, key, kid = rsa_client
    now = int(time.time())
    refuse(server, make_assertion(server, client_id, key, kid, iat=now - 600, exp=now - 300), client_id)


def test_exp_more_than_five_minutes_ahead(server, rsa_client):
    client_id, key, kid = rsa_client
    refuse(server, make_assertion(server, client_id, key, kid, exp=int(time.time()) + 900), client_id)


def test_lifetime_from_iat_over_five_minutes(server, rsa_client):
    client_id, key, kid = rsa_client
    now = int(time.time())
    refuse(server, make_assertion(server, client_id, key, kid, iat=now - 400, exp=now + 60), client_id)


def test_not_yet_valid(server, rsa_client):
    client_id, key, kid = rsa_client
    refuse(server, make_assertion(server, client_id, key, kid, nbf=int(time.time()) + 240), client_id)


@pytest.mark.parametrize("claim", ["jti", "exp"])
def test_missing_required_claim(server, rsa_client, claim):
    client_id, key, kid = rsa_client
    refuse(server, make_assertion(server, client_id, key, kid, **{claim: None}), client_id)


def test_iss_differs_from_sub(server, rsa_client):
    client_id, key, kid = rsa_client
    refuse(server, make_assertion(server, client_id, key, kid, iss="someone-else"), client_id)


def test_client_id_parameter_differs_from_sub(server, rsa_client):
    client_id, key, kid = rsa_client
    other_id, _, _ = create_pkjwt_agent(server, jwks((new_key("RSA"), "other")), name="other-client")
    assert_invalid_client(token_request(server, make_assertion(server, client_id, key, kid), client_id=other_id))


def test_unknown_client(server):
    key = new_key("RSA")
    refuse(server, make_assertion(server, "no-such-client", key, "k1"), "no-such-client")


def test_other_key_with_the_same_kid(server, rsa_client):
    client_id, _, kid = rsa_client
    refuse(server, make_assertion(server, client_id, new_key("RSA"), kid), client_id)


def test_unknown_kid(server, rsa_client):
    client_id, key, _ = rsa_client
    refuse(server, make_assertion(server, client_id, key, "not-registered"), client_id)


def test_alg_none(server, rsa_client):
    client_id, _, _ = rsa_client
    unsigned = b64url({"alg": "none"}) + "." + b64url(claims_for(client_id, aud=server.issuer)) + "."
    refuse(server, unsigned, client_id)


def test_hs256_with_the_public_key_as_secret(server, rsa_client):
    client_id, key, kid = rsa_client
    signing_input = b64url({"alg": "HS256", "typ": "JWT", "kid": kid}) + "." + b64url(claims_for(client_id, aud=server.issuer))
    mac = hmac.new(public_pem(key), signing_input.encode(), hashlib.sha256).digest()
    refuse(server, signing_input + "." + b64url(mac), client_id)


def test_crit_header(server, rsa_client):
    client_id, key, kid = rsa_client
    headers = {"crit": ["urn:example:must-understand"], "urn:example:must-understand": True}
    refuse(server, make_assertion(server, client_id, key, kid, headers=headers), client_id)


def test_tampered_payload(server, rsa_client):
    client_id, key, kid = rsa_client
    header, _, signature = make_assertion(server, client_id, key, kid).split(".")
    forged = b64url(claims_for(client_id, aud=server.issuer))
    refuse(server, ".".join([header, forged, signature]), client_id)


# --- 4. one method per client -----------------------------------------------------------------

def test_secret_agent_presenting_an_assertion(server):
    client_id, _, _ = server.create_agent(name="secret-agent")
    refuse(server, make_assertion(server, client_id, new_key("RSA"), "k1"), client_id)


def test_pkjwt_agent_presenting_a_secret(server, rsa_client):
    client_id, _, _ = rsa_client
    basic = requests.post(token_url(server), data={"grant_type": "client_credentials"}, auth=(client_id, "cs_guess"))
    assert_invalid_client(basic)
    posted = requests.post(token_url(server), data={"grant_type": "client_credentials", "client_id": client_id,
                                                     "client_secret": "cs_guess"})
    assert_invalid_client(posted)


def test_basic_and_assertion_together(server, rsa_client):
    client_id, key, kid = rsa_client
    reply = token_request(server, make_assertion(server, client_id, key, kid), auth=(client_id, "cs_guess"))
    assert reply.status_code == 400, reply.text
    assert reply.json()["error"] == "invalid_request"
    secret_id, secret, _ = server.create_agent(name="secret-and-assertion")
    reply = token_request(server, make_assertion(server, secret_id, key, kid), auth=(secret_id, secret))
    assert reply.status_code == 400, reply.text
    assert reply.json()["error"] == "invalid_request"


# --- 5. registration --------------------------------------------------------------------------

def test_created_agent_has_no_secret_and_shows_its_keys(server):
    key = new_key("EC")
    client_id, agent_id, data = create_pkjwt_agent(server, jwks((key, "ec-1")), name="shown")
    assert not data.get("client_secret")
    agent = requests.get(server.base + f"/api/agents/{agent_id}", headers=admin_headers(server)).json()["agent"]
    assert agent["client_id"] == client_id
    assert agent["token_endpoint_auth_method"] == "private_key_jwt"
    assert [jwk["kid"] for jwk in agent["jwks"]["keys"]] == ["ec-1"]
    assert "d" not in agent["jwks"]["keys"][0]
    _, _, secret_agent = server.create_agent(name="ordinary")
    ordinary = requests.get(server.base + f"/api/agents/{secret_agent}", headers=admin_headers(server)).json()["agent"]
    assert ordinary["token_endpoint_auth_method"] == "client_secret_basic"


def assert_refused_field(reply, field):
    assert reply.status_code == 400, (reply.status_code, reply.text)
    assert reply.json().get("field") == field, reply.text


def test_private_members_are_refused(server):
    private = to_jwk(new_key("EC"), "leaky")
    assert "d" in private
    assert_refused_field(post_agent(server, token_endpoint_auth_method="private_key_jwt", jwks={"keys": [private]}), "jwks")
    rsa_private = to_jwk(new_key("RSA"), "leaky-rsa")
    assert_refused_field(post_agent(server, token_endpoint_auth_method="private_key_jwt", jwks={"keys": [rsa_private]}), "jwks")


def test_method_without_jwks_is_refused(server):
    assert_refused_field(post_agent(server, token_endpoint_auth_method="private_key_jwt"), "jwks")


def test_key_without_kid_is_refused(server):
    assert_refused_field(post_agent(server, token_endpoint_auth_method="private_key_jwt",
                                    jwks={"keys": [public_jwk(new_key("RSA"), None)]}), "jwks")


# --- 6. rotation ------------------------------------------------------------------------------

def test_rotation_through_patch(server):
    old, new = new_key("RSA"), new_key("EC")
    client_id, agent_id, _ = create_pkjwt_agent(server, jwks((old, "old")), name="rotating")
    assert token_request(server, make_assertion(server, client_id, old, "old")).status_code == 200
    patched = requests.patch(server.base + f"/api/agents/{agent_id}", json={"jwks": jwks((new, "new"))},
                             headers=admin_headers(server))
    assert patched.status_code == 200, patched.text
    refuse(server, make_assertion(server, client_id, old, "old"), client_id)
    refuse(server, make_assertion(server, client_id, old, "new"), client_id)
    reply = token_request(server, make_assertion(server, client_id, new, "new", alg="ES256"))
    assert reply.status_code == 200, reply.text


# --- 7. metadata ------------------------------------------------------------------------------

def test_metadata_advertises_private_key_jwt(server):
    metadata = requests.get(server.base + "/.well-known/oauth-authorization-server").json()
    assert "private_key_jwt" in metadata["token_endpoint_auth_methods_supported"]
    algorithms = metadata["token_endpoint_auth_signing_alg_values_supported"]
    # RFC 8414 gives the order no meaning; the server sorts by code point ("ES256" before "EdDSA").
    assert sorted(algorithms) == sorted(["EdDSA", "ES256", "PS256", "RS256"]) and len(algorithms) == 4
    assert "none" not in algorithms and "HS256" not in algorithms


# --- 8. introspection and revocation ----------------------------------------------------------

def test_introspection_with_authlib_private_key_jwt(server):
    key = new_key("RSA")
    client_id, _, _ = create_pkjwt_agent(server, jwks((key, "intro")), name="introspecting")
    session = authlib_session(server, client_id, key, "intro", "RS256")
    token = session.fetch_token(token_url(server), grant_type="client_credentials")
    reply = session.introspect_token(server.base + "/oauth/introspect", token=token["access_token"])
    assert reply.status_code == 200, reply.text
    introspected = reply.json()
    assert introspected["active"] is True and introspected["client_id"] == client_id


def test_revocation_with_assertion(server, rsa_client):
    client_id, key, kid = rsa_client
    access_token = token_request(server, make_assertion(server, client_id, key, kid)).json()["access_token"]

    def call(path, **form):
        form.update(client_assertion_type=ASSERTION_TYPE, client_assertion=make_assertion(server, client_id, key, kid))
        return requests.post(server.base + path, data=form)

    revoked = call("/oauth/revoke", token=access_token, token_type_hint="access_token")
    assert revoked.status_code == 200, revoked.text
    after = call("/oauth/introspect", token=access_token)
    assert after.status_code == 200 and after.json() == {"active": False}, after.text
    refused = requests.post(server.base + "/oauth/introspect", data={
        "token": access_token, "client_id": client_id, "client_assertion_type": ASSERTION_TYPE,
        "client_assertion": make_assertion(server, client_id, key, kid, aud="https://elsewhere.example")})
    assert_invalid_client(refused)


def test_failures_count_against_the_assertions_client_not_a_shared_bucket(server, rsa_client):
    """The failure limiter keys on the client an assertion claims (its sub): ten bad assertions
    for one client from this address leave another client's assertion-only requests alone."""
    victim_id, victim_key, victim_kid = rsa_client
    attacker_key = new_key("RSA")
    attacker_id, _, _ = create_pkjwt_agent(server, jwks((attacker_key, "a-1")), name="pkjwt-attacker")
    for _ in range(12):
        reply = token_request(server, make_assertion(server, attacker_id, attacker_key, "unknown-kid"))
        assert reply.status_code in (401, 429), reply.text
    assert reply.status_code == 429, "the guesser is slowed down"
    good = token_request(server, make_assertion(server, victim_id, victim_key, victim_kid))
    assert good.status_code == 200, good.text



def test_changing_credentials_ends_what_the_old_ones_obtained(server):
    """A secret agent moved to private_key_jwt loses its secret and the tokens it got with it; moved
    back (no need to send "jwks": null) it has neither keys nor secret until a rotation gives one."""
    client_id, secret, agent_id = server.create_agent(name="switching")
    old = requests.post(token_url(server), data={"grant_type": "client_credentials"}, auth=(client_id, secret)).json()["access_token"]
    me = lambda token: requests.get(server.base + "/api/agents/me", headers={"Authorization": "Bearer " + token}).status_code
    assert me(old) == 200
    key = new_key("EC")
    patched = requests.patch(server.base + f"/api/agents/{agent_id}", headers=admin_headers(server),
                             json={"token_endpoint_auth_method": "private_key_jwt", "jwks": jwks((key, "k"))})
    assert patched.status_code == 200 and patched.json()["agent"]["token_endpoint_auth_method"] == "private_key_jwt", patched.text
    assert me(old) == 401, "a token obtained with the old secret stops working"
    assert requests.post(token_url(server), data={"grant_type": "client_credentials"}, auth=(client_id, secret)).status_code == 401
    assert token_request(server, make_assertion(server, client_id, key, "k", alg="ES256")).status_code == 200
    rotate = requests.post(server.base + f"/api/agents/{agent_id}/rotate", headers=admin_headers(server))
    assert rotate.status_code == 400 and rotate.json()["field"] == "token_endpoint_auth_method", rotate.text
    back = requests.patch(server.base + f"/api/agents/{agent_id}", headers=admin_headers(server),
                          json={"token_endpoint_auth_method": "client_secret_basic"})
    assert back.status_code == 200 and back.json()["agent"]["jwks"] is None, back.text
    refuse(server, make_assertion(server, client_id, key, "k", alg="ES256"), client_id)
    fresh = requests.post(server.base + f"/api/agents/{agent_id}/rotate", headers=admin_headers(server)).json()["client_secret"]
    assert requests.post(token_url(server), data={"grant_type": "client_credentials"}, auth=(client_id, fresh)).status_code == 200


def test_audience_lists_naming_another_party_are_refused(server, rsa_client):
    client_id, key, kid = rsa_client
    refuse(server, make_assertion(server, client_id, key, kid, aud=[server.issuer, "https://other.example"]), client_id)


# --- jwks_uri: keys the client publishes itself -------------------------------------------------

class KeySetHost:
    """A loopback HTTP server publishing a client's JWK Set, counting fetches."""

    def __init__(self):
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
        self.document = {"keys": []}
        self.fetches = 0
        self.available = True
        host = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                host.fetches += 1
                if not host.available or self.path != "/jwks.json":
                    self.send_response(503)
                    self.end_headers()
                    return
                body = json.dumps(host.document).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/jwks.json"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()


@pytest.fixture(scope="module")
def insecure_server():
    """A server that may fetch http URLs on loopback (ALLOW_INSECURE_ISSUERS: development and tests only)."""
    from conftest import Server
    instance = Server({"ALLOW_INSECURE_ISSUERS": "true"})
    yield instance
    instance.stop()


@pytest.mark.parametrize("alg", ["RS256", "ES256"])
def test_authlib_with_keys_at_jwks_uri(insecure_server, alg):
    server, host = insecure_server, KeySetHost()
    key = new_key(KEY_KIND[alg])
    kid = f"published-{alg.lower()}"
    host.document = jwks((key, kid))
    reply = post_agent(server, token_endpoint_auth_method="private_key_jwt", jwks_uri=host.url, name=f"published-{alg}")
    assert reply.status_code == 201, reply.text
    client_id = reply.json()["client_id"]
    assert reply.json()["agent"]["jwks_uri"] == host.url and reply.json()["agent"]["jwks"] is None
    session = authlib_session(server, client_id, key, kid, alg)
    for _ in range(3):
        token = session.fetch_token(token_url(server), grant_type="client_credentials", scope="read")
        assert verify(server, token["access_token"])["sub"] == client_id
    assert host.fetches == 1, "the key set is cached"
    # A key the set does not hold is refused like any wrong key.
    other = new_key(KEY_KIND[alg])
    refuse(server, make_assertion(server, client_id, other, "not-published", alg=alg), client_id)


def test_unreachable_jwks_uri_is_refused_as_invalid_client(insecure_server):
    server, host = insecure_server, KeySetHost()
    host.available = False
    key = new_key("EC")
    reply = post_agent(server, token_endpoint_auth_method="private_key_jwt", jwks_uri=host.url, name="unreachable")
    client_id = reply.json()["client_id"]
    refuse(server, make_assertion(server, client_id, key, "k", alg="ES256"), client_id)


def test_jwks_uri_registration_rules(server, insecure_server):
    # https only without the development switch; never both sources; only with private_key_jwt.
    assert_refused_field(post_agent(server, token_endpoint_auth_method="private_key_jwt", jwks_uri="http://keys.example/jwks.json"), "jwks_uri")
    key_set = jwks((new_key("EC"), "k"))
    assert_refused_field(
        post_agent(server, token_endpoint_auth_method="private_key_jwt", jwks=key_set, jwks_uri="https://keys.example/jwks.json"), "jwks_uri")
    assert_refused_field(post_agent(server, jwks_uri="https://keys.example/jwks.json"), "jwks_uri")
    for bad in ("https://user@keys.example/jwks.json", "https://keys.example/jwks.json#frag", "not a url", "https://"):
        assert_refused_field(post_agent(server, token_endpoint_auth_method="private_key_jwt", jwks_uri=bad), "jwks_uri")
    # Moving from inline keys to a published set replaces them, and ends what the old keys obtained.
    client_id, agent_id, _ = create_pkjwt_agent(server, key_set, name="moving")
    patched = requests.patch(server.base + f"/api/agents/{agent_id}", json={"jwks_uri": "https://keys.example/jwks.json"},
                             headers=admin_headers(server))
    assert patched.status_code == 200, patched.text
    agent = patched.json().get("agent", patched.json())
    assert agent["jwks_uri"] == "https://keys.example/jwks.json" and agent["jwks"] is None


def test_jwks_uri_at_an_internal_address_is_not_fetched(server):
    # Without the development switch the SSRF guard refuses loopback targets, even over https.
    host = KeySetHost()
    key = new_key("EC")
    url = host.url.replace("http://", "https://")
    reply = post_agent(server, token_endpoint_auth_method="private_key_jwt", jwks_uri=url, name="internal")
    assert reply.status_code == 201, reply.text
    client_id = reply.json()["client_id"]
    refuse(server, make_assertion(server, client_id, key, "k", alg="ES256"), client_id)
    assert host.fetches == 0
