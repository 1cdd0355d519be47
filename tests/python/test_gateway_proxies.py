"""MachineAuth behind real nginx (auth_request) and real Caddy (forward_auth), using the example
configs from config/examples/proxies/ with only their ports changed, in front of an upstream
that echoes the headers it receives."""
import time

import pytest
import requests

from gateway_stack import get, proxy, stack, token  # noqa: F401  (pytest fixtures and helpers, shared with test_gateway_spoofing.py)


def test_valid_token_passes_and_upstream_sees_identity(proxy):
    _, base, server = proxy
    access, client_id, agent_id = token(server)
    reply = get(base, "/v1/reports/daily", access)
    assert reply.status_code == 200, reply.text
    seen = reply.json()["headers"]
    assert seen["x-agent-id"] == agent_id
    assert seen["x-client-id"] == client_id
    assert seen["x-scopes"] == "read"
    assert seen["x-auth-request-user"] == client_id


def test_identity_headers_cannot_be_forged(proxy):
    _, base, server = proxy
    access, _, agent_id = token(server)
    reply = requests.get(base + "/v1/reports/x", headers={"Host": "api.example.com", "Authorization": "Bearer " + access, "X-Agent-Id": "forged"})
    assert reply.json()["headers"]["x-agent-id"] == agent_id


def challenge(reply):
    return reply.headers.get("WWW-Authenticate", "")


@pytest.mark.parametrize("credential", [None, "not-a-jwt", "eyJhbGciOiJSUzI1NiJ9.e30.c2ln"])
def test_missing_and_malformed_tokens_get_401_with_challenge(proxy, credential):
    _, base, _ = proxy
    reply = get(base, "/v1/reports/daily", credential)
    assert reply.status_code == 401
    assert 'Bearer' in challenge(reply) and 'error="invalid_token"' in challenge(reply)
    assert 'resource_metadata="https://api.example.com/.well-known/oauth-protected-resource"' in challenge(reply)


def test_revoked_token_gets_401(proxy):
    _, base, server = proxy
    access, _, _ = token(server)
    assert get(base, "/v1/reports/x", access).status_code == 200
    revoke = requests.post(server.base + "/oauth/revoke", data={"token": access}, headers={"Authorization": "Bearer " + server.admin_token()})
    assert revoke.status_code == 200
    assert get(base, "/v1/reports/x", access).status_code == 401


def test_expired_token_gets_401(proxy):
    _, base, server = proxy
    access, _, _ = token(server)
    time.sleep(5)
    reply = get(base, "/v1/reports/x", access)
    assert reply.status_code == 401 and 'error="invalid_token"' in challenge(reply)


def test_wrong_audience_gets_401_and_right_audience_passes(proxy):
    _, base, server = proxy
    default_audience, _, _ = token(server)
    assert get(base, "/v1/orders/1", default_audience).status_code == 401
    right, _, _ = token(server, resource="https://api.example.com")
    assert get(base, "/v1/orders/1", right).status_code == 200


def test_insufficient_scope_gets_403_with_scope(proxy):
    _, base, server = proxy
    access, _, _ = token(server, scopes=("read",))
    reply = get(base, "/v1/admin/users", access)
    assert reply.status_code == 403
    assert 'error="insufficient_scope"' in challenge(reply) and 'scope="admin"' in challenge(reply)
    admin, _, _ = token(server, scopes=("admin",))
    assert get(base, "/v1/admin/users", admin).status_code == 200


def test_anonymous_rule_passes_without_token(proxy):
    _, base, _ = proxy
    reply = get(base, "/public/docs")
    # No identity reaches the upstream (Caddy 2.6 copy_headers sends absent headers as empty values).
    assert reply.status_code == 200 and not reply.json()["headers"].get("x-agent-id")


def test_host_method_and_unmatched_requests_are_denied(proxy):
    _, base, server = proxy
    access, _, _ = token(server)
    assert get(base, "/v1/reports/x", access, host="other.example.com").status_code == 403
    assert requests.delete(base + "/v1/reports/x", headers={"Host": "api.example.com", "Authorization": "Bearer " + access}).status_code == 403
    assert get(base, "/internal/secrets", access).status_code == 403


def test_path_traversal_cannot_borrow_an_anonymous_rule(proxy):
    _, base, _ = proxy
    session = requests.Session()
    prepared = requests.Request("GET", base + "/public/%2e%2e/v1/admin/users", headers={"Host": "api.example.com"}).prepare()
    prepared.url = base + "/public/%2e%2e/v1/admin/users"
    reply = session.send(prepared, allow_redirects=False)
    assert reply.status_code in (400, 401, 403), reply.status_code


def test_never_a_redirect(proxy):
    _, base, _ = proxy
    for path in ["/v1/reports/x", "/v1/admin/x", "/nowhere"]:
        assert get(base, path).status_code not in (301, 302, 303, 307, 308)


def test_protected_resource_metadata_through_the_proxy(proxy):
    _, base, server = proxy
    reply = get(base, "/.well-known/oauth-protected-resource")
    assert reply.status_code == 200, reply.text
    document = reply.json()
    assert document["resource"] == "https://api.example.com"
    assert document["authorization_servers"] == [server.issuer]
