"""`machineauth serve` runs Swift concurrency's jobs on the NIO event loops that read the requests
(Sources/machineauth/EventLoopExecutor.swift), not on a second pool of threads: a request is
handled where it arrived, without a thread switch to a worker and back.

Checked from outside, on Linux, by where the server's CPU time goes while it answers requests:
on the threads NIO names NIO-SGLTN-*, not on Dispatch's worker threads (where Swift's default
global executor would run every handler)."""
import base64
import os
from concurrent.futures import ThreadPoolExecutor

import requests


def thread_ticks(pid):
    """CPU clock ticks (user + system) of each of the process's threads, by thread id: (name, ticks)."""
    ticks = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/comm") as handle:
                name = handle.read().strip()
            with open(f"/proc/{pid}/task/{tid}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the thread ended meanwhile
        ticks[tid] = (name, int(fields[11]) + int(fields[12]))
    return ticks


def test_requests_are_handled_on_the_event_loop_threads(server):
    client_id, secret, _ = server.create_agent("executor-check")
    basic = "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    token = requests.post(server.base + "/oauth/token", data={"grant_type": "client_credentials"},
                          headers={"Authorization": basic}).json()["access_token"]

    def introspect(_):
        with requests.Session() as session:
            for _ in range(50):
                reply = session.post(server.base + "/oauth/introspect", data={"token": token}, headers={"Authorization": basic})
                assert reply.status_code == 200 and reply.json()["active"] is True

    before = thread_ticks(server.process.pid)
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(introspect, range(16)))
    after = thread_ticks(server.process.pid)

    spent = {}
    for tid, (name, ticks) in after.items():
        spent[name] = spent.get(name, 0) + ticks - before.get(tid, (name, 0))[1]
    total = sum(spent.values())
    on_event_loops = sum(ticks for name, ticks in spent.items() if name.startswith("NIO-SGLTN-"))
    assert total >= 20, f"too little CPU time to tell where it went: {spent}"
    assert on_event_loops >= 0.8 * total, f"request handling ran off the event loops: {spent}"
