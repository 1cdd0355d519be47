"""Local verification for resource servers: RS256, ES256 and EdDSA tokens of real servers, and
the rejection of expired, wrong-audience, revoked (by introspection), under-scoped and forged
tokens; the JWKS cache and its rate-limited refetch on an unknown key id.
"""
from __future__ import annotations

import asyncio
import base64
import json
import time
from collections.abc import Callable

import httpx
import jwt
import pytest

from conftest import (AsyncCountingTransport, CountingTransport, NewAgent, Servers, admin_of, agent_client,
                      signing_server)
from machineauth import (AsyncTokenVerifier, MachineAuthClient, TokenVerificationError, TokenVerifier,
                         verify_token)
from server import Server

API = "https://api.example.com"
JWKS = "GET /.well-known/jwks.json"


@pytest.fixture(params=["RS256", "ES256", "EdDSA"])
def algorithm_server(request: pytest.FixtureRequest, servers: Servers, server: Server) -> Server:
    """The main server for RS256, one server per other algorithm."""
    return server if request.param == "RS256" else signing_server(servers, request.param)


def with_header(token: str, **changes: object) -> str:
    """``token`` with its header changed (and so its signature no longer matching)."""
    head, payload, signature = token.split(".")
    header = json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)))
    header.update(changes)
    encoded = base64.urlsafe_b64encode(json.dumps(header).encode()).rstrip(b"=").decode()
    return f"{encoded}.{payload}.{signature}"


def rejection(verify: Callable[..., object], *args: object, **kwargs: object) -> TokenVerificationError:
    """The error ``verify(*args, **kwargs)`` raises (failing the test when it returns)."""
    with pytest.raises(TokenVerificationError) as refused:
        verify(*args, **kwargs)
    return refused.value


def test_tokens_of_every_algorithm_verify(algorithm_server: Server, request: pytest.FixtureRequest) -> None:
    algorithm = request.node.callspec.params["algorithm_server"]
    signing_server = algorithm_server
    admin = admin_of(signing_server)
    created = admin.admin.agents.create("verified-" + algorithm, scopes=["read", "write"])
    with agent_client(signing_server, created) as client:
        token = client.get_token(scope="read write").access_token
        assert jwt.get_unverified_header(token)["alg"] == algorithm
        claims = client.verify_token(token, scopes=["read"])
        assert (claims.client_id, claims.agent_id, claims.subject) == (created.client_id, created.agent.id,
                                                                      created.client_id)
        assert claims.issuer == signing_server.base and claims.audience == (signing_server.base,)
        assert claims.scopes == ("read", "write") and claims.expires_at and claims.jti
        standalone = verify_token(token, issuer=signing_server.base, scopes=["write"])
        assert standalone.agent_id == created.agent.id
        assert rejection(client.verify_token, with_header(token, typ="at+jwt", x=1)).error == "invalid_token"


def test_wrong_audience_is_rejected(server: Server, new_agent: NewAgent) -> None:
    created = new_agent(allowed_audiences=[API])
    with agent_client(server, created) as client:
        token = client.get_token(resource=API).access_token
        refused = rejection(client.verify_token, token)  # default audience: the issuer
        assert (refused.error, refused.status) == ("invalid_token", 401) and "audience" in refused.description
        assert client.verify_token(token, audience=API).audience == (API,)
        assert client.verify_token(token, audience=["https://other.example.com", API]).audience == (API,)
        own = client.get_token().access_token
        assert "audience" in rejection(client.verify_token, own, audience=API).description


def test_expired_tokens_are_rejected(short_server: Server) -> None:
    admin = admin_of(short_server)
    created = admin.admin.agents.create("expiring", scopes=["read"])
    with agent_client(short_server, created) as client:
        token = client.request_token().access_token
        assert client.verify_token(token).client_id == created.client_id
        time.sleep(3.2)
        refused = rejection(client.verify_token, token)
        assert refused.error == "invalid_token" and "expired" in refused.description
        lenient = TokenVerifier(short_server.base, leeway=30)
        assert lenient.verify(token).client_id == created.client_id


def test_revoked_tokens_are_rejected_in_introspection_mode(server: Server, new_agent: NewAgent,
                                                           admin: MachineAuthClient) -> None:
    created = new_agent()
    with agent_client(server, created) as client:
        token = client.request_token().access_token
        assert admin.verify_token(token, introspect=True).agent_id == created.agent.id
        client.revoke(token)
        assert admin.verify_token(token).agent_id == created.agent.id  # the signature still holds locally
        refused = rejection(admin.verify_token, token, introspect=True)
        assert refused.error == "invalid_token" and "not active" in refused.description
        assert "not active" in rejection(client.verify_token, token, introspect=True).description
        other = client.request_token().access_token
        admin.admin.agents.deactivate(created.agent.id)
        assert "not active" in rejection(admin.verify_token, other, introspect=True).description


def test_missing_scopes_are_insufficient_scope(server: Server, new_agent: NewAgent) -> None:
    with agent_client(server, new_agent()) as client:
        token = client.get_token(scope="read").access_token
        refused = rejection(client.verify_token, token, scopes=["read", "write"])
        assert (refused.error, refused.status, refused.required_scopes) == ("insufficient_scope", 403,
                                                                            ("read", "write"))
        assert refused.www_authenticate(realm="api") == (
            'Bearer realm="api", error="insufficient_scope", '
            'error_description="the token lacks the scope write", scope="read write"')


def test_forged_and_foreign_tokens_are_rejected(server: Server, servers: Servers, short_server: Server,
                                                new_agent: NewAgent, admin: MachineAuthClient) -> None:
    with agent_client(server, new_agent()) as client:
        token = client.get_token().access_token
        head, payload, signature = token.split(".")
        tampered = f"{head}.{payload}.{signature[:-4]}AAAA"
        assert "signature" in rejection(client.verify_token, tampered).description
        unsigned = jwt.encode(jwt.decode(token, options={"verify_signature": False}), "", algorithm="none",
                              headers={"kid": jwt.get_unverified_header(token)["kid"], "typ": "at+jwt"})
        assert "algorithm" in rejection(client.verify_token, unsigned).description
        hmac = jwt.encode({"sub": "x"}, "s" * 32, algorithm="HS256", headers={"kid": "key-1", "typ": "at+jwt"})
        assert "algorithm" in rejection(client.verify_token, hmac).description
        assert "not a JWT" in rejection(client.verify_token, "not-a-token").description
        session = admin._transport.state.admin_token
        assert session is not None and "not an access token" in rejection(client.verify_token, session).description
    main = TokenVerifier(server.base)
    es256 = signing_server(servers, "ES256")  # its key is also "key-1", of another algorithm
    with agent_client(es256, admin_of(es256).admin.agents.create("foreign", scopes=["read"])) as stranger:
        assert "is for RS256, the token says ES256" in rejection(main.verify, stranger.get_token().access_token,
                                                                 audience=es256.base).description
    short = short_server  # RS256 with its own "key-1"
    with agent_client(short, admin_of(short).admin.agents.create("foreign", scopes=["read"])) as stranger:
        assert "signature" in rejection(main.verify, stranger.get_token().access_token,
                                        audience=short.base).description


def test_jwks_is_cached_and_refetched_at_most_once_per_interval(server: Server, new_agent: NewAgent,
                                                                admin: MachineAuthClient) -> None:
    counting = CountingTransport()
    verifier = TokenVerifier(server.base, http=httpx.Client(transport=counting), min_refetch_interval=0.5)
    with agent_client(server, new_agent()) as client:
        for _ in range(5):
            verifier.verify(client.request_token().access_token)
        assert counting.requests[JWKS] == 1
        forged = with_header(client.get_token().access_token, kid="made-up")
        assert "unknown key" in rejection(verifier.verify, forged).description
        assert counting.requests[JWKS] == 1  # within the interval of the first fetch
        time.sleep(0.6)
        for _ in range(5):
            rejection(verifier.verify, forged)
        assert counting.requests[JWKS] == 2  # one refetch for five unknown kids
        rotated = admin.admin.keys.rotate()
        client.invalidate_token()
        fresh = client.get_token().access_token
        assert jwt.get_unverified_header(fresh)["kid"] == rotated.active_kid
        time.sleep(0.6)
        assert client.credentials is not None and verifier.verify(fresh).client_id == client.credentials.client_id
        assert counting.requests[JWKS] == 3
        assert [status for line, status in counting.log if line == JWKS][-1] == 200


def test_async_verifier_fetches_once_for_concurrent_requests(servers: Servers) -> None:
    es256 = signing_server(servers, "ES256")
    created = admin_of(es256).admin.agents.create("async-verified", scopes=["read"])
    counting = AsyncCountingTransport()

    async def run() -> None:
        verifier = AsyncTokenVerifier(es256.base, http=httpx.AsyncClient(transport=counting))
        with agent_client(es256, created) as client:
            tokens = [client.request_token().access_token for _ in range(3)] * 7
        verified = await asyncio.gather(*(verifier.verify(token, scopes=["read"]) for token in tokens))
        assert {claims.agent_id for claims in verified} == {created.agent.id}
        assert counting.requests[JWKS] == 1
        with pytest.raises(TokenVerificationError) as refused:
            await verifier.verify(tokens[0], audience=API)
        assert "audience" in refused.value.description

    asyncio.run(run())


def test_a_stale_jwks_is_revalidated_with_its_etag(server: Server, new_agent: NewAgent) -> None:
    counting = CountingTransport()
    verifier = TokenVerifier(server.base, http=httpx.Client(transport=counting), cache_ttl=0.2, min_refetch_interval=0)
    with agent_client(server, new_agent()) as client:
        token = client.get_token().access_token
        verifier.verify(token)
        time.sleep(0.3)
        verifier.verify(token)
    assert [status for line, status in counting.log if line == JWKS] == [200, 304]
