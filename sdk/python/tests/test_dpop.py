"""DPoP (RFC 9449): a client with a ``dpop_key`` gets tokens bound to it (``token_type: DPoP``,
``cnf.jkt``), answers the server's nonce, presents them to MachineAuth's API with fresh proofs,
and makes proofs for the caller's own requests; sync and async, ES256 and EdDSA.
"""
from __future__ import annotations

import asyncio
import base64
import hashlib
import json
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

from conftest import AsyncCountingTransport, CountingTransport, NewAgent, Servers, admin_of, unique
from machineauth import (AsyncMachineAuthClient, BadRequestError, ConfigurationError, DPoPKey, MachineAuthClient,
                         Token)
from server import Server

ENCODING = (serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())


def key_pem(algorithm: str) -> tuple[str, str]:
    """A new private key in PEM and its RFC 7638 thumbprint, computed here from the public JWK."""
    if algorithm == "EdDSA":
        edwards = ed25519.Ed25519PrivateKey.generate()
        public = json.loads(jwt.algorithms.OKPAlgorithm.to_jwk(edwards.public_key()))
        members = {"crv": public["crv"], "kty": "OKP", "x": public["x"]}
        pem = edwards.private_bytes(*ENCODING).decode()
    else:
        curve = ec.generate_private_key(ec.SECP256R1())
        public = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(curve.public_key()))
        members = {"crv": "P-256", "kty": "EC", "x": public["x"], "y": public["y"]}
        pem = curve.private_bytes(*ENCODING).decode()
    canonical = json.dumps(members, separators=(",", ":"), sort_keys=True).encode()
    return pem, base64.urlsafe_b64encode(hashlib.sha256(canonical).digest()).rstrip(b"=").decode()


def claims_of(token: Token | str) -> dict[str, Any]:
    access_token = token.access_token if isinstance(token, Token) else token
    claims: dict[str, Any] = jwt.decode(access_token, options={"verify_signature": False})
    return claims


def bound_client(server: Server, new_agent: NewAgent, algorithm: str = "ES256",
                 **options: Any) -> tuple[MachineAuthClient, str]:
    """A client with a DPoP key for a new agent that only gets DPoP-bound tokens, and the key's thumbprint."""
    created = new_agent(dpop_bound_access_tokens=True)
    assert created.agent.dpop_bound_access_tokens
    pem, jkt = key_pem(algorithm)
    return MachineAuthClient(server.base, client_id=created.client_id, client_secret=created.client_secret,
                             dpop_key=pem, **options), jkt


@pytest.fixture(scope="session")
def nonce_server(servers: Servers) -> Server:
    """A server whose token endpoint wants its DPoP nonce in proofs."""
    return servers.get("dpop-nonce", DPOP_NONCE="true")


@pytest.mark.parametrize("algorithm", ["ES256", "EdDSA"])
def test_tokens_are_bound_to_the_key(server: Server, new_agent: NewAgent, algorithm: str) -> None:
    transport = CountingTransport()
    client, jkt = bound_client(server, new_agent, algorithm, http_client=httpx.Client(transport=transport))
    with client:
        assert client.dpop_key is not None and client.dpop_key.algorithm == algorithm
        assert client.dpop_key.thumbprint == jkt
        token = client.get_token()
        assert token.token_type == "DPoP" and claims_of(token)["cnf"] == {"jkt": jkt}
        # self-service with the bound token: Authorization: DPoP and a fresh proof per request
        for _ in range(3):
            assert client.agent.me().client_id == claims_of(token)["client_id"]
        assert client.agent.usage() is not None
        assert client.get_token() is token, "the bound token is cached like any other"
        assert transport.requests["POST /oauth/token"] == 1
        assert ("GET /api/agents/me", 401) not in transport.log
        # a token the caller asks for itself is bound too, and verify_remote presents it with a proof
        fresh = client.request_token(scope="read")
        assert fresh.token_type == "DPoP" and fresh.access_token != token.access_token
        verified = client.verify_remote(fresh.access_token)
        assert verified.valid and verified.claims["cnf"] == {"jkt": jkt}
        assert client.introspect(fresh.access_token).claims.get("cnf") == {"jkt": jkt}


def test_refresh_binds_the_new_token(server: Server, new_agent: NewAgent) -> None:
    client, jkt = bound_client(server, new_agent)
    with client:
        token = client.request_token()
        assert token.refresh_token is not None
        renewed = client.refresh(token.refresh_token)
        assert renewed.token_type == "DPoP" and claims_of(renewed)["cnf"] == {"jkt": jkt}


def test_dpop_headers_at_verify(server: Server, new_agent: NewAgent) -> None:
    client, jkt = bound_client(server, new_agent)
    url = server.base + "/api/verify"
    with client:
        headers = client.dpop_headers("GET", url + "?ignored=1")
        assert headers["Authorization"].startswith("DPoP ") and set(headers) == {"Authorization", "DPoP"}
        proof_header = jwt.get_unverified_header(headers["DPoP"])
        assert proof_header["typ"] == "dpop+jwt" and "d" not in proof_header["jwk"]
        accepted = httpx.get(url, headers=headers)
        assert accepted.status_code == 200, accepted.text
        assert accepted.json()["claims"]["cnf"] == {"jkt": jkt}
        assert httpx.get(url, headers=headers).status_code == 401, "a proof is used once"
        assert httpx.get(url, headers=client.dpop_headers("GET", url)).status_code == 200, "a new proof is good"
        assert httpx.post(url, headers=client.dpop_headers("GET", url)).status_code == 401, "wrong htm"

        token = client.get_token().access_token
        no_proof = httpx.get(url, headers={"Authorization": "DPoP " + token})
        assert no_proof.status_code == 401 and 'error="invalid_dpop_proof"' in no_proof.headers["WWW-Authenticate"]
        as_bearer = httpx.get(url, headers={"Authorization": "Bearer " + token})
        assert as_bearer.status_code == 401 and as_bearer.headers["WWW-Authenticate"].startswith("DPoP ")
        assert httpx.get(server.base + "/api/agents/me", headers={"Authorization": "Bearer " + token}).status_code == 401


def test_httpx_auth_sends_proofs(server: Server, new_agent: NewAgent) -> None:
    client, _ = bound_client(server, new_agent)
    with client, httpx.Client(base_url=server.base, auth=client.auth()) as http:
        for _ in range(3):
            answer = http.get("/api/agents/me")
            assert answer.status_code == 200 and not answer.history, answer.text
            assert answer.request.headers["Authorization"].startswith("DPoP ")
        assert http.get("/api/verify").json()["claims"]["cnf"]["jkt"] == client.dpop_key.thumbprint  # type: ignore[union-attr]


def test_nonce_is_retried_once_and_remembered(nonce_server: Server) -> None:
    admin = admin_of(nonce_server)
    created = admin.admin.agents.create(unique("nonce"), scopes=["read"], dpop_bound_access_tokens=True)
    transport = CountingTransport()
    pem, jkt = key_pem("ES256")
    with admin, MachineAuthClient(nonce_server.base, client_id=created.client_id, client_secret=created.client_secret,
                                  dpop_key=pem, http_client=httpx.Client(transport=transport)) as client:
        token = client.get_token()
        assert token.token_type == "DPoP" and claims_of(token)["cnf"] == {"jkt": jkt}
        assert transport.log == [("POST /oauth/token", 400), ("POST /oauth/token", 200)]
        assert client.dpop_key is not None and client.dpop_key.nonce
        client.request_token(scope="read")
        assert transport.log[2:] == [("POST /oauth/token", 200)], "the remembered nonce is sent at once"
        client.dpop_key.nonce = "12.not-the-servers"  # a stale nonce: refused, then retried with the new one
        client.request_token(scope="read")
        assert transport.log[3:] == [("POST /oauth/token", 400), ("POST /oauth/token", 200)]
        assert client.agent.me().client_id == created.client_id  # resources ask no nonce


def test_async_client(nonce_server: Server) -> None:
    admin = admin_of(nonce_server)
    created = admin.admin.agents.create(unique("async-dpop"), scopes=["read"], dpop_bound_access_tokens=True)
    admin.close()
    pem, jkt = key_pem("EdDSA")
    transport = AsyncCountingTransport()

    async def run() -> None:
        async with AsyncMachineAuthClient(nonce_server.base, client_id=created.client_id,
                                          client_secret=created.client_secret, dpop_key=pem,
                                          http_client=httpx.AsyncClient(transport=transport)) as client:
            tokens = await asyncio.gather(*(client.get_token() for _ in range(10)))
            assert len({token.access_token for token in tokens}) == 1
            assert tokens[0].token_type == "DPoP" and claims_of(tokens[0])["cnf"] == {"jkt": jkt}
            assert transport.log == [("POST /oauth/token", 400), ("POST /oauth/token", 200)]
            me = await asyncio.gather(*(client.agent.me() for _ in range(5)))
            assert {agent.client_id for agent in me} == {created.client_id}
            url = nonce_server.base + "/api/verify"
            async with httpx.AsyncClient() as http:
                answer = await http.get(url, headers=await client.dpop_headers("GET", url))
                assert answer.status_code == 200 and answer.json()["claims"]["cnf"] == {"jkt": jkt}
            async with httpx.AsyncClient(base_url=nonce_server.base, auth=client.auth()) as http:
                answers = await asyncio.gather(*(http.get("/api/agents/me") for _ in range(5)))
                assert {answer.status_code for answer in answers} == {200}
            assert (await client.verify_remote(tokens[0].access_token)).valid

    asyncio.run(run())


def test_bound_agent_without_a_key_is_refused(server: Server, new_agent: NewAgent) -> None:
    created = new_agent(dpop_bound_access_tokens=True)
    with MachineAuthClient(server.base, client_id=created.client_id, client_secret=created.client_secret) as client:
        with pytest.raises(BadRequestError) as refused:
            client.get_token()
        assert refused.value.error == "invalid_dpop_proof"
        with pytest.raises(ConfigurationError):
            client.dpop_headers("GET", server.base + "/api/verify", "token")


def test_key_without_dpop_bound_agent_still_binds(server: Server, new_agent: NewAgent) -> None:
    created = new_agent()
    pem, jkt = key_pem("ES256")
    with MachineAuthClient(server.base, client_id=created.client_id, client_secret=created.client_secret,
                           dpop_key=pem) as client:
        assert claims_of(client.get_token())["cnf"] == {"jkt": jkt}
        assert client.agent.me().id == created.agent.id


def test_proofs_and_keys() -> None:
    key = DPoPKey.generate("ES256")
    proof = key.proof("get", "https://API.example.com/v1/orders?x=1#f", access_token="abc", nonce="n1")
    header = jwt.get_unverified_header(proof)
    assert header["typ"] == "dpop+jwt" and header["alg"] == "ES256" and header["jwk"] == key.public_jwk
    claims = jwt.decode(proof, key=jwt.PyJWK(header["jwk"]).key, algorithms=["ES256"])
    assert claims["htm"] == "GET" and claims["htu"] == "https://API.example.com/v1/orders" and claims["nonce"] == "n1"
    assert claims["ath"] == base64.urlsafe_b64encode(hashlib.sha256(b"abc").digest()).rstrip(b"=").decode()
    assert jwt.decode(key.proof("GET", "https://a.example/"), options={"verify_signature": False})["jti"] != claims["jti"]
    rsa = DPoPKey.generate("PS256")
    assert set(rsa.public_jwk) == {"kty", "n", "e"} and rsa.algorithm == "PS256"
    assert DPoPKey(ed25519.Ed25519PrivateKey.generate()).algorithm == "EdDSA"
    with pytest.raises(ValueError):
        DPoPKey(ec.generate_private_key(ec.SECP256R1()), "EdDSA")
    with pytest.raises(ValueError):
        DPoPKey(ec.generate_private_key(ec.SECP384R1()))
    assert DPoPKey.of(key) is key
    unbound = Token("t", "Bearer", 60, "")
    with MachineAuthClient("http://127.0.0.1:9", dpop_key=key) as client:
        assert client.dpop_headers("GET", "https://api.example.com/", unbound) == {"Authorization": "Bearer t"}
