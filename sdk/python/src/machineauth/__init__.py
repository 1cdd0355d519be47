"""MachineAuth client library: agent tokens that are always fresh, an httpx auth that attaches
them, the whole admin API, and local token verification for resource servers.

>>> from machineauth import MachineAuthClient
>>> client = MachineAuthClient.from_env()          # MACHINEAUTH_URL, _CLIENT_ID, _CLIENT_SECRET
>>> token = client.get_token(scope="read")
"""
from ._call import UNSET
from ._retry import RetryPolicy
from .async_client import AsyncMachineAuthClient
from .auth import AgentTokenAuth, AsyncAgentTokenAuth
from .client import MachineAuthClient
from .credentials import ClientCredentials, PrivateKeyCredentials
from .dpop import DPoPKey
from .federation import JWT_BEARER_GRANT, WorkloadIdentity, github_actions_token
from .errors import (APIError, AuthenticationError, BadRequestError, ConfigurationError, ConflictError,
                     MachineAuthError, NotFoundError, PermissionDeniedError, RateLimitError, ServerError,
                     TokenVerificationError)
from .models import *  # noqa: F403 - the result types
from .models import __all__ as _models
from .token_cache import AsyncTokenCache, TokenCache
from .verify import AsyncTokenVerifier, TokenVerifier, VerifiedToken, verify_token

__version__ = "0.1.0"

__all__ = [
    "APIError", "AgentTokenAuth", "AsyncAgentTokenAuth", "AsyncMachineAuthClient", "AsyncTokenCache",
    "AsyncTokenVerifier", "AuthenticationError", "BadRequestError", "ClientCredentials", "ConfigurationError", "DPoPKey",
    "PrivateKeyCredentials", "WorkloadIdentity", "JWT_BEARER_GRANT", "github_actions_token",
    "ConflictError", "MachineAuthClient", "MachineAuthError", "NotFoundError", "PermissionDeniedError",
    "RateLimitError", "RetryPolicy", "ServerError", "TokenCache", "TokenVerificationError", "TokenVerifier",
    "UNSET", "VerifiedToken", "verify_token", *_models,
]
