"""MachineAuth behind real nginx (auth_request) and real Caddy (forward_auth), using the example
configs from config/examples/proxies/ with only their ports changed, in front of an upstream
that echoes the headers it receives and records every request that reaches it.

Shared by test_gateway_proxies.py and test_gateway_spoofing.py: import the fixtures `stack` and
`proxy` into a test module and each module gets its own MachineAuth, upstream and proxies."""
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
    def parse_request(self):
        # Every request that parses is recorded before any reply, whatever its method.
        parsed = super().parse_request()
        if parsed:
            self.server.received.append((self.command, self.path))
        return parsed

    def _reply(self):
        body = json.dumps({"path": self.path, "method": self.command, "headers": {k.lower(): v for k, v in self.headers.items()}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _reply

    def log_message(self, *args):
        pass


class Stack:
    """One MachineAuth (config/examples/gateway.yaml) and the echo upstream behind the proxies."""

    def __init__(self, server, upstream):
        self.server = server
        self.upstream = upstream
        self.upstream_port = upstream.server_address[1]

    @property
    def received(self):
        """(method, raw path) of every request the upstream has received, oldest first."""
        return self.upstream.received


@pytest.fixture(scope="module")
def stack():
    upstream = ThreadingHTTPServer(("127.0.0.1", 0), Echo)
    upstream.received = []
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    server = Server({"MACHINEAUTH_CONFIG": os.path.join(EXAMPLES, "gateway.yaml"), "JWT_ACCESS_TOKEN_EXPIRY": "4", "JWT_CLOCK_SKEW": "0s"})
    yield Stack(server, upstream)
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
    server, upstream_port = stack.server, stack.upstream_port
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
    # An agent may only ask for audiences it is allowed (its allowed_audiences).
    extra = {"allowed_audiences": [resource]} if resource else {}
    client_id, secret, agent_id = server.create_agent(name=name, scopes=list(scopes), **extra)
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
