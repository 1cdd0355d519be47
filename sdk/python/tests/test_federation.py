"""Workload identity federation: a client with ``assertion_file`` or ``assertion_provider`` trades
a platform token for access tokens by the jwt-bearer grant, against the real server trusting a
loopback issuer this test serves itself (OIDC discovery, a JWK Set, and GitHub's ID-token
endpoint), with the issuer's tokens signed by jwcrypto — not by the library.
"""
from __future__ import annotations

import json
import os
import re
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import jwt
import pytest
from jwcrypto import jwk  # type: ignore[import-untyped]
from jwcrypto import jwt as jwcrypto_jwt

from conftest import CountingTransport
from machineauth import (AsyncMachineAuthClient, BadRequestError, ConfigurationError, DPoPKey, MachineAuthClient,
                         github_actions_token)
from server import REPO, Server, free_port

GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"
RUNNER_TOKEN = "runner-request-token"


class Issuer:
    """A loopback issuer: ``/k8s`` and ``/gh`` by OIDC discovery, and ``/actions/token``, which
    answers like GitHub's ``ACTIONS_ID_TOKEN_REQUEST_URL`` with a new signed token each time."""

    def __init__(self) -> None:
        self.key = jwk.JWK.generate(kty="RSA", size=2048, kid="loopback-1")
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.audiences: list[str] = []
        issuer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                status, body = issuer.answer(self.path, self.headers.get("Authorization"))
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def answer(self, path: str, authorization: str | None) -> tuple[int, dict[str, Any]]:
        parts = urlsplit(path)
        for name in ("k8s", "gh"):
            if parts.path == f"/{name}/.well-known/openid-configuration":
                return 200, {"issuer": f"{self.base}/{name}", "jwks_uri": f"{self.base}/{name}/keys"}
            if parts.path == f"/{name}/keys":
                return 200, {"keys": [json.loads(self.key.export_public())]}
        if parts.path == "/actions/token":
            if authorization != f"bearer {RUNNER_TOKEN}":
                return 401, {"message": "bad runner token"}
            audience = parse_qs(parts.query).get("audience", [""])[0]
            self.audiences.append(audience)
            return 200, {"count": 1, "value": self.github_token(audience)}
        return 404, {}

    def sign(self, claims: dict[str, Any]) -> str:
        token = jwcrypto_jwt.JWT(header={"alg": "RS256", "kid": "loopback-1", "typ": "JWT"}, claims=claims)
        token.make_signed_token(self.key)
        return str(token.serialize())

    def kubernetes_token(self, audience: str, service_account: str = "deployer") -> str:
        now = int(time.time())
        return self.sign({"iss": f"{self.base}/k8s", "sub": f"system:serviceaccount:prod:{service_account}",
                          "aud": [audience], "iat": now, "nbf": now, "exp": now + 3600,
                          "kubernetes.io": {"namespace": "prod", "serviceaccount": {"name": service_account}}})

    def github_token(self, audience: str, workflow: str = "release") -> str:
        now = int(time.time())
        return self.sign({"iss": f"{self.base}/gh", "sub": "repo:acme/deploy:ref:refs/heads/main", "aud": audience,
                          "jti": str(uuid.uuid4()), "repository": "acme/deploy", "repository_owner": "acme",
                          "workflow": workflow, "iat": now - 5, "nbf": now - 5, "exp": now + 300})

    def stop(self) -> None:
        self.httpd.shutdown()


def config(issuer: Issuer) -> str:
    """The default configuration trusting the loopback issuer, and the agents its rules name."""
    text = (REPO / "config" / "machineauth.yaml").read_text()
    issuers = f"""    issuers:
      - id: cluster
        issuer: {issuer.base}/k8s
        preset: kubernetes
        rules:
          - subject: "system:serviceaccount:prod:deployer"
            agent: cid_sdk_deployer
          - subject: "system:serviceaccount:prod:reporter"
            agent: cid_sdk_reporter
      - id: github
        issuer: {issuer.base}/gh
        preset: github_actions
        audiences: [machineauth-sdk-tests]
        rules:
          - subject: "repo:acme/deploy:ref:refs/heads/main"
            claims: {{ workflow: "release" }}
            agent: cid_sdk_release
"""
    text, count = re.subn(r"(?m)^    issuers: \[\].*\n", lambda _: issuers, text)
    assert count == 1, "the default config has an empty issuers list under jwt_bearer"
    grants = f'[client_credentials, "{GRANT}"]'
    text += f"""
provision:
  agents:
    - {{name: sdk-deployer, client_id: cid_sdk_deployer, scopes: [read, write], grant_types: {grants}}}
    - {{name: sdk-reporter, client_id: cid_sdk_reporter, scopes: [read], grant_types: {grants}}}
    - {{name: sdk-release, client_id: cid_sdk_release, scopes: [deploy], grant_types: {grants}}}
"""
    path = os.path.join(tempfile.mkdtemp(prefix="machineauth-sdk-fed-"), "machineauth.yaml")
    Path(path).write_text(text)
    return path


@pytest.fixture(scope="module")
def issuer() -> Iterator[Issuer]:
    instance = Issuer()
    yield instance
    instance.stop()


@pytest.fixture(scope="module")
def server(issuer: Issuer) -> Iterator[Server]:
    """Four-second access tokens, so renewal is seen within a test."""
    instance = Server(MACHINEAUTH_CONFIG=config(issuer), ALLOW_INSECURE_ISSUERS="true", JWT_ACCESS_TOKEN_EXPIRY="4")
    yield instance
    instance.stop()


def claims_of(access_token: str) -> dict[str, Any]:
    claims: dict[str, Any] = jwt.decode(access_token, options={"verify_signature": False})
    return claims


def test_token_file_is_read_for_every_token_request(server: Server, issuer: Issuer, tmp_path: Path) -> None:
    token_file = tmp_path / "token"
    token_file.write_text(issuer.kubernetes_token(server.base) + "\n")
    counting = CountingTransport()
    with MachineAuthClient(server.base, assertion_file=token_file, http_client=httpx.Client(transport=counting)) as client:
        first = client.get_token()
        claims = claims_of(first.access_token)
        assert claims["sub"] == "cid_sdk_deployer"
        assert claims["external_identity"]["sub"] == "system:serviceaccount:prod:deployer"
        assert client.get_token().access_token == first.access_token, "cached until it is due"
        assert client.agent.me().client_id == "cid_sdk_deployer"
        assert counting.requests["POST /oauth/token"] == 1
        # The kubelet rewrites the file; the renewal (4 s tokens: due after 3.2 s) reads the new one.
        token_file.write_text(issuer.kubernetes_token(server.base, "reporter"))
        time.sleep(3.4)
        renewed = client.get_token()
        assert renewed.access_token != first.access_token
        assert claims_of(renewed.access_token)["sub"] == "cid_sdk_reporter"
        assert counting.requests["POST /oauth/token"] == 2


def test_github_actions_provider_fetches_a_token_per_request(server: Server, issuer: Issuer,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACTIONS_ID_TOKEN_REQUEST_URL", f"{issuer.base}/actions/token?api-version=2.0")
    monkeypatch.setenv("ACTIONS_ID_TOKEN_REQUEST_TOKEN", RUNNER_TOKEN)
    before = len(issuer.audiences)
    provider = github_actions_token(audience="machineauth-sdk-tests")
    with MachineAuthClient(server.base, assertion_provider=provider) as client:
        first = client.request_token(scope="deploy")
        second = client.request_token(scope="deploy")  # GitHub tokens are single-use: a new one each time
        assert claims_of(first.access_token)["sub"] == claims_of(second.access_token)["sub"] == "cid_sdk_release"
        assert first.scopes == ("deploy",)
    assert issuer.audiences[before:] == ["machineauth-sdk-tests"] * 2


def test_server_refusals_surface_with_their_description(server: Server, issuer: Issuer) -> None:
    wrong_audience = issuer.kubernetes_token("https://somewhere-else.example.com")
    with MachineAuthClient(server.base, assertion_provider=lambda: wrong_audience) as client:
        with pytest.raises(BadRequestError) as refused:
            client.get_token()
        assert refused.value.error == "invalid_grant" and refused.value.status == 400
        assert refused.value.description, "the server's error_description"
        with pytest.raises(ConfigurationError):
            client.introspect("anything")  # a workload has no client credentials for introspection
    unmapped = issuer.github_token("machineauth-sdk-tests", workflow="nightly")
    with MachineAuthClient(server.base, assertion_provider=lambda: unmapped) as client:
        with pytest.raises(BadRequestError) as refused:
            client.get_token()
        assert "no rule" in refused.value.description


def test_missing_token_file_and_runner_variables(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with MachineAuthClient("http://127.0.0.1:1", assertion_file=tmp_path / "absent") as client:
        with pytest.raises(ConfigurationError, match="assertion file"):
            client.get_token()
    monkeypatch.delenv("ACTIONS_ID_TOKEN_REQUEST_URL", raising=False)
    with pytest.raises(ConfigurationError, match="ACTIONS_ID_TOKEN_REQUEST_URL"):
        github_actions_token(audience="x")()
    with pytest.raises(ValueError):
        MachineAuthClient("http://127.0.0.1:1", client_id="cid", client_secret="cs", assertion_file="/x")


def test_federated_tokens_with_dpop_and_async(server: Server, issuer: Issuer) -> None:
    key = DPoPKey.generate()
    with MachineAuthClient(server.base, assertion_provider=lambda: issuer.kubernetes_token(server.base),
                           dpop_key=key) as client:
        token = client.get_token()
        assert token.token_type == "DPoP" and claims_of(token.access_token)["cnf"]["jkt"] == key.thumbprint
        assert client.agent.me().client_id == "cid_sdk_deployer"

    async def run() -> str:
        async with AsyncMachineAuthClient(server.base, assertion_provider=lambda: issuer.kubernetes_token(server.base)) as client:
            return str(claims_of((await client.get_token()).access_token)["sub"])

    import asyncio
    assert asyncio.run(run()) == "cid_sdk_deployer"
