"""Organization API keys through the admin API: ``client.admin.api_keys``."""
from __future__ import annotations

from datetime import datetime

from .._call import Auth, Call, fields, path
from .._json import JSONObject, objects
from ..models.tenancy import APIKey, APIKeyCreated
from ._endpoint import Resource, awaitable, blocking


def _keys(data: JSONObject) -> list[APIKey]:
    return [APIKey.from_json(item) for item in objects(data, "api_keys")]


class APIKeyOps(Resource):
    def _list(self, organization_id: str) -> Call[list[APIKey]]:
        """The organization's API keys (prefix, dates and status; never the keys)."""
        return Call("GET", path("/api/organizations/{}/api-keys", organization_id), _keys, Auth.ADMIN)

    def _create(self, organization_id: str, name: str, *, expires_in: int | None = None,
                expires_at: datetime | str | None = None) -> Call[APIKeyCreated]:
        """Creates an API key; the result's ``key`` (``sk_…``) is shown only this once. Pass it
        as ``api_key=`` to a client to act for the organization.
        """
        return Call("POST", path("/api/organizations/{}/api-keys", organization_id), APIKeyCreated.from_json,
                    Auth.ADMIN, json={"name": name, **fields(expires_in=expires_in, expires_at=expires_at)})

    def _revoke(self, organization_id: str, key_id: str) -> Call[APIKey]:
        """Revokes an API key at once."""
        return Call("DELETE", path("/api/organizations/{}/api-keys/{}", organization_id, key_id),
                    APIKey.from_envelope, Auth.ADMIN)


class APIKeys(APIKeyOps):
    list = blocking(APIKeyOps._list)
    create = blocking(APIKeyOps._create)
    revoke = blocking(APIKeyOps._revoke)


class AsyncAPIKeys(APIKeyOps):
    list = awaitable(APIKeyOps._list)
    create = awaitable(APIKeyOps._create)
    revoke = awaitable(APIKeyOps._revoke)
