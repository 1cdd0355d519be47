"""What an agent does with its own token: ``client.agent.me()``, ``.rotate_secret()`` …"""
from __future__ import annotations

from .._call import Auth, Call, fields
from ..models.agents import Agent, AgentRotated, AgentUsage
from ..models.common import Deleted
from ..models.tokens import UserInfo
from ._endpoint import Resource, awaitable, blocking


class SelfServiceOps(Resource):
    def _me(self) -> Call[Agent]:
        """The calling agent."""
        return Call("GET", "/api/agents/me", Agent.from_envelope, Auth.AGENT)

    def _usage(self) -> Call[AgentUsage]:
        """The calling agent's usage counters."""
        return Call("GET", "/api/agents/me/usage", AgentUsage.from_json, Auth.AGENT)

    def _userinfo(self) -> Call[UserInfo]:
        """``/oauth/userinfo``: the agent's profile as OAuth clients read it."""
        return Call("GET", "/oauth/userinfo", UserInfo.from_json, Auth.AGENT)

    def _rotate_secret(self, *, grace_period_seconds: int | None = None) -> Call[AgentRotated]:
        """Rotates the agent's own secret. The client switches to the new secret at once and drops
        its cached tokens; keep ``result.client_secret`` for the next start. Without a grace period
        the old secret and every token issued with it stop working now.
        """
        return Call("POST", "/api/agents/me/rotate", AgentRotated.from_json, Auth.AGENT,
                    json=fields(grace_period_seconds=grace_period_seconds),
                    after=lambda rotated: self._state.replace_secret(rotated.client_secret))

    def _deactivate(self) -> Call[Agent]:
        """Deactivates the agent: its tokens stop working; ``reactivate()`` undoes it."""
        return Call("POST", "/api/agents/me/deactivate", Agent.from_envelope, Auth.AGENT)

    def _reactivate(self) -> Call[Agent]:
        """Undoes the agent's own deactivation, authenticating with its client credentials
        (an agent an administrator deactivated stays so).
        """
        return Call("POST", "/api/agents/me/reactivate", Agent.from_envelope, Auth.CLIENT, form={})

    def _delete(self) -> Call[Deleted]:
        """Deletes the agent for good."""
        return Call("DELETE", "/api/agents/me", Deleted.from_json, Auth.AGENT)


class SelfService(SelfServiceOps):
    me = blocking(SelfServiceOps._me)
    usage = blocking(SelfServiceOps._usage)
    userinfo = blocking(SelfServiceOps._userinfo)
    rotate_secret = blocking(SelfServiceOps._rotate_secret)
    deactivate = blocking(SelfServiceOps._deactivate)
    reactivate = blocking(SelfServiceOps._reactivate)
    delete = blocking(SelfServiceOps._delete)


class AsyncSelfService(SelfServiceOps):
    me = awaitable(SelfServiceOps._me)
    usage = awaitable(SelfServiceOps._usage)
    userinfo = awaitable(SelfServiceOps._userinfo)
    rotate_secret = awaitable(SelfServiceOps._rotate_secret)
    deactivate = awaitable(SelfServiceOps._deactivate)
    reactivate = awaitable(SelfServiceOps._reactivate)
    delete = awaitable(SelfServiceOps._delete)
