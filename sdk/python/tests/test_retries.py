"""429 and 503 are retried after the server's Retry-After; a wait beyond ``max_delay`` is raised.

The server's own rate limit produces the 429: failed client authentications for one client and
address exhaust its allowance, after which even the right secret waits (``Retry-After``). These
tests run on a server of their own so the failures count against nobody else.
"""
from __future__ import annotations

import email.utils
import time
from datetime import datetime, timedelta, timezone

import httpx
import pytest

from conftest import CountingTransport, Servers, admin_of
from machineauth import AgentCreated, AuthenticationError, MachineAuthClient, RateLimitError, RetryPolicy
from server import Server

TOKEN = "POST /oauth/token"


@pytest.fixture(scope="module")
def limited(servers: Servers) -> Server:
    return servers.get("rate-limited")


def exhaust_allowance(server: Server, created: AgentCreated) -> float:
    """Fails authentication as ``created`` until the server answers 429; returns its Retry-After."""
    wrong = MachineAuthClient(server.base, client_id=created.client_id, client_secret="cs_wrong",
                              retry=RetryPolicy(max_retries=0))
    for _ in range(30):
        try:
            wrong.request_token()
        except RateLimitError as limited:
            assert limited.retry_after is not None and limited.error == "slow_down"
            return limited.retry_after
        except AuthenticationError:  # 401 invalid_client until the allowance is used up
            continue
    raise AssertionError("the server never rate limited")


def test_429_is_retried_after_retry_after(limited: Server) -> None:
    created = admin_of(limited).admin.agents.create("limited", scopes=["read"])
    wait = exhaust_allowance(limited, created)
    counting = CountingTransport()
    client = MachineAuthClient(limited.base, client_id=created.client_id, client_secret=created.client_secret,
                               http_client=httpx.Client(transport=counting))
    started = time.monotonic()
    token = client.get_token()
    assert token.access_token
    assert counting.log[0] == (TOKEN, 429) and counting.log[-1] == (TOKEN, 200)
    assert time.monotonic() - started >= wait * 0.9


def test_a_wait_beyond_max_delay_is_raised(limited: Server) -> None:
    created = admin_of(limited).admin.agents.create("impatient", scopes=["read"])
    exhaust_allowance(limited, created)
    counting = CountingTransport()
    client = MachineAuthClient(limited.base, client_id=created.client_id, client_secret=created.client_secret,
                               http_client=httpx.Client(transport=counting), retry=RetryPolicy(max_delay=0.1))
    with pytest.raises(RateLimitError) as limited_error:
        client.get_token()
    assert limited_error.value.status == 429 and limited_error.value.retry_after
    assert counting.requests[TOKEN] == 1


def test_retry_policy_reads_seconds_and_dates() -> None:
    """The policy alone (no server can be made to answer 503 on demand with JSON storage)."""
    policy = RetryPolicy(max_retries=2, max_delay=30)
    assert policy.delay(httpx.Response(503, headers={"Retry-After": "2"}), 0) == 2
    later = email.utils.format_datetime(datetime.now(timezone.utc) + timedelta(seconds=20), usegmt=True)
    wait = policy.delay(httpx.Response(429, headers={"Retry-After": later}), 1)
    assert wait is not None and 15 < wait <= 20
    assert policy.delay(httpx.Response(503, headers={"Retry-After": "31"}), 0) is None  # beyond max_delay
    assert policy.delay(httpx.Response(503, headers={"Retry-After": "1"}), 2) is None  # retries used up
    assert policy.delay(httpx.Response(500, headers={"Retry-After": "1"}), 0) is None  # not a retried status
    backoff = policy.delay(httpx.Response(503), 1)
    assert backoff is not None and 0.5 <= backoff <= 1.0  # 0.5 s × 2¹, with jitter down to half
