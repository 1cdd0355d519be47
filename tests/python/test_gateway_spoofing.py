"""Spoofed forward-auth headers and confusable paths, sent by a client to REAL nginx and REAL Caddy
(config/examples/proxies/, ports changed only) in front of one MachineAuth running
config/examples/gateway.yaml (gateway.dialect and gateway.ambiguous_paths left at their defaults:
auto and deny). Every refused request is also checked at the echo upstream: it must never arrive.

Requests are written with http.client so the request target goes out byte for byte (requests and
urllib3 would re-quote it)."""
import http.client
import json
from urllib.parse import urlsplit

import pytest

from gateway_stack import proxy, stack, token  # noqa: F401  (pytest fixtures and helpers, shared with test_gateway_proxies.py)

HOST = "api.example.com"
PROTECTED = "/v1/admin/secret"        # gateway.yaml: /v1/admin/** requires the admin scope
ANONYMOUS = "/public/x"               # gateway.yaml: /public/** allows anonymous requests


class Reply:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def __repr__(self):
        return f"{self.status} {self.body[:300]!r}"


def send(base, method, target, access_token=None, headers=(), host=HOST, connection=None):
    """One request with `target` written into the request line exactly as given; `headers` is a
    list of (name, value) so a header may be sent twice."""
    parts = urlsplit(base)
    conn = connection or http.client.HTTPConnection(parts.hostname, parts.port, timeout=15)
    try:
        conn.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
        conn.putheader("Host", host)
        if access_token:
            conn.putheader("Authorization", "Bearer " + access_token)
        for name, value in headers:
            conn.putheader(name, value)
        if connection is None:
            conn.putheader("Connection", "close")
        conn.endheaders()
        response = conn.getresponse()
        return Reply(response.status, response.headers, response.read())
    finally:
        if connection is None:
            conn.close()


LABELS = {"none": "no token", "read": "a read token (lacks admin)", "admin": "an admin token"}


def credentials(server, kinds):
    """Fresh tokens (the stack's tokens live 4 seconds) for each kind: none, read (lacks admin), admin."""
    minted = {}
    for kind in kinds:
        minted[kind] = None if kind == "none" else token(server, scopes=(kind,), name=f"spoof-{kind}")[0]
    return minted


def assert_refused_and_unseen(kind, stack, method, target, send_it, note="", statuses=None):
    """`send_it()` is refused (a 4xx, from MachineAuth or the proxy itself) and the upstream never sees it."""
    before = len(stack.received)
    reply = send_it()
    reached = stack.received[before:]
    described = f"{kind}: {method} {target!r}{note}"
    assert 400 <= reply.status < 500, f"{described} was not refused: {reply!r}"
    if statuses:
        assert reply.status in statuses, f"{described} answered {reply.status}, expected one of {statuses}: {reply!r}"
    assert not reached, f"{described} reached the upstream as {reached} (answer {reply!r})"
    return reply


# --- 1. forward-auth headers a client sends itself ---------------------------------------------

# The header families a client might send to borrow the anonymous rule. The cross cases are the
# attacks (nginx's family to Caddy, Caddy's to nginx): the proxy does not overwrite them, so only
# MachineAuth's dialect rules stand between them and the upstream. The same-family cases check that
# the proxy's own value wins; the underscore spellings check no header-name folding is trusted.
SPOOFS = {
    "nginx family (X-Original-URI/-Method)": [("X-Original-URI", ANONYMOUS), ("X-Original-Method", "GET")],
    "Caddy/Traefik family (X-Forwarded-Uri/-Method)": [("X-Forwarded-Uri", ANONYMOUS), ("X-Forwarded-Method", "GET")],
    "X-Original-URI only": [("X-Original-URI", ANONYMOUS)],
    "X-Forwarded-Uri only": [("X-Forwarded-Uri", ANONYMOUS)],
    "both families": [("X-Original-URI", ANONYMOUS), ("X-Original-Method", "GET"),
                      ("X-Forwarded-Uri", ANONYMOUS), ("X-Forwarded-Method", "GET")],
    "each URI header twice": [("X-Original-URI", ANONYMOUS), ("X-Original-URI", ANONYMOUS),
                              ("X-Forwarded-Uri", ANONYMOUS), ("X-Forwarded-Uri", ANONYMOUS)],
    "underscore spellings": [("X_Original_URI", ANONYMOUS), ("X_Forwarded_Uri", ANONYMOUS)],
}


@pytest.mark.parametrize("credential", ["none", "read"])
@pytest.mark.parametrize("spoof", list(SPOOFS))
def test_client_sent_forward_auth_uri_cannot_borrow_the_anonymous_rule(proxy, stack, spoof, credential):
    kind, base, server = proxy
    access = credentials(server, [credential])[credential]
    note = f" with {spoof} = {ANONYMOUS} and {LABELS[credential]}"
    assert_refused_and_unseen(kind, stack, "GET", PROTECTED, lambda: send(base, "GET", PROTECTED, access, SPOOFS[spoof]),
                              note, statuses=(401, 403))


@pytest.mark.parametrize("target", ["/PUBLIC/x", "/Public/x"])
def test_client_sent_uri_differing_only_in_case_is_not_believed(proxy, stack, target):
    # Rules match paths case-sensitively, so /PUBLIC/x matches no rule and gateway.yaml's
    # unmatched: deny refuses it. A client-sent forward-auth URI equal to the real one but for
    # case (/public/x) must not be what MachineAuth judges. Both families are sent; the proxy
    # overwrites its own, so the other proxy's family is what remains.
    kind, base, _ = proxy
    spoof = [("X-Original-URI", ANONYMOUS), ("X-Forwarded-Uri", ANONYMOUS)]
    assert_refused_and_unseen(kind, stack, "GET", target, lambda: send(base, "GET", target, None, spoof),
                              f" with X-Original-URI and X-Forwarded-Uri: {ANONYMOUS} and no token", statuses=(401, 403))


@pytest.mark.parametrize("spoof", [
    [("X-Original-Method", "GET")],
    [("X-Forwarded-Method", "GET")],
    [("X-Original-Method", "GET"), ("X-Forwarded-Method", "GET")],
])
def test_client_sent_forward_auth_method_cannot_borrow_a_method_rule(proxy, stack, spoof):
    # /v1/reports/** allows GET and HEAD only; DELETE with a read token is refused (403).
    kind, base, server = proxy
    access = credentials(server, ["read"])["read"]
    target = "/v1/reports/x"
    note = " with " + ", ".join(f"{name}: {value}" for name, value in spoof) + " and a read token"
    assert_refused_and_unseen(kind, stack, "DELETE", target, lambda: send(base, "DELETE", target, access, spoof),
                              note, statuses=(403,))


def test_client_sent_forwarded_host_cannot_borrow_a_host_rule(proxy, stack):
    # /v1/reports/** is only for Host api.example.com; the proxy's view of the host must win.
    kind, base, server = proxy
    access = credentials(server, ["read"])["read"]
    target = "/v1/reports/x"
    spoof = [("X-Forwarded-Host", HOST)]
    assert_refused_and_unseen(kind, stack, "GET", target,
                              lambda: send(base, "GET", target, access, spoof, host="other.example.com"),
                              f" with Host other.example.com and X-Forwarded-Host: {HOST}", statuses=(403,))


# --- 2. paths that could be read more than one way ---------------------------------------------

CONFUSING_PATHS = [
    "/v1/admin/x%ff",                       # invalid UTF-8 after decoding
    "/v1/admin/%2e%2e/%2e%2e/public/x",     # encoded dot segments climbing into /public
    "/public/..%2f..%2fv1/admin/x",         # encoded slash hiding dot segments
    "/v1/admin;x=1/secret",                 # ; parameter (Tomcat/Spring strip it)
    "/public/%5c..%5cv1/admin",             # encoded backslash (IIS/Windows read it as /)
    "/public%2f..%2fv1%2fadmin",            # one segment that decodes to a traversal
    "/public/%252e%252e/v1/admin",          # double encoding (decoded twice by some upstreams)
    # further spellings of the same ideas
    "/public/%2e%2e/v1/admin/x",            # encoded ..
    "/public/.%2e/v1/admin/x",              # half-encoded ..
    "/public/%2e/../v1/admin/x",            # encoded . beside a raw ..
    "/public/../v1/admin/x",                # raw .. (proxies may resolve it; MachineAuth sees it raw)
    "/public/x/../../v1/admin/x",           # raw .. twice
    "/public/\\..\\v1/admin/x",             # raw backslash
    "/v1/admin/x%00",                       # encoded NUL
    "/v1/admin/x%0d%0aX-Agent-Id:%20forged",  # encoded CR LF
    "/public/%2e%2e%2fv1%2fadmin%2fx",      # everything encoded
    "/public/;/../v1/admin/x",              # ; segment beside a raw ..
    "/public/..;/v1/admin/x",               # Tomcat's ..; traversal
    "/public/%2E%2E/v1/admin/x",            # upper-case hex
    "/public/%c0%ae%c0%ae/v1/admin/x",      # overlong UTF-8 for .. (invalid UTF-8)
    "/public/%u002e%u002e/v1/admin/x",      # IIS %u escapes (invalid escape)
    "//public/../v1/admin/x",               # empty segment before a raw ..
    "/public/x%09",                         # encoded tab
    "/public/x#/../../v1/admin/x",          # a fragment in the request line
]


@pytest.mark.parametrize("credential", ["none", "read", "admin"])
@pytest.mark.parametrize("target", CONFUSING_PATHS)
def test_confusing_paths_are_refused_and_never_reach_the_upstream(proxy, stack, target, credential):
    # Refused without a token and with a token lacking the admin scope, and also with an admin
    # token: gateway.ambiguous_paths defaults to deny, so even the scope does not make such a path
    # pass (a server guessing a reading would let the admin token through, and some of these
    # through anonymously via /public/**).
    kind, base, server = proxy
    access = credentials(server, [credential])[credential]
    assert_refused_and_unseen(kind, stack, "GET", target, lambda: send(base, "GET", target, access),
                              f" with {LABELS[credential]}")


def test_requests_go_out_byte_for_byte(proxy, stack):
    # The harness itself: an escaped but unambiguous path reaches the upstream exactly as written,
    # so the refusals above are about the paths as sent, not about a client that rewrote them.
    kind, base, _ = proxy
    target = "/public/a%41b/c~d?q=%2e%2e"
    before = len(stack.received)
    reply = send(base, "GET", target)
    assert reply.status == 200, f"{kind}: GET {target!r} answered {reply!r}"
    assert stack.received[before:] == [("GET", target)], f"{kind}: GET {target!r} reached the upstream as {stack.received[before:]}"


# --- 3. legitimate requests still work after all of the above ----------------------------------

def test_legitimate_requests_pass_after_spoof_attempts(proxy, stack):
    kind, base, server = proxy
    access, client_id, agent_id = token(server, scopes=("admin",), name="spoof-legit")
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=15)   # one keep-alive connection
    try:
        # Spoof attempts first, on the same connection as the legitimate requests that follow.
        for spoof in SPOOFS.values():
            assert_refused_and_unseen(kind, stack, "GET", PROTECTED, lambda: send(base, "GET", PROTECTED, None, spoof, connection=connection))
        for target in CONFUSING_PATHS[:7]:
            # A proxy that answers 400 itself may close the connection; use a fresh one for those.
            assert_refused_and_unseen(kind, stack, "GET", target, lambda: send(base, "GET", target, access))

        before = len(stack.received)
        reply = send(base, "GET", PROTECTED, access, connection=connection)
        assert reply.status == 200, f"{kind}: GET {PROTECTED} with an admin token answered {reply!r}"
        assert stack.received[before:] == [("GET", PROTECTED)], f"{kind}: GET {PROTECTED} reached the upstream as {stack.received[before:]}"
        seen = json.loads(reply.body)["headers"]
        assert seen.get("x-agent-id") == agent_id, f"{kind}: GET {PROTECTED}: upstream saw {seen}"
        assert seen.get("x-client-id") == client_id, f"{kind}: GET {PROTECTED}: upstream saw {seen}"
        assert seen.get("x-auth-request-user") == client_id, f"{kind}: GET {PROTECTED}: upstream saw {seen}"
        assert seen.get("x-scopes") == "admin", f"{kind}: GET {PROTECTED}: upstream saw {seen}"

        # Identity headers a client sends are replaced by the token's.
        before = len(stack.received)
        reply = send(base, "GET", PROTECTED, access, [("X-Agent-Id", "forged")], connection=connection)
        assert reply.status == 200, f"{kind}: GET {PROTECTED} with an admin token and X-Agent-Id: forged answered {reply!r}"
        seen = json.loads(reply.body)["headers"]
        assert seen.get("x-agent-id") == agent_id, f"{kind}: GET {PROTECTED}: forged X-Agent-Id reached the upstream: {seen}"
        assert stack.received[before:] == [("GET", PROTECTED)], f"{kind}: GET {PROTECTED} reached the upstream as {stack.received[before:]}"

        before = len(stack.received)
        reply = send(base, "GET", "/public/ping", connection=connection)
        assert reply.status == 200, f"{kind}: GET /public/ping anonymously answered {reply!r}"
        assert stack.received[before:] == [("GET", "/public/ping")], f"{kind}: GET /public/ping reached the upstream as {stack.received[before:]}"
        seen = json.loads(reply.body)["headers"]
        assert not seen.get("x-agent-id"), f"{kind}: GET /public/ping anonymously: upstream saw an identity {seen}"
    finally:
        connection.close()
