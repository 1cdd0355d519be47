"""Webhooks end to end: a real receiver on loopback, signatures checked with the independent
`standardwebhooks` implementation, retries, restarts, dead receivers, slow receivers, and two
instances on one PostgreSQL database delivering a burst exactly once."""
import json
import os
import subprocess
import threading
import time
import uuid
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from standardwebhooks.webhooks import Webhook

from conftest import Server

WEBHOOK_ENV = {"WEBHOOK_ALLOW_PRIVATE_TARGETS": "true", "WEBHOOK_RETRY_INITIAL_DELAY": "300ms", "WEBHOOK_TIMEOUT_SECS": "5"}


class Receiver:
    """Records every delivery; /flaky?fail=N fails each message N times, /dead always fails, /slow sleeps."""

    def __init__(self, port=0):
        receiver = self
        self.lock = threading.Lock()
        self.requests = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(length)
                url = urlparse(self.path)
                query = parse_qs(url.query)
                message = self.headers.get("webhook-id")
                with receiver.lock:
                    seen = sum(1 for r in receiver.requests if r["id"] == message)
                    receiver.requests.append({"id": message, "path": url.path, "headers": dict(self.headers), "body": body})
                if url.path == "/slow":
                    time.sleep(float(query.get("seconds", ["3"])[0]))
                failing = url.path == "/dead" or (url.path == "/flaky" and seen < int(query.get("fail", ["0"])[0]))
                self.send_response(500 if failing else 204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"

    def on(self, path):
        with self.lock:
            return [r for r in self.requests if r["path"] == path]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    instance = Receiver()
    yield instance
    instance.stop()


def wait_until(check, limit=20.0):
    deadline = time.time() + limit
    while time.time() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("condition not met in time")


def create_webhook(server, url, events=("agent.*",), **extra):
    body = {"name": "test", "url": url, "events": list(events), **extra}
    reply = requests.post(server.base + "/api/webhooks", json=body, headers={"Authorization": "Bearer " + server.admin_token()})
    assert reply.status_code == 201, reply.text
    return reply.json()


def deliveries(server, webhook_id):
    reply = requests.get(f"{server.base}/api/webhooks/{webhook_id}/deliveries", headers={"Authorization": "Bearer " + server.admin_token()})
    return reply.json()["deliveries"]


def test_signature_verifies_with_an_independent_implementation(server_factory, receiver):
    server = server_factory(**WEBHOOK_ENV)
    created = create_webhook(server, receiver.base + "/ok")
    assert created["secret"].startswith("whsec_")
    _, _, agent_id = server.create_agent(name="signed")
    request = wait_until(lambda: receiver.on("/ok"))[0]
    payload = Webhook(created["secret"]).verify(request["body"], {k.lower(): v for k, v in request["headers"].items()})
    assert payload["type"] == "agent.created" and payload["data"]["target"]["id"] == agent_id
    with pytest.raises(Exception):
        Webhook("whsec_" + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldY").verify(request["body"], {k.lower(): v for k, v in request["headers"].items()})
    assert "secret" not in json.dumps(requests.get(f"{server.base}/api/webhooks/{created['webhook']['id']}",
                                                    headers={"Authorization": "Bearer " + server.admin_token()}).json())


def test_failing_twice_then_succeeding_gives_one_success_after_two_retries(server_factory, receiver):
    server = server_factory(**WEBHOOK_ENV)
    webhook = create_webhook(server, receiver.base + "/flaky?fail=2", max_retries=5)["webhook"]
    server.create_agent(name="flaky")
    delivered = wait_until(lambda: [d for d in deliveries(server, webhook["id"]) if d["status"] == "delivered"])
    assert delivered[0]["attempts"] == 3
    assert [a["status_code"] for a in delivered[0]["attempt_history"]] == [500, 500, 204]
    time.sleep(1)
    hits = receiver.on("/flaky")
    assert len(hits) == 3 and len({h["id"] for h in hits}) == 1, "one message id, retried twice, delivered once"


def test_dead_receiver_ends_dead_after_max_retries(server_factory, receiver):
    server = server_factory(**WEBHOOK_ENV)
    webhook = create_webhook(server, receiver.base + "/dead", max_retries=2, retry_backoff_base=1)["webhook"]
    server.create_agent(name="doomed")
    dead = wait_until(lambda: [d for d in deliveries(server, webhook["id"]) if d["status"] == "dead"])
    assert dead[0]["attempts"] == 3 and dead[0]["last_status_code"] == 500
    assert len(receiver.on("/dead")) == 3
    state = requests.get(f"{server.base}/api/webhooks/{webhook['id']}", headers={"Authorization": "Bearer " + server.admin_token()}).json()
    assert state["webhook"]["consecutive_fails"] == 1


def test_a_slow_receiver_never_slows_the_api(server_factory, receiver):
    server = server_factory(**WEBHOOK_ENV)
    create_webhook(server, receiver.base + "/slow?seconds=4")
    started = time.time()
    server.create_agent(name="quick")
    assert time.time() - started < 1.5
    wait_until(lambda: receiver.on("/slow"))


def test_stopped_mid_retry_and_restarted_the_delivery_completes(server_factory, receiver):
    env = dict(WEBHOOK_ENV, WEBHOOK_RETRY_INITIAL_DELAY="2s")
    first = server_factory(**env)
    webhook = create_webhook(first, receiver.base + "/flaky?fail=1", max_retries=3)["webhook"]
    first.create_agent(name="survivor")
    wait_until(lambda: receiver.on("/flaky"))
    first.stop()
    assert len(receiver.on("/flaky")) == 1, "stopped before the retry"
    second = server_factory(directory=first.directory, **env)
    delivered = wait_until(lambda: [d for d in deliveries(second, webhook["id"]) if d["status"] == "delivered"])
    assert delivered[0]["attempts"] == 2
    assert len(receiver.on("/flaky")) == 2


def test_api_test_delivery_and_secret_rotation(server_factory, receiver):
    server = server_factory(**WEBHOOK_ENV)
    created = create_webhook(server, receiver.base + "/ok", events=["token.issued"])
    admin = {"Authorization": "Bearer " + server.admin_token()}
    tested = requests.post(f"{server.base}/api/webhooks/{created['webhook']['id']}/test", json={}, headers=admin).json()
    assert tested["delivery"]["status"] == "delivered" and tested["delivery"]["event"] == "webhook.test"
    rotated = requests.post(f"{server.base}/api/webhooks/{created['webhook']['id']}/rotate-secret", headers=admin).json()
    assert rotated["secret"] != created["secret"]
    requests.post(f"{server.base}/api/webhooks/{created['webhook']['id']}/test", json={}, headers=admin)
    last = receiver.on("/ok")[-1]
    Webhook(rotated["secret"]).verify(last["body"], {k.lower(): v for k, v in last["headers"].items()})


@pytest.mark.skipif(not os.environ.get("MACHINEAUTH_TEST_POSTGRES_URL"), reason="needs MACHINEAUTH_TEST_POSTGRES_URL (scripts/test sets it)")
def test_two_instances_deliver_a_burst_of_200_exactly_once(server_factory, receiver):
    admin_url = os.environ["MACHINEAUTH_TEST_POSTGRES_URL"]
    name = "webhooks_" + uuid.uuid4().hex[:12]
    subprocess.run(["psql", admin_url.replace("?sslmode=disable", ""), "-q", "-c", f"CREATE DATABASE {name}"], check=True)
    database = admin_url.replace("/postgres?", f"/{name}?")
    env = dict(WEBHOOK_ENV, DATABASE_URL=database, WEBHOOK_WORKER_COUNT="4")
    a = server_factory(**env)
    b = server_factory(**env)
    create_webhook(a, receiver.base + "/ok", events=["agent.created"])
    time.sleep(1.2)  # both instances see the subscription
    tokens = [a.admin_token(), b.admin_token()]

    def make(index):
        target = a if index % 2 == 0 else b
        reply = requests.post(target.base + "/api/agents", json={"name": f"burst-{index}"}, headers={"Authorization": "Bearer " + tokens[index % 2]})
        assert reply.status_code == 201

    threads = [threading.Thread(target=lambda i=i: [make(j) for j in range(i, 200, 8)]) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wait_until(lambda: len(receiver.on("/ok")) >= 200, limit=60)
    time.sleep(2)
    hits = receiver.on("/ok")
    counts = Counter(h["id"] for h in hits)
    assert len(hits) == 200, f"{len(hits)} requests"
    assert len(counts) == 200 and max(counts.values()) == 1
