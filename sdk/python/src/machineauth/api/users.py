"""Administrator accounts (owner only): ``client.admin.users``."""
from __future__ import annotations

from collections.abc import Sequence

from .._call import Auth, Call, fields, path
from .._json import JSONObject, objects
from ..models.admin import User
from ..models.common import Deleted
from ._endpoint import Resource, awaitable, blocking


def _users(data: JSONObject) -> list[User]:
    return [User.from_json(item) for item in objects(data, "users")]


class UserOps(Resource):
    def _list(self) -> Call[list[User]]:
        """Every administrator account."""
        return Call("GET", "/api/users", _users, Auth.ADMIN)

    def _create(self, email: str, password: str, *, name: str | None = None, role: str | None = None,
                organization_ids: Sequence[str] | None = None) -> Call[User]:
        """Creates an administrator (``role`` ``admin``, the default, or ``viewer``) of the organizations."""
        return Call("POST", "/api/users", User.from_envelope, Auth.ADMIN, json={
            "email": email, "password": password, **fields(name=name, role=role, organization_ids=organization_ids)})

    def _update(self, user_id: str, *, name: str | None = None, role: str | None = None,
                organization_ids: Sequence[str] | None = None, password: str | None = None) -> Call[User]:
        """Changes an account; a new password ends its sessions."""
        return Call("PATCH", path("/api/users/{}", user_id), User.from_envelope, Auth.ADMIN, json=fields(
            name=name, role=role, organization_ids=organization_ids, password=password))

    def _delete(self, user_id: str) -> Call[Deleted]:
        """Deletes an account."""
        return Call("DELETE", path("/api/users/{}", user_id), Deleted.from_json, Auth.ADMIN)


class Users(UserOps):
    list = blocking(UserOps._list)
    create = blocking(UserOps._create)
    update = blocking(UserOps._update)
    delete = blocking(UserOps._delete)


class AsyncUsers(UserOps):
    list = awaitable(UserOps._list)
    create = awaitable(UserOps._create)
    update = awaitable(UserOps._update)
    delete = awaitable(UserOps._delete)
