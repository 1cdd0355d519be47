"""MachineAuth behind real nginx (auth_request) and real Caddy (forward_auth), using the example
configs from config/examples/proxies/ with only their ports changed, in front of an upstream
that echoes the headers it receives."""
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from conftest import ROOT, Server, free_port

EXAMPLES = os.path.join(ROOT, "config", "examples")


class Echo(BaseHTTPRequestHandler):
    def _reply(self):
        body = json.dumps({"path": self.path, "method": self.command, "headers": {k.lower(): v for k, v in self.headers.items()}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_DELETE = do_HEAD = _reply

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def stack():
    upstream = ThreadingHTTPServer(("127.0.0.1", 0), Echo)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    server = Server({"MACHINEAUTH_CONFIG": os.path.join(EXAMPLES, "gateway.yaml"), "JWT_ACCESS_TOKEN_EXPIRY": "4", "JWT_CLOCK_SKEW": "0s"})
    yield server, upstream.server_address[1]
    server.stop()
    upstream.shutdown()


def render(name, machineauth_port, upstream_port, listen_port):
    text = open(os.path.join(EXAMPLES, "proxies", name)).read()
    text = text.replace("127.0.0.1:8080", f"127.0.0.1:{machineauth_port}").replace("127.0.0.1:9000", f"127.0.0.1:{upstream_port}")
    return text.replace("127.0.0.1:8000", f"127.0.0.1:{listen_port}").replace("http://:8001", f"http://:{listen_port}")


def wait_for_port(port, process, log):
    deadline = time.time() + 20
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(open(log).read())
        try:
            requests.get(f"http://127.0.0.1:{port}/public/ping", timeout=1)
            return
        except requests.ConnectionError:
            time.sleep(0.1)
    raise RuntimeError("proxy did not start: " + open(log).read())


@pytest.fixture(scope="module", params=["nginx", "caddy"])
def proxy(request, stack):
    kind = request.param
    binary = shutil.which(kind) or (f"/usr/sbin/{kind}" if os.path.exists(f"/usr/sbin/{kind}") else None)
    if binary is None:
        pytest.fail(f"{kind} is not installed (apt-get install {kind}); scripts/test installs it when run as root")
    server, upstream_port = stack
    directory = tempfile.mkdtemp(prefix=f"machineauth-{kind}-")
    port = free_port()
    log = os.path.join(directory, "log")
    if kind == "nginx":
        conf = os.path.join(directory, "nginx.conf")
        open(conf, "w").write(render("nginx.conf", server.port, upstream_port, port))
        command = [binary, "-c", conf, "-p", directory, "-e", log,
                   "-g", f"daemon off; pid {directory}/nginx.pid;"]
    else:
        conf = os.path.join(directory, "Caddyfile")
        open(conf, "w").write(render("Caddyfile", server.port, upstream_port, port))
        command = [binary, "run", "--config", conf, "--adapter", "caddyfile"]
    environment = dict(os.environ, HOME=directory, XDG_DATA_HOME=directory, XDG_CONFIG_HOME=directory)
    process = subprocess.Popen(command, cwd=directory, env=environment, stdout=open(log, "a"), stderr=subprocess.STDOUT)
    wait_for_port(port, process, log)
    yield kind, f"http://127.0.0.1:{port}", server
    process.terminate()
    process.wait(timeout=10)
    shutil.rmtree(directory, ignore_errors=True)


def token(server, scopes=("read",), resource=None, name="gw"):
    client_id, secret, agent_id = server.create_agent(name=name, scopes=list(scopes))
    data = {"grant_type": "client_credentials"}
    if resource:
        data["resource"] = resource
    reply = requests.post(server.base + "/oauth/token", data=data, auth=(client_id, secret))
    assert reply.status_code == 200, reply.text
    return reply.json()["access_token"], client_id, agent_id


def get(base, path, access_token=None, host="api.example.com", **kwargs):
    headers = {"Host": host}
    if access_token:
        headers["Authorization"] = "Bearer " + access_token
    return requests.get(base + path, headers=headers, allow_redirects=False, **kwargs)


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
