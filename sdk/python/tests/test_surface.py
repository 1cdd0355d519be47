"""The two clients offer the same calls with the same parameters, and every call is documented."""
from __future__ import annotations

import inspect

import pytest

from machineauth import AsyncMachineAuthClient, MachineAuthClient

NAMESPACES = ["", "agent", "admin", "admin.agents", "admin.organizations", "admin.teams", "admin.api_keys",
              "admin.webhooks", "admin.users", "admin.keys"]


def namespace(client: object, dotted: str) -> object:
    for part in filter(None, dotted.split(".")):
        client = getattr(client, part)
    return client


def public_methods(target: object) -> dict[str, inspect.Signature]:
    return {name: inspect.signature(member) for name, member in inspect.getmembers(target, callable)
            if not name.startswith("_") and inspect.ismethod(member)}


@pytest.mark.parametrize("dotted", NAMESPACES)
def test_sync_and_async_namespaces_match(dotted: str) -> None:
    sync_client = MachineAuthClient("http://127.0.0.1:9")
    async_client = AsyncMachineAuthClient("http://127.0.0.1:9")
    blocking, awaited = public_methods(namespace(sync_client, dotted)), public_methods(namespace(async_client, dotted))
    closing = {"close", "aclose"}
    assert set(blocking) - closing == set(awaited) - closing
    for name, signature in blocking.items():
        if name in closing:
            continue
        assert list(signature.parameters) == list(awaited[name].parameters), name
        member = getattr(namespace(async_client, dotted), name)
        assert inspect.iscoroutinefunction(member) or name in {"auth", "invalidate_token", "from_env", "dpop_proof"}, name
        assert inspect.getdoc(getattr(namespace(sync_client, dotted), name)), f"{dotted}.{name} has no docstring"
