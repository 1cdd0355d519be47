"""Organizations through the admin API: ``client.admin.organizations``."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from .._call import UNSET, Auth, Call, Unset, fields, nullable, path, query
from ..models.agents import Agent, AgentCreated
from ..models.common import Page
from ..models.tenancy import Organization, OrganizationDeleted
from ._endpoint import Resource, awaitable, blocking
from .agents import AGENT_LIST, agent_fields


class OrganizationOps(Resource):
    def _list(self, *, page: int | None = None, limit: int | None = None) -> Call[Page[Organization]]:
        """Organizations the caller may see."""
        return Call("GET", "/api/organizations", Page.reader("organizations", Organization.from_json), Auth.ADMIN,
                    params=query(page=page, limit=limit))

    def _get(self, organization_id: str) -> Call[Organization]:
        """One organization."""
        return Call("GET", path("/api/organizations/{}", organization_id), Organization.from_envelope, Auth.ADMIN)

    def _create(self, name: str, slug: str, *, owner_email: str | None = None) -> Call[Organization]:
        """Creates an organization; ``slug`` is a lowercase DNS label."""
        return Call("POST", "/api/organizations", Organization.from_envelope, Auth.ADMIN,
                    json={"name": name, "slug": slug, **fields(owner_email=owner_email)})

    def _update(self, organization_id: str, *, name: str | None = None, slug: str | None = None,
                owner_email: str | None | Unset = UNSET) -> Call[Organization]:
        """Changes the given fields; ``owner_email=None`` clears the owner."""
        return Call("PATCH", path("/api/organizations/{}", organization_id), Organization.from_envelope, Auth.ADMIN,
                    json={**fields(name=name, slug=slug), **nullable(owner_email=owner_email)})

    def _delete(self, organization_id: str, *, cascade: bool = False) -> Call[OrganizationDeleted]:
        """Deletes an organization; with ``cascade`` also its teams, agents and API keys."""
        return Call("DELETE", path("/api/organizations/{}", organization_id), OrganizationDeleted.from_json,
                    Auth.ADMIN, params=query(cascade=True) if cascade else None)

    def _list_agents(self, organization_id: str, *, q: str | None = None, status: str | None = None,
                     team_id: str | None = None, scope: str | None = None, page: int | None = None,
                     limit: int | None = None) -> Call[Page[Agent]]:
        """The organization's agents."""
        return Call("GET", path("/api/organizations/{}/agents", organization_id), AGENT_LIST, Auth.ADMIN,
                    params=query(q=q, status=status, team_id=team_id, scope=scope, page=page, limit=limit))

    def _create_agent(self, organization_id: str, name: str, *, description: str | None = None,
                      scopes: Sequence[str] | None = None, tags: Sequence[str] | None = None,
                      metadata: Mapping[str, str] | None = None, grant_types: Sequence[str] | None = None,
                      allowed_audiences: Sequence[str] | None = None, expires_in: int | None = None,
                      expires_at: datetime | str | None = None, team_id: str | None = None) -> Call[AgentCreated]:
        """Creates an agent in the organization (see ``agents.create``)."""
        body = {"name": name, **agent_fields(
            description=description, scopes=scopes, tags=tags, metadata=metadata, grant_types=grant_types,
            allowed_audiences=allowed_audiences, expires_in=expires_in or UNSET, expires_at=expires_at or UNSET,
            team_id=team_id or UNSET)}
        return Call("POST", path("/api/organizations/{}/agents", organization_id), AgentCreated.from_json,
                    Auth.ADMIN, json=body)


class Organizations(OrganizationOps):
    list = blocking(OrganizationOps._list)
    get = blocking(OrganizationOps._get)
    create = blocking(OrganizationOps._create)
    update = blocking(OrganizationOps._update)
    delete = blocking(OrganizationOps._delete)
    list_agents = blocking(OrganizationOps._list_agents)
    create_agent = blocking(OrganizationOps._create_agent)


class AsyncOrganizations(OrganizationOps):
    list = awaitable(OrganizationOps._list)
    get = awaitable(OrganizationOps._get)
    create = awaitable(OrganizationOps._create)
    update = awaitable(OrganizationOps._update)
    delete = awaitable(OrganizationOps._delete)
    list_agents = awaitable(OrganizationOps._list_agents)
    create_agent = awaitable(OrganizationOps._create_agent)
