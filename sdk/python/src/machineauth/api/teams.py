"""Teams of an organization through the admin API: ``client.admin.teams``."""
from __future__ import annotations

from .._call import Auth, Call, fields, path
from .._json import JSONObject, objects
from ..models.common import Deleted
from ..models.tenancy import Team
from ._endpoint import Resource, awaitable, blocking


def _teams(data: JSONObject) -> list[Team]:
    return [Team.from_json(item) for item in objects(data, "teams")]


class TeamOps(Resource):
    def _list(self, organization_id: str) -> Call[list[Team]]:
        """The organization's teams."""
        return Call("GET", path("/api/organizations/{}/teams", organization_id), _teams, Auth.ADMIN)

    def _get(self, organization_id: str, team_id: str) -> Call[Team]:
        """One team."""
        return Call("GET", path("/api/organizations/{}/teams/{}", organization_id, team_id), Team.from_envelope,
                    Auth.ADMIN)

    def _create(self, organization_id: str, name: str, *, description: str | None = None) -> Call[Team]:
        """Creates a team."""
        return Call("POST", path("/api/organizations/{}/teams", organization_id), Team.from_envelope, Auth.ADMIN,
                    json={"name": name, **fields(description=description)})

    def _update(self, organization_id: str, team_id: str, *, name: str | None = None,
                description: str | None = None) -> Call[Team]:
        """Changes the given fields."""
        return Call("PATCH", path("/api/organizations/{}/teams/{}", organization_id, team_id), Team.from_envelope,
                    Auth.ADMIN, json=fields(name=name, description=description))

    def _delete(self, organization_id: str, team_id: str) -> Call[Deleted]:
        """Deletes a team; its agents stay, without a team."""
        return Call("DELETE", path("/api/organizations/{}/teams/{}", organization_id, team_id), Deleted.from_json,
                    Auth.ADMIN)


class Teams(TeamOps):
    list = blocking(TeamOps._list)
    get = blocking(TeamOps._get)
    create = blocking(TeamOps._create)
    update = blocking(TeamOps._update)
    delete = blocking(TeamOps._delete)


class AsyncTeams(TeamOps):
    list = awaitable(TeamOps._list)
    get = awaitable(TeamOps._get)
    create = awaitable(TeamOps._create)
    update = awaitable(TeamOps._update)
    delete = awaitable(TeamOps._delete)
