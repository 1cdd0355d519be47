"""Public endpoints: identity, health, metadata, JWKS, OpenAPI, metrics and /api/verify."""
from __future__ import annotations

from typing import Any

from .._call import Auth, Call
from .._json import JSONObject
from ..models.service import Readiness, RemoteVerification, ServerMetadata, ServiceInfo
from ._endpoint import Resource, awaitable, blocking


def _document(data: JSONObject) -> dict[str, Any]:
    return dict(data)


class ServiceOps(Resource):
    def _info(self) -> Call[ServiceInfo]:
        """``GET /``: the service name, version and issuer."""
        return Call("GET", "/", ServiceInfo.from_json)

    def _health(self) -> Call[bool]:
        """``GET /health``: whether the server is alive."""
        return Call("GET", "/health", lambda data: data.get("status") == "ok")

    def _ready(self) -> Call[Readiness]:
        """``GET /health/ready``: storage answers (a ``ServerError`` with 503 when it does not)."""
        return Call("GET", "/health/ready", Readiness.from_json)

    def _metadata(self) -> Call[ServerMetadata]:
        """RFC 8414 authorization server metadata."""
        return Call("GET", "/.well-known/oauth-authorization-server", ServerMetadata.from_json)

    def _openid_configuration(self) -> Call[dict[str, Any]]:
        """``/.well-known/openid-configuration``: the metadata with the OpenID Connect fields."""
        return Call("GET", "/.well-known/openid-configuration", _document)

    def _protected_resource(self, resource_path: str = "") -> Call[dict[str, Any]]:
        """RFC 9728 metadata of a protected resource (``resource_path`` for a resource with a path)."""
        suffix = "/" + resource_path.lstrip("/") if resource_path else ""
        return Call("GET", "/.well-known/oauth-protected-resource" + suffix, _document)

    def _jwks(self) -> Call[dict[str, Any]]:
        """The JSON Web Key Set of the signing keys."""
        return Call("GET", "/.well-known/jwks.json", _document)

    def _openapi(self) -> Call[dict[str, Any]]:
        """The OpenAPI 3.1 document of every route."""
        return Call("GET", "/openapi.json", _document)

    def _metrics(self) -> Call[str]:
        """The Prometheus metrics text."""
        return Call("GET", "/metrics", str, text=True)

    def _verify_remote(self, token: str) -> Call[RemoteVerification]:
        """Asks the server what a bearer token or API key is (``/api/verify``). Prefer local
        ``verify_token`` on hot paths; this one sees revocations at once. A token bound to this
        client's DPoP key (its ``cnf.jkt``) is presented as ``Authorization: DPoP`` with a proof.
        """
        dpop = self._state.dpop
        if dpop is not None and dpop.binds(token):
            return Call("GET", "/api/verify", RemoteVerification.from_json, Auth.NONE, token=token)
        return Call("POST", "/api/verify", RemoteVerification.from_json, Auth.NONE, form={"token": token})


class Service(ServiceOps):
    info = blocking(ServiceOps._info)
    health = blocking(ServiceOps._health)
    ready = blocking(ServiceOps._ready)
    metadata = blocking(ServiceOps._metadata)
    openid_configuration = blocking(ServiceOps._openid_configuration)
    protected_resource = blocking(ServiceOps._protected_resource)
    jwks = blocking(ServiceOps._jwks)
    openapi = blocking(ServiceOps._openapi)
    metrics = blocking(ServiceOps._metrics)
    verify_remote = blocking(ServiceOps._verify_remote)


class AsyncService(ServiceOps):
    info = awaitable(ServiceOps._info)
    health = awaitable(ServiceOps._health)
    ready = awaitable(ServiceOps._ready)
    metadata = awaitable(ServiceOps._metadata)
    openid_configuration = awaitable(ServiceOps._openid_configuration)
    protected_resource = awaitable(ServiceOps._protected_resource)
    jwks = awaitable(ServiceOps._jwks)
    openapi = awaitable(ServiceOps._openapi)
    metrics = awaitable(ServiceOps._metrics)
    verify_remote = awaitable(ServiceOps._verify_remote)
