#!/usr/bin/env python3
"""Seeds a running MachineAuth server for the Schemathesis run (tests/api-fuzz/run).

    fuzz_setup.py seed   BASE_URL ADMIN_PASSWORD OUT_DIR   # identities, objects, env.sh, schemathesis.toml
    fuzz_setup.py agent-token BASE_URL OWNER_TOKEN         # a new agent's access token, on stdout
    fuzz_setup.py health BASE_URL                          # exit 0 when GET /health answers {"status": "ok"}

`seed` signs in as the instance owner, creates through the API an organization with a team, two
agents, an API key, a webhook to an https URL, a trusted issuer and two administrator accounts (a viewer and an
admin), then signs in as the viewer and gets an access token for one agent. It writes:

- OUT_DIR/env.sh: shell assignments (OWNER_TOKEN, VIEWER_TOKEN, API_KEY, AGENT_TOKEN, the ids)
  for the run script to source;
- OUT_DIR/schemathesis.toml: dictionaries of the seeded ids bound to the path parameters, query
  parameters and body fields that name them, so part of the generated requests reach real
  objects instead of 404s.

Two agents so that the agent whose token is used for `/api/agents/me…` (`self`) is never one the
fuzzer targets by id (`target`): an administrator's PATCH with a past `expires_at`, a rotation or
a deactivation of the target would otherwise kill the self-service token halfway through.

Standard library only: it runs before anything else is installed and needs nothing of the venv.
"""
import json
import os
import shlex
import sys
import urllib.error
import urllib.parse
import urllib.request

OWNER_EMAIL = "admin@example.com"


class Client:
    def __init__(self, base):
        self.base = base.rstrip("/")

    def call(self, method, path, token=None, body=None, form=None, basic=None, expect=(200, 201)):
        headers = {"Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        elif form is not None:
            data = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if token:
            headers["Authorization"] = "Bearer " + token
        if basic:
            import base64
            headers["Authorization"] = "Basic " + base64.b64encode(f"{basic[0]}:{basic[1]}".encode()).decode()
        request = urllib.request.Request(self.base + path, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=15) as response:
                status, text = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode()
        if status not in expect:
            raise SystemExit(f"seed: {method} {path} answered {status}: {text[:500]}")
        return json.loads(text) if text else {}


def seed(base, password, out):
    api = Client(base)
    owner = api.call("POST", "/api/auth/login", body={"email": OWNER_EMAIL, "password": password})["token"]

    organization = api.call("POST", "/api/organizations", owner, {"name": "Fuzz Org", "slug": "fuzz-org"})["organization"]
    org = organization["id"]
    team = api.call("POST", f"/api/organizations/{org}/teams", owner, {"name": "fuzz-team", "description": "seeded"})["team"]["id"]

    target = api.call("POST", "/api/agents", owner, {
        "name": "fuzz-target", "description": "the agent the fuzzer addresses by id", "scopes": ["read", "write"],
        "tags": ["fuzz"], "metadata": {"env": "fuzz"}, "organization_id": org, "team_id": team})
    self_agent = api.call("POST", "/api/agents", owner, {
        "name": "fuzz-self", "description": "uses its own token for /api/agents/me", "scopes": ["read", "write"],
        "organization_id": org})

    key = api.call("POST", f"/api/organizations/{org}/api-keys", owner, {"name": "fuzz-key"})
    webhook = api.call("POST", "/api/webhooks", owner, {
        "name": "fuzz-hook", "url": "https://example.invalid/hook", "events": ["agent.*"], "organization_id": org,
        "max_retries": 0})["webhook"]["id"]
    issuer = api.call("POST", "/api/trusted-issuers", owner, {
        "name": "fuzz-cluster", "issuer": "https://oidc.fuzz.example", "preset": "kubernetes",
        "rules": [{"subject": "system:serviceaccount:fuzz:*", "agent": target["client_id"]}]})["trusted_issuer"]["id"]

    viewer_password = "fuzz-viewer-password-1"
    viewer = api.call("POST", "/api/users", owner, {
        "email": "viewer@fuzz.example", "password": viewer_password, "name": "Fuzz Viewer", "role": "viewer",
        "organization_ids": [org]})["user"]["id"]
    admin_user = api.call("POST", "/api/users", owner, {
        "email": "admin@fuzz.example", "password": "fuzz-admin-password-1", "name": "Fuzz Admin", "role": "admin",
        "organization_ids": [org]})["user"]["id"]
    viewer_token = api.call("POST", "/api/auth/login", body={"email": "viewer@fuzz.example", "password": viewer_password})["token"]

    agent_token = api.call(
        "POST", "/oauth/token", form={"grant_type": "client_credentials", "scope": "read write"},
        basic=(self_agent["client_id"], self_agent["client_secret"]))["access_token"]
    # Sanity: every identity works before the fuzzer starts.
    api.call("GET", "/api/auth/me", owner)
    api.call("GET", "/api/auth/me", viewer_token)
    api.call("GET", f"/api/organizations/{org}/teams", key["key"])
    api.call("GET", "/api/agents/me", agent_token)

    ids = {
        "ORG_ID": org, "TEAM_ID": team, "AGENT_ID": target["agent"]["id"], "AGENT_CLIENT_ID": target["client_id"],
        "SELF_AGENT_ID": self_agent["agent"]["id"], "SELF_CLIENT_ID": self_agent["client_id"],
        "SELF_CLIENT_SECRET": self_agent["client_secret"], "API_KEY_ID": key["api_key"]["id"], "WEBHOOK_ID": webhook,
        "TRUSTED_ISSUER_ID": issuer,
        "VIEWER_USER_ID": viewer, "ADMIN_USER_ID": admin_user,
    }
    secrets = {"OWNER_TOKEN": owner, "VIEWER_TOKEN": viewer_token, "API_KEY": key["key"], "AGENT_TOKEN": agent_token}
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "env.sh"), "w") as handle:
        for name, value in {**ids, **secrets}.items():
            handle.write(f"{name}={shlex.quote(value)}\n")
    with open(os.path.join(out, "schemathesis.toml"), "w") as handle:
        handle.write(config(ids))
    print(f"seed: organization {org}, team {team}, agent {ids['AGENT_ID']}, API key {ids['API_KEY_ID']}, webhook {webhook}")


def config(ids):
    """Schemathesis 4 configuration: seeded ids offered for half of the generated values."""
    def values(*items):
        return "[" + ", ".join(json.dumps(item) for item in items) + "]"

    def bind(name, probability=0.5):
        return f'{{ dictionary = "{name}", probability = {probability} }}'

    return f"""# Written by tests/api-fuzz/fuzz_setup.py for one run; ids of the objects it seeded.
[dictionaries.organizations]
values = {values(ids["ORG_ID"])}
[dictionaries.teams]
values = {values(ids["TEAM_ID"])}
[dictionaries.agents]
values = {values(ids["AGENT_ID"])}
[dictionaries.api_keys]
values = {values(ids["API_KEY_ID"])}
[dictionaries.webhooks]
values = {values(ids["WEBHOOK_ID"])}
[dictionaries.trusted_issuers]
values = {values(ids["TRUSTED_ISSUER_ID"])}
[dictionaries.users]
values = {values(ids["ADMIN_USER_ID"], ids["VIEWER_USER_ID"])}
[dictionaries.clients]
values = {values(ids["AGENT_CLIENT_ID"])}

# Query parameters and body fields that name seeded objects, wherever they occur.
[parameters]
"query.organization_id" = {bind("organizations")}
"query.team_id" = {bind("teams")}
"query.agent_id" = {bind("agents")}
"body.organization_id" = {bind("organizations")}
"body.team_id" = {bind("teams")}

[[operations]]
include-path-regex = '^/api/agents/\\{{id\\}}'
parameters = {{ "path.id" = {bind("agents")} }}

[[operations]]
include-path-regex = '^/api/organizations/\\{{id\\}}'
parameters = {{ "path.id" = {bind("organizations", 0.7)}, "path.team_id" = {bind("teams")}, "path.key_id" = {bind("api_keys")} }}

[[operations]]
include-path-regex = '^/api/webhooks/\\{{id\\}}'
parameters = {{ "path.id" = {bind("webhooks")} }}

[[operations]]
include-path-regex = '^/api/trusted-issuers/\\{{id\\}}'
parameters = {{ "path.id" = {bind("trusted_issuers")} }}

[[operations]]
include-path-regex = '^/api/users/\\{{id\\}}'
parameters = {{ "path.id" = {bind("users")} }}
"""


def agent_token(base, owner):
    """A fresh agent and its token, for the teardown pass: the seeded agent's may be gone by then."""
    api = Client(base)
    agent = api.call("POST", "/api/agents", owner, {"name": "fuzz-teardown", "scopes": ["read"]})
    print(api.call("POST", "/oauth/token", form={"grant_type": "client_credentials"},
                   basic=(agent["client_id"], agent["client_secret"]))["access_token"])


def health(base):
    try:
        reply = Client(base).call("GET", "/health")
    except (OSError, SystemExit) as error:
        print(f"health: {error}", file=sys.stderr)
        return 1
    if reply.get("status") != "ok":
        print(f"health: unexpected answer {reply}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "seed":
        seed(*sys.argv[2:])
    elif len(sys.argv) == 4 and sys.argv[1] == "agent-token":
        agent_token(*sys.argv[2:])
    elif len(sys.argv) == 3 and sys.argv[1] == "health":
        sys.exit(health(sys.argv[2]))
    else:
        sys.exit(__doc__)
