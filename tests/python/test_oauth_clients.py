"""Standard OAuth 2.0 client libraries against a running MachineAuth, without special handling."""
import os

import jwt
import pytest
import requests
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.requests_client import OAuth2Session
from jwt import PyJWKClient
from oauthlib.oauth2 import BackendApplicationClient
from requests_oauthlib import OAuth2Session as OAuthlibSession


# The test server speaks plain HTTP on loopback; requests-oauthlib refuses that unless told.
os.environ["OAUTHLIB_INSECURE_TRANSPORT"] = "1"


def token_url(server):
    return server.base + "/oauth/token"


def verify(server, access_token, algorithms=("RS256", "ES256", "EdDSA")):
    """Verifies a token the way a resource server would: keys from the JWKS, iss/aud/exp checked."""
    signing_key = PyJWKClient(server.base + "/.well-known/jwks.json").get_signing_key_from_jwt(access_token)
    return jwt.decode(access_token, signing_key.key, algorithms=list(algorithms), audience=server.issuer, issuer=server.issuer)


@pytest.mark.parametrize("method", ["client_secret_basic", "client_secret_post"])
def test_authlib_client_credentials_and_jwks(server, method):
    client_id, secret, agent_id = server.create_agent()
    session = OAuth2Session(client_id, secret, token_endpoint_auth_method=method, scope="read")
    token = session.fetch_token(token_url(server), grant_type="client_credentials")
    assert token["token_type"] == "Bearer"
    assert token["scope"] == "read"
    claims = verify(server, token["access_token"])
    assert claims["sub"] == client_id and claims["client_id"] == client_id and claims["agent_id"] == agent_id
    assert jwt.get_unverified_header(token["access_token"])["typ"] == "at+jwt"


def test_requests_oauthlib_backend_application(server):
    client_id, secret, _ = server.create_agent()
    session = OAuthlibSession(client=BackendApplicationClient(client_id=client_id))
    token = session.fetch_token(token_url=token_url(server), client_id=client_id, client_secret=secret)
    assert verify(server, token["access_token"])["scope"] == "read write"
    me = session.get(server.base + "/api/agents/me")
    assert me.status_code == 200 and me.json()["agent"]["client_id"] == client_id


def test_default_config_issues_no_refresh_token_with_client_credentials(server):
    client_id, secret, _ = server.create_agent()
    token = OAuth2Session(client_id, secret).fetch_token(token_url(server), grant_type="client_credentials")
    assert "refresh_token" not in token, "RFC 6749 §4.4.3"


def test_introspect_refresh_revoke_with_authlib(server_factory):
    # The compatibility switch for clients of the original project, which expect a refresh token.
    server = server_factory(REFRESH_TOKENS_FOR_CLIENT_CREDENTIALS="true")
    client_id, secret, _ = server.create_agent()
    session = OAuth2Session(client_id, secret)
    token = session.fetch_token(token_url(server), grant_type="client_credentials")
    introspected = session.introspect_token(server.base + "/oauth/introspect", token=token["access_token"]).json()
    assert introspected["active"] is True and introspected["client_id"] == client_id

    refreshed = session.refresh_token(token_url(server), refresh_token=token["refresh_token"])
    assert refreshed["refresh_token"] != token["refresh_token"]
    verify(server, refreshed["access_token"])

    session.revoke_token(server.base + "/oauth/revoke", token=refreshed["access_token"], token_type_hint="access_token")
    after = session.introspect_token(server.base + "/oauth/introspect", token=refreshed["access_token"]).json()
    assert after == {"active": False}
    with pytest.raises(OAuthError) as replay:
        session.refresh_token(token_url(server), refresh_token=token["refresh_token"])
    assert replay.value.error == "invalid_grant"


def fetch_error(server, client_id, secret, method="client_secret_basic", **params):
    session = OAuth2Session(client_id, secret, token_endpoint_auth_method=method)
    with pytest.raises(OAuthError) as failure:
        session.fetch_token(token_url(server), **params)
    return failure.value.error


def test_error_codes_as_clients_see_them(server):
    client_id, secret, _ = server.create_agent()
    assert fetch_error(server, client_id, "cs_wrong", grant_type="client_credentials") == "invalid_client"
    assert fetch_error(server, client_id, "cs_wrong", method="client_secret_post", grant_type="client_credentials") == "invalid_client"
    assert fetch_error(server, client_id, secret, grant_type="client_credentials", scope="admin") == "invalid_scope"
    assert fetch_error(server, client_id, secret, grant_type="password", username="u", password="p") == "unsupported_grant_type"
    assert fetch_error(server, client_id, secret, grant_type="refresh_token", refresh_token="rt_unknown") == "invalid_grant"
    assert fetch_error(server, client_id, secret, grant_type="client_credentials", resource="relative/path") == "invalid_target"
    restricted_id, restricted_secret, _ = server.create_agent(name="no-cc", grant_types=["refresh_token"])
    assert fetch_error(server, restricted_id, restricted_secret, grant_type="client_credentials") == "unauthorized_client"
    raw = requests.post(token_url(server), data={"client_id": client_id, "client_secret": secret})
    assert raw.status_code == 400 and raw.json()["error"] == "invalid_request"
    basic = requests.post(token_url(server), data={"grant_type": "client_credentials"}, auth=(client_id, "cs_wrong"))
    assert basic.status_code == 401 and basic.headers["WWW-Authenticate"].startswith("Basic")


def test_key_rotation_keeps_old_tokens_verifiable(server):
    client_id, secret, _ = server.create_agent()
    session = OAuth2Session(client_id, secret)
    before = session.fetch_token(token_url(server), grant_type="client_credentials")["access_token"]
    rotated = requests.post(server.base + "/api/keys/rotate", headers={"Authorization": "Bearer " + server.admin_token()})
    assert rotated.status_code == 200
    after = session.fetch_token(token_url(server), grant_type="client_credentials")["access_token"]
    assert jwt.get_unverified_header(after)["kid"] == rotated.json()["active_kid"]
    assert jwt.get_unverified_header(before)["kid"] != jwt.get_unverified_header(after)["kid"]
    verify(server, before)
    verify(server, after)


@pytest.mark.parametrize("algorithm", ["ES256", "EdDSA"])
def test_other_algorithms_verify_with_pyjwt(server_factory, algorithm):
    server = server_factory(JWT_SIGNING_ALGORITHM=algorithm)
    client_id, secret, _ = server.create_agent()
    token = OAuth2Session(client_id, secret).fetch_token(token_url(server), grant_type="client_credentials")
    assert jwt.get_unverified_header(token["access_token"])["alg"] == algorithm
    assert verify(server, token["access_token"], algorithms=[algorithm])["client_id"] == client_id


def test_metadata_is_rfc8414(server):
    metadata = requests.get(server.base + "/.well-known/oauth-authorization-server").json()
    assert metadata["issuer"] == server.issuer
    for key in ("token_endpoint", "jwks_uri", "introspection_endpoint", "revocation_endpoint", "grant_types_supported",
                "token_endpoint_auth_methods_supported", "response_types_supported"):
        assert key in metadata
    assert requests.get(server.base + "/.well-known/openid-configuration").json()["issuer"] == server.issuer
