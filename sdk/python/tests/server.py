"""Runs the real machineauth binary for the tests: a free port, a temporary directory, a
chosen configuration and environment.
"""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[3]
BINARY = os.environ.get("MACHINEAUTH_BINARY") or str(REPO / ".build" / "debug" / "machineauth")
ADMIN_EMAIL = "admin@example.com"
ADMIN_PASSWORD = "sdk-tests-password"


def free_port() -> int:
    """A port the kernel just handed out."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def config_file(directory: str, *, refresh_tokens: bool = True, allow_signup: bool = False,
                protected_resource: bool = False) -> str:
    """The repository's default configuration with client-credentials refresh tokens and
    sign-up set as asked, and with the server itself as an RFC 9728 protected resource,
    written into ``directory``.
    """
    text = (REPO / "config" / "machineauth.yaml").read_text()
    text = set_key(text, "tokens", "refresh_tokens_for_client_credentials", str(refresh_tokens).lower())
    text = set_key(text, "admin", "allow_signup", str(allow_signup).lower())
    if protected_resource:
        text += '\ngateway:\n  protected_resources:\n    - resource: "${ISSUER}"\n      scopes_supported: [read]\n'
    path = os.path.join(directory, "machineauth.yaml")
    Path(path).write_text(text)
    return path


def set_key(yaml: str, section: str, key: str, value: str) -> str:
    """``yaml`` with ``section.key`` set to ``value`` (replaced, or added as the section's first key)."""
    lines = yaml.splitlines()
    start = lines.index(f"{section}:")
    end = next((i for i in range(start + 1, len(lines)) if lines[i] and not lines[i].startswith(" ")), len(lines))
    for index in range(start + 1, end):
        if lines[index].strip().startswith(f"{key}:"):
            lines[index] = f"  {key}: {value}"
            break
    else:
        lines.insert(start + 1, f"  {key}: {value}")
    return "\n".join(lines) + "\n"


class Server:
    """One machineauth process; ``stop()`` ends it with SIGTERM."""

    def __init__(self, *, config: dict[str, bool] | None = None, **env: str) -> None:
        self.directory = tempfile.mkdtemp(prefix="machineauth-sdk-py-")
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        environment = {k: v for k, v in os.environ.items() if not k.startswith(("MACHINEAUTH_", "JWT_"))
                       and k not in ("PORT", "DATABASE_URL", "ENV", "ISSUER")}
        environment.update({
            "PORT": str(self.port), "HOST": "127.0.0.1", "ADMIN_EMAIL": ADMIN_EMAIL, "ADMIN_PASSWORD": ADMIN_PASSWORD,
            "ISSUER": self.base, "LOG_LEVEL": "warning",
            "MACHINEAUTH_CONFIG": config_file(self.directory, **config) if config is not None else "",
        })
        environment.update(env)
        self.log_path = os.path.join(self.directory, "server.log")
        self._log = open(self.log_path, "w")
        self.process = subprocess.Popen([BINARY], cwd=self.directory, env=environment, stdout=self._log,
                                        stderr=subprocess.STDOUT)
        self._wait()

    def _wait(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("machineauth exited: " + Path(self.log_path).read_text())
            try:
                if httpx.get(self.base + "/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.05)
        raise RuntimeError("machineauth did not start: " + Path(self.log_path).read_text())

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self._log.close()
