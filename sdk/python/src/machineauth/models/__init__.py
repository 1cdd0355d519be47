"""Typed results of every call (frozen dataclasses)."""
from .admin import AdminMe, AuditRecord, KeyRing, Session, SessionUser, SigningKey, Stats, User
from .agents import Agent, AgentCreated, AgentRotated, AgentUsage
from .common import Deleted, Page, Pagination
from .service import Readiness, RemoteVerification, ServerMetadata, ServiceInfo
from .tenancy import APIKey, APIKeyCreated, Organization, OrganizationDeleted, Team
from .tokens import Introspection, Token, UserInfo
from .webhooks import Webhook, WebhookAttempt, WebhookDelivery, WebhookEventType, WebhookWithSecret

__all__ = [
    "APIKey", "APIKeyCreated", "AdminMe", "Agent", "AgentCreated", "AgentRotated", "AgentUsage", "AuditRecord",
    "Deleted", "Introspection", "KeyRing", "Organization", "OrganizationDeleted", "Page", "Pagination", "Readiness",
    "RemoteVerification", "ServerMetadata", "ServiceInfo", "Session", "SessionUser", "SigningKey", "Stats", "Team",
    "Token", "User", "UserInfo", "Webhook", "WebhookAttempt", "WebhookDelivery", "WebhookEventType",
    "WebhookWithSecret",
]
