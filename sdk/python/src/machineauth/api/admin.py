"""The admin API: ``client.admin`` — sessions, the audit log, figures, and a namespace per object."""
from __future__ import annotations

from datetime import datetime

from .._async_transport import AsyncTransport
from .._call import Auth, Call, fields, query
from .._transport import Transport
from ..models.admin import AdminMe, AuditRecord, Session, Stats
from ..models.common import Page, message
from ._endpoint import Resource, awaitable, blocking
from .agents import Agents, AsyncAgents
from .api_keys import APIKeys, AsyncAPIKeys
from .organizations import AsyncOrganizations, Organizations
from .signing_keys import AsyncSigningKeys, SigningKeys
from .teams import AsyncTeams, Teams
from .users import AsyncUsers, Users
from .webhooks import AsyncWebhooks, Webhooks


class AdminOps(Resource):
    def _keep(self, session: Session) -> None:
        self._state.admin_token = session.token

    def _forget(self, _: str) -> None:
        self._state.admin_token = None

    def _login(self, email: str, password: str) -> Call[Session]:
        """Signs in as an administrator; later admin calls of this client use the session.

        Failed sign-ins are rate limited per e-mail and address (429 with ``Retry-After``).
        """
        return Call("POST", "/api/auth/login", Session.from_json, Auth.NONE,
                    json={"email": email, "password": password}, after=self._keep)

    def _logout(self) -> Call[str]:
        """Ends the session; the client forgets it."""
        return Call("POST", "/api/auth/logout", message, Auth.ADMIN, after=self._forget)

    def _me(self) -> Call[AdminMe]:
        """The signed-in account and the organizations it may work in."""
        return Call("GET", "/api/auth/me", AdminMe.from_json, Auth.ADMIN)

    def _switch_organization(self, organization_id: str) -> Call[Session]:
        """A session working in another of the administrator's organizations (kept by the client)."""
        return Call("POST", "/api/auth/switch-org", Session.from_json, Auth.ADMIN,
                    json={"organization_id": organization_id}, after=self._keep)

    def _signup(self, email: str, password: str, organization_name: str, *, name: str | None = None,
                organization_slug: str | None = None) -> Call[Session]:
        """Creates an administrator and their organization (when the server allows sign-up) and
        keeps the new session.
        """
        return Call("POST", "/api/auth/signup", Session.from_json, Auth.NONE, json={
            "email": email, "password": password, "organization_name": organization_name,
            **fields(name=name, organization_slug=organization_slug)}, after=self._keep)

    def _audit_logs(self, *, agent_id: str | None = None, action: str | None = None, actor: str | None = None,
                    organization_id: str | None = None, since: datetime | str | None = None,
                    until: datetime | str | None = None, page: int | None = None,
                    limit: int | None = None) -> Call[Page[AuditRecord]]:
        """The audit trail, newest first; ``action`` is an event type or a prefix such as ``token.*``."""
        params = query(agent_id=agent_id, action=action, actor=actor, organization_id=organization_id,
                       page=page, limit=limit)
        params.update(query(**{"from": since, "to": until}))
        return Call("GET", "/api/audit-logs", Page.reader("audit_logs", AuditRecord.from_json), Auth.ADMIN,
                    params=params)

    def _stats(self) -> Call[Stats]:
        """Instance-wide figures (owner only)."""
        return Call("GET", "/api/stats", Stats.from_json, Auth.ADMIN)


class Admin(AdminOps):
    """``client.admin`` of ``MachineAuthClient``."""

    def __init__(self, transport: Transport) -> None:
        super().__init__(transport)
        self.agents = Agents(transport)
        self.organizations = Organizations(transport)
        self.teams = Teams(transport)
        self.api_keys = APIKeys(transport)
        self.webhooks = Webhooks(transport)
        self.users = Users(transport)
        self.keys = SigningKeys(transport)

    login = blocking(AdminOps._login)
    logout = blocking(AdminOps._logout)
    me = blocking(AdminOps._me)
    switch_organization = blocking(AdminOps._switch_organization)
    signup = blocking(AdminOps._signup)
    audit_logs = blocking(AdminOps._audit_logs)
    stats = blocking(AdminOps._stats)


class AsyncAdmin(AdminOps):
    """``client.admin`` of ``AsyncMachineAuthClient``."""

    def __init__(self, transport: AsyncTransport) -> None:
        super().__init__(transport)
        self.agents = AsyncAgents(transport)
        self.organizations = AsyncOrganizations(transport)
        self.teams = AsyncTeams(transport)
        self.api_keys = AsyncAPIKeys(transport)
        self.webhooks = AsyncWebhooks(transport)
        self.users = AsyncUsers(transport)
        self.keys = AsyncSigningKeys(transport)

    login = awaitable(AdminOps._login)
    logout = awaitable(AdminOps._logout)
    me = awaitable(AdminOps._me)
    switch_organization = awaitable(AdminOps._switch_organization)
    signup = awaitable(AdminOps._signup)
    audit_logs = awaitable(AdminOps._audit_logs)
    stats = awaitable(AdminOps._stats)
