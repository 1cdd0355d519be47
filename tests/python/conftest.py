"""Starts the built machineauth binary on a free port for each test module."""
import os
import re
import signal
import socket
import subprocess
import tempfile
import time

import pytest
import requests

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BINARY = os.environ.get("MACHINEAUTH_BINARY", os.path.join(ROOT, ".build", "debug", "machineauth"))
ADMIN_PASSWORD = "python-tests-password"


def free_port():
    """A port the kernel just handed out, so parallel runs never clash on a fixed number."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    def __init__(self, env=None, directory=None):
        self.directory = directory or tempfile.mkdtemp(prefix="machineauth-py-")
        environment = {k: v for k, v in os.environ.items() if k not in ("PORT", "DATABASE_URL", "ENV")}
        port = free_port()
        environment.update({"PORT": str(port), "HOST": "127.0.0.1", "ADMIN_PASSWORD": ADMIN_PASSWORD,
                            "ISSUER": f"http://127.0.0.1:{port}", "MACHINEAUTH_CONFIG": ""})
        environment.update(env or {})
        self.log_path = os.path.join(self.directory, f"server-{port}.log")
        self.log = open(self.log_path, "w+")
        self.process = subprocess.Popen([BINARY], cwd=self.directory, env=environment, stdout=self.log, stderr=subprocess.STDOUT)
        self.port = self._wait_for_port()
        self.base = f"http://127.0.0.1:{self.port}"

    def _wait_for_port(self):
        deadline = time.time() + 30
        while time.time() < deadline:
            with open(self.log_path) as handle:
                match = re.search(r"MachineAuth \S+ listening on [^ ]*:(\d+)", handle.read())
            if match:
                return int(match.group(1))
            if self.process.poll() is not None:
                raise RuntimeError("server exited: " + open(self.log_path).read())
            time.sleep(0.05)
        raise RuntimeError("server did not start")

    @property
    def issuer(self):
        return f"http://127.0.0.1:{self.port}"

    def admin_token(self):
        reply = requests.post(self.base + "/api/auth/login", json={"email": "admin@example.com", "password": ADMIN_PASSWORD})
        reply.raise_for_status()
        return reply.json()["token"]

    def create_agent(self, name="py-agent", scopes=("read", "write"), **extra):
        body = {"name": name, "scopes": list(scopes), **extra}
        reply = requests.post(self.base + "/api/agents", json=body, headers={"Authorization": "Bearer " + self.admin_token()})
        assert reply.status_code == 201, reply.text
        data = reply.json()
        return data["client_id"], data["client_secret"], data["agent"]["id"]

    def stop(self):
        if self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


@pytest.fixture(scope="module")
def server():
    instance = Server()
    yield instance
    instance.stop()


@pytest.fixture
def server_factory():
    started = []

    def start(directory=None, **env):
        instance = Server(env, directory=directory)
        started.append(instance)
        return instance

    yield start
    for instance in started:
        instance.stop()
