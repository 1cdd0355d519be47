"""The signing key ring (owner only): ``client.admin.keys``."""
from __future__ import annotations

from .._call import Auth, Call
from ..models.admin import KeyRing
from ._endpoint import Resource, awaitable, blocking


class SigningKeyOps(Resource):
    def _list(self) -> Call[KeyRing]:
        """The key ring: the active key and the retired ones still published."""
        return Call("GET", "/api/keys", KeyRing.from_json, Auth.ADMIN)

    def _rotate(self) -> Call[KeyRing]:
        """Signs with a new key from now on; the old one stays in the JWKS until its tokens expire."""
        return Call("POST", "/api/keys/rotate", KeyRing.from_json, Auth.ADMIN)


class SigningKeys(SigningKeyOps):
    list = blocking(SigningKeyOps._list)
    rotate = blocking(SigningKeyOps._rotate)


class AsyncSigningKeys(SigningKeyOps):
    list = awaitable(SigningKeyOps._list)
    rotate = awaitable(SigningKeyOps._rotate)
