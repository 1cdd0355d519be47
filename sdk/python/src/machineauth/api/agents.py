"""Agents through the admin API: ``client.admin.agents``."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from .._call import UNSET, Auth, Call, Unset, fields, nullable, path, query
from ..models.agents import Agent, AgentCreated, AgentRotated
from ..models.common import Deleted, Page
from ._endpoint import Resource, awaitable, blocking


def agent_fields(*, description: str | None = None, scopes: Sequence[str] | None = None,
                 tags: Sequence[str] | None = None, metadata: Mapping[str, str] | None = None,
                 grant_types: Sequence[str] | None = None, allowed_audiences: Sequence[str] | None = None,
                 expires_in: int | None | Unset = UNSET, expires_at: datetime | str | None | Unset = UNSET,
                 team_id: str | None | Unset = UNSET, token_endpoint_auth_method: str | None = None,
                 jwks: Mapping[str, Any] | None | Unset = UNSET,
                 dpop_bound_access_tokens: bool | None = None) -> dict[str, object]:
    """The JSON fields an agent is created or changed with (``None`` clears the nullable ones)."""
    return {
        **fields(description=description, scopes=scopes, tags=tags, metadata=metadata, grant_types=grant_types,
                 allowed_audiences=allowed_audiences, token_endpoint_auth_method=token_endpoint_auth_method,
                 dpop_bound_access_tokens=dpop_bound_access_tokens),
        **nullable(expires_in=expires_in, expires_at=expires_at, team_id=team_id, jwks=jwks),
    }


AGENT_LIST = Page.reader("agents", Agent.from_json)


class AgentOps(Resource):
    def _list(self, *, q: str | None = None, status: str | None = None, organization_id: str | None = None,
              team_id: str | None = None, scope: str | None = None, page: int | None = None,
              limit: int | None = None) -> Call[Page[Agent]]:
        """Agents the caller may see, filtered by text ``q``, ``status``, organization, team or scope."""
        return Call("GET", "/api/agents", AGENT_LIST, Auth.ADMIN, params=query(
            q=q, status=status, organization_id=organization_id, team_id=team_id, scope=scope, page=page, limit=limit))

    def _get(self, agent_id: str) -> Call[Agent]:
        """One agent by id."""
        return Call("GET", path("/api/agents/{}", agent_id), Agent.from_envelope, Auth.ADMIN)

    def _create(self, name: str, *, organization_id: str | None = None, description: str | None = None,
                scopes: Sequence[str] | None = None, tags: Sequence[str] | None = None,
                metadata: Mapping[str, str] | None = None, grant_types: Sequence[str] | None = None,
                allowed_audiences: Sequence[str] | None = None, expires_in: int | None = None,
                expires_at: datetime | str | None = None, team_id: str | None = None,
                token_endpoint_auth_method: str | None = None, jwks: Mapping[str, Any] | None = None,
                dpop_bound_access_tokens: bool | None = None) -> Call[AgentCreated]:
        """Creates an agent; the result holds its ``client_secret``, shown only this once.

        Args:
            scopes: the scopes it may request.
            token_endpoint_auth_method / jwks: ``"private_key_jwt"`` with the public JWK Set
                (``{"keys": [...]}``) the agent signs assertions with; such an agent gets no secret.
            dpop_bound_access_tokens: ``True``: the agent only ever gets DPoP-bound tokens (RFC 9449
                §5.2); a token request without a proof is refused.
            allowed_audiences: audiences (resource indicators) it may ask tokens for; default the deployment's.
            expires_in / expires_at: when the agent itself expires.
        """
        body = {"name": name, **fields(organization_id=organization_id), **agent_fields(
            description=description, scopes=scopes, tags=tags, metadata=metadata, grant_types=grant_types,
            allowed_audiences=allowed_audiences, expires_in=expires_in or UNSET, expires_at=expires_at or UNSET,
            team_id=team_id or UNSET, token_endpoint_auth_method=token_endpoint_auth_method, jwks=jwks or UNSET,
            dpop_bound_access_tokens=dpop_bound_access_tokens)}
        return Call("POST", "/api/agents", AgentCreated.from_json, Auth.ADMIN, json=body)

    def _update(self, agent_id: str, *, name: str | None = None, description: str | None = None,
                scopes: Sequence[str] | None = None, tags: Sequence[str] | None = None,
                metadata: Mapping[str, str] | None = None, grant_types: Sequence[str] | None = None,
                allowed_audiences: Sequence[str] | None = None, expires_in: int | None | Unset = UNSET,
                expires_at: datetime | str | None | Unset = UNSET, team_id: str | None | Unset = UNSET,
                token_endpoint_auth_method: str | None = None, jwks: Mapping[str, Any] | None | Unset = UNSET,
                dpop_bound_access_tokens: bool | None = None) -> Call[Agent]:
        """Changes the given fields (``PATCH``); ``expires_in=None``/``expires_at=None`` remove the
        expiry, ``team_id=None`` takes the agent out of its team; new ``jwks`` (or a new method)
        end the tokens the old credentials obtained.
        """
        body = {**fields(name=name), **agent_fields(
            description=description, scopes=scopes, tags=tags, metadata=metadata, grant_types=grant_types,
            allowed_audiences=allowed_audiences, expires_in=expires_in, expires_at=expires_at, team_id=team_id,
            token_endpoint_auth_method=token_endpoint_auth_method, jwks=jwks,
            dpop_bound_access_tokens=dpop_bound_access_tokens)}
        return Call("PATCH", path("/api/agents/{}", agent_id), Agent.from_envelope, Auth.ADMIN, json=body)

    def _delete(self, agent_id: str) -> Call[Deleted]:
        """Deletes an agent; its tokens stop working."""
        return Call("DELETE", path("/api/agents/{}", agent_id), Deleted.from_json, Auth.ADMIN)

    def _rotate(self, agent_id: str, *, grace_period_seconds: int | None = None) -> Call[AgentRotated]:
        """A new secret; ``grace_period_seconds`` keeps the old one working that long (default 0)."""
        return Call("POST", path("/api/agents/{}/rotate", agent_id), AgentRotated.from_json, Auth.ADMIN,
                    json=fields(grace_period_seconds=grace_period_seconds))

    def _deactivate(self, agent_id: str) -> Call[Agent]:
        """Deactivates an agent: its tokens stop working until an administrator reactivates it."""
        return Call("POST", path("/api/agents/{}/deactivate", agent_id), Agent.from_envelope, Auth.ADMIN)

    def _reactivate(self, agent_id: str) -> Call[Agent]:
        """Reactivates a deactivated agent."""
        return Call("POST", path("/api/agents/{}/reactivate", agent_id), Agent.from_envelope, Auth.ADMIN)


class Agents(AgentOps):
    list = blocking(AgentOps._list)
    get = blocking(AgentOps._get)
    create = blocking(AgentOps._create)
    update = blocking(AgentOps._update)
    delete = blocking(AgentOps._delete)
    rotate = blocking(AgentOps._rotate)
    deactivate = blocking(AgentOps._deactivate)
    reactivate = blocking(AgentOps._reactivate)


class AsyncAgents(AgentOps):
    list = awaitable(AgentOps._list)
    get = awaitable(AgentOps._get)
    create = awaitable(AgentOps._create)
    update = awaitable(AgentOps._update)
    delete = awaitable(AgentOps._delete)
    rotate = awaitable(AgentOps._rotate)
    deactivate = awaitable(AgentOps._deactivate)
    reactivate = awaitable(AgentOps._reactivate)
