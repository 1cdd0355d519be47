"""Moving from JSON to PostgreSQL with `machineauth migrate-store`, and `backup` / `restore`:
after the move an old client secret gets a token, an old refresh token refreshes once, a revoked
access token stays revoked, and a webhook delivery that was pending is sent once."""
import json
import os
import subprocess
import time
import uuid

import pytest
import requests

from conftest import BINARY, Server
from test_webhooks import WEBHOOK_ENV, Receiver, create_webhook, wait_until

pytestmark = pytest.mark.skipif(not os.environ.get("MACHINEAUTH_TEST_POSTGRES_URL"), reason="needs MACHINEAUTH_TEST_POSTGRES_URL (scripts/test sets it)")

# One issuer before and after the move, as a real deployment keeps its public URL.
ENV = {**WEBHOOK_ENV, "REFRESH_TOKENS_FOR_CLIENT_CREDENTIALS": "true", "WEBHOOK_RETRY_INITIAL_DELAY": "2s", "ISSUER": "https://auth.migrate.test"}


def fresh_database():
    admin_url = os.environ["MACHINEAUTH_TEST_POSTGRES_URL"]
    name = "migrate_" + uuid.uuid4().hex[:12]
    subprocess.run(["psql", admin_url.replace("?sslmode=disable", ""), "-q", "-c", f"CREATE DATABASE {name}"], check=True)
    base = admin_url.split("?")[0].rsplit("/", 1)[0]
    return f"{base}/{name}?sslmode=disable"


def cli(*arguments, check=True):
    result = subprocess.run([BINARY, *arguments], capture_output=True, text=True, env={**os.environ, "MACHINEAUTH_CONFIG": ""}, timeout=120)
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def token(server, client_id, secret, **extra):
    return requests.post(server.base + "/oauth/token", data={"grant_type": "client_credentials", **extra}, auth=(client_id, secret))


def introspect(server, access_token):
    reply = requests.post(server.base + "/oauth/introspect", data={"token": access_token},
                          headers={"Authorization": "Bearer " + server.admin_token()})
    assert reply.status_code == 200, reply.text
    return reply.json()


def populate(server, receiver):
    """Agents with tokens, a refresh token, a revoked token, and a delivery that cannot be sent yet."""
    hook = create_webhook(server, receiver.base + "/later", events=("agent.created",))
    client_id, secret, agent_id = server.create_agent("migrated", scopes=("read",))
    issued = token(server, client_id, secret)
    assert issued.status_code == 200, issued.text
    refresh_token = issued.json()["refresh_token"]
    revoked = token(server, client_id, secret).json()["access_token"]
    reply = requests.post(server.base + "/oauth/revoke", data={"token": revoked}, auth=(client_id, secret))
    assert reply.status_code == 200
    for index in range(3):
        server.create_agent(f"fleet-{index}")
    return {"hook": hook, "client_id": client_id, "secret": secret, "agent_id": agent_id, "refresh": refresh_token, "revoked": revoked}


def test_json_store_moves_to_postgresql_and_keeps_working(tmp_path):
    receiver = Receiver()
    receiver_port = receiver.server.server_address[1]
    receiver.stop()  # nothing listens: the agent.created deliveries stay pending
    json_dir = tmp_path / "json"
    json_dir.mkdir()
    old = Server(ENV, directory=str(json_dir))
    try:
        state = populate(old, receiver)
    finally:
        old.stop()
    store = f"json:{json_dir}/machineauth.json"
    database = fresh_database()

    moved = cli("migrate-store", "--from", store, "--to", database)
    assert "agents=4" in moved.stdout and "refresh_tokens=" in moved.stdout and "verified:" in moved.stdout, moved.stdout
    again = cli("migrate-store", "--from", store, "--to", database, check=False)
    assert again.returncode == 1 and "already holds objects" in again.stderr and "--merge" in again.stderr
    merged = cli("migrate-store", "--from", store, "--to", database, "--merge")
    assert "written:  organizations=0 teams=0 agents=0" in merged.stdout, merged.stdout

    receiver = Receiver(port=receiver_port)
    new = Server({**ENV, "DATABASE_URL": database}, directory=str(tmp_path))
    try:
        again = token(new, state["client_id"], state["secret"])
        assert again.status_code == 200, again.text
        assert introspect(new, again.json()["access_token"])["active"] is True

        refreshed = requests.post(new.base + "/oauth/token", data={"grant_type": "refresh_token", "refresh_token": state["refresh"]},
                                  auth=(state["client_id"], state["secret"]))
        assert refreshed.status_code == 200, refreshed.text
        replayed = requests.post(new.base + "/oauth/token", data={"grant_type": "refresh_token", "refresh_token": state["refresh"]},
                                 auth=(state["client_id"], state["secret"]))
        assert replayed.status_code == 400 and replayed.json()["error"] == "invalid_grant"

        assert introspect(new, state["revoked"])["active"] is False

        deliveries = wait_until(lambda: len(receiver.on("/later")) >= 4 and receiver.on("/later"), 30)
        time.sleep(3)  # longer than the retry delay: a second send would have arrived
        deliveries = receiver.on("/later")
        ids = [r["id"] for r in deliveries]
        assert len(ids) == 4 and len(set(ids)) == 4, "each pending delivery sent once"
        assert {json.loads(r["body"])["type"] for r in deliveries} == {"agent.created"}
    finally:
        new.stop()
        receiver.stop()


def test_backup_and_restore_round_trip(tmp_path):
    directory = tmp_path / "a"
    directory.mkdir()
    server = Server(ENV, directory=str(directory))
    try:
        client_id, secret, _ = server.create_agent("kept")
    finally:
        server.stop()
    backup = tmp_path / "snapshot.json"
    out = cli("backup", str(backup), "--store", f"json:{directory}/machineauth.json")
    assert "agents=1" in out.stdout
    assert oct(os.stat(backup).st_mode & 0o777) == "0o600"
    text = backup.read_text()
    assert secret not in text, "secrets are stored as hashes only"
    assert json.loads(text)["format"] == "machineauth-store-snapshot"

    bad = tmp_path / "not-a-snapshot.json"
    bad.write_text('{"agents": []}')
    refused = cli("restore", str(bad), "--store", f"json:{tmp_path}/x.json", check=False)
    assert refused.returncode == 1 and "is not a MachineAuth snapshot" in refused.stderr

    for target in (f"json:{tmp_path}/restored/machineauth.json", fresh_database()):
        if target.startswith("json:"):
            (tmp_path / "restored").mkdir()
        restored = cli("restore", str(backup), "--store", target)
        assert "agents=1" in restored.stdout, restored.stdout
        env = {**ENV, "DATABASE_URL": target}
        server = Server(env, directory=str(tmp_path))
        try:
            assert token(server, client_id, secret).status_code == 200
        finally:
            server.stop()
