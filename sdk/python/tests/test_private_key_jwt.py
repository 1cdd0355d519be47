"""An agent registered with private_key_jwt: the client signs a fresh RFC 7523 assertion for
every token, introspection and revocation request, sync and async, and has no secret to rotate.
"""
from __future__ import annotations

import asyncio
import json

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

from conftest import unique
from machineauth import AsyncMachineAuthClient, BadRequestError, MachineAuthClient, PrivateKeyCredentials
from server import Server


def key_pair(algorithm: str) -> tuple[str, dict[str, object]]:
    """A private key in PEM and its public JWK (kid ``k1``)."""
    encoding = (serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    if algorithm == "EdDSA":
        edwards = ed25519.Ed25519PrivateKey.generate()
        public = json.loads(jwt.algorithms.OKPAlgorithm.to_jwk(edwards.public_key()))
        pem = edwards.private_bytes(*encoding).decode()
    else:
        curve = ec.generate_private_key(ec.SECP256R1())
        public = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(curve.public_key()))
        pem = curve.private_bytes(*encoding).decode()
    return pem, {**public, "kid": "k1"}


def register(admin: MachineAuthClient, jwk: dict[str, object]) -> str:
    created = admin.admin.agents.create(unique("signer"), scopes=["read"], token_endpoint_auth_method="private_key_jwt",
                                        jwks={"keys": [jwk]})
    assert created.client_secret is None
    assert created.agent.token_endpoint_auth_method == "private_key_jwt" and created.agent.jwks is not None
    return created.client_id


@pytest.mark.parametrize("algorithm", ["ES256", "EdDSA"])
def test_tokens_with_a_signing_key(server: Server, admin: MachineAuthClient, algorithm: str) -> None:
    pem, jwk = key_pair(algorithm)
    client_id = register(admin, jwk)
    with MachineAuthClient(server.base, client_id=client_id, private_key=pem, key_id="k1", key_algorithm=algorithm) as client:
        token = client.get_token(scope="read")
        assert jwt.decode(token.access_token, options={"verify_signature": False})["sub"] == client_id
        assert client.agent.me().client_id == client_id
        again = client.request_token(scope="read")
        assert again.access_token != token.access_token, "a second assertion (new jti) is accepted"
        assert client.introspect(token.access_token).active
        client.revoke(again.access_token)
        assert not client.introspect(again.access_token).active
        with pytest.raises(BadRequestError):
            client.agent.rotate_secret()  # the server: no secret to rotate, replace the jwks


def test_async_client_with_a_signing_key(server: Server, admin: MachineAuthClient) -> None:
    pem, jwk = key_pair("ES256")
    client_id = register(admin, jwk)

    async def run() -> list[str]:
        async with AsyncMachineAuthClient(server.base, client_id=client_id, private_key=pem, key_id="k1") as client:
            tokens = await asyncio.gather(*(client.get_token(scope="read") for _ in range(10)))
            fresh = await client.request_token(scope="read")
            return [token.access_token for token in tokens] + [fresh.access_token]

    tokens = asyncio.run(run())
    assert len(set(tokens[:-1])) == 1 and tokens[-1] != tokens[0]


def test_constructor_arguments_go_together() -> None:
    with pytest.raises(ValueError):
        MachineAuthClient("http://127.0.0.1:1", client_id="cid", client_secret="cs", private_key="pem", key_id="k")
    with pytest.raises(ValueError):
        MachineAuthClient("http://127.0.0.1:1", client_id="cid", private_key="pem")
    credentials = PrivateKeyCredentials("cid", key_pair("ES256")[0], key_id="k1")
    first, second = (jwt.decode(credentials.assertion("https://as.example/oauth/token"), options={"verify_signature": False})
                     for _ in range(2))
    assert first["aud"] == "https://as.example/oauth/token" and first["iss"] == first["sub"] == "cid"
    assert first["jti"] != second["jti"] and first["exp"] - first["iat"] == 60
