"""How one list of endpoints serves both clients.

Each API namespace has an ``…Ops`` class whose private methods only *describe* requests
(returning a ``Call``). The sync class publishes them with ``blocking`` and the async class with
``awaitable``; both keep the method's signature and docstring, so the two clients always offer
the same calls with the same parameters:

    class AgentOps(Resource):
        def _get(self, agent_id: str) -> Call[Agent]: ...

    class Agents(AgentOps):
        get = blocking(AgentOps._get)        # client.admin.agents.get(id) -> Agent

    class AsyncAgents(AgentOps):
        get = awaitable(AgentOps._get)       # await client.admin.agents.get(id) -> Agent
"""
from __future__ import annotations

import functools
from collections.abc import Callable, Coroutine
from typing import Any, Concatenate, ParamSpec, TypeVar

from .._async_transport import AsyncTransport
from .._call import Call
from .._state import ClientState
from .._transport import Transport

T = TypeVar("T")
P = ParamSpec("P")


class Resource:
    """A namespace of endpoints bound to a client's transport and credentials."""

    def __init__(self, transport: Transport | AsyncTransport) -> None:
        self._transport = transport

    @property
    def _state(self) -> ClientState:
        return self._transport.state


R = TypeVar("R", bound=Resource)


def blocking(describe: Callable[Concatenate[R, P], Call[T]]) -> Callable[Concatenate[R, P], T]:
    """The blocking method that sends the ``Call`` ``describe`` returns."""
    @functools.wraps(describe)
    def method(self: R, /, *args: P.args, **kwargs: P.kwargs) -> T:
        transport = self._transport
        if not isinstance(transport, Transport):
            raise TypeError("a blocking endpoint on an async client")
        return transport.send(describe(self, *args, **kwargs))
    return method


def awaitable(describe: Callable[Concatenate[R, P], Call[T]]) -> Callable[Concatenate[R, P], Coroutine[Any, Any, T]]:
    """The coroutine method that sends the ``Call`` ``describe`` returns."""
    @functools.wraps(describe)
    async def method(self: R, /, *args: P.args, **kwargs: P.kwargs) -> T:
        transport = self._transport
        if not isinstance(transport, AsyncTransport):
            raise TypeError("an async endpoint on a blocking client")
        return await transport.send(describe(self, *args, **kwargs))
    return method
