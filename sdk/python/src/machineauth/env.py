"""Client settings from the environment (``from_env``)."""
from __future__ import annotations

import os
from collections.abc import Mapping

from .errors import ConfigurationError

URL = "MACHINEAUTH_URL"
CLIENT_ID = "MACHINEAUTH_CLIENT_ID"
CLIENT_SECRET = "MACHINEAUTH_CLIENT_SECRET"


def settings_from_env(environ: Mapping[str, str] | None = None) -> tuple[str, str | None, str | None]:
    """``(url, client_id, client_secret)`` from ``MACHINEAUTH_URL``, ``MACHINEAUTH_CLIENT_ID`` and
    ``MACHINEAUTH_CLIENT_SECRET``. The URL is required; the id and the secret come together or not at all.
    """
    env = os.environ if environ is None else environ
    url = env.get(URL, "").strip()
    if not url:
        raise ConfigurationError(f"{URL} is not set")
    client_id = env.get(CLIENT_ID, "").strip() or None
    client_secret = env.get(CLIENT_SECRET, "").strip() or None
    if (client_id is None) != (client_secret is None):
        missing = CLIENT_SECRET if client_secret is None else CLIENT_ID
        raise ConfigurationError(f"{missing} is not set (it goes with {CLIENT_ID if missing == CLIENT_SECRET else CLIENT_SECRET})")
    return url, client_id, client_secret
