"""Benchmarks/run's long measurements: a sustained run (does issuance keep its speed as the store
grows?) and the JSON store's memory footprint with many agents and refresh tokens."""
import base64
import datetime
import os
import shutil
import signal
import tempfile
import time
import urllib.request

import loadbench as bench


def store_sizes(store):
    """Megabytes of the store file, its journal files and its audit trail."""
    directory, name = os.path.split(store)
    sizes = {"store_mb": 0.0, "journal_mb": 0.0, "audit_mb": 0.0}
    for entry in os.listdir(directory):
        if not entry.startswith(name):
            continue
        size = os.path.getsize(os.path.join(directory, entry)) / 1e6
        if entry == name:
            sizes["store_mb"] += size
        elif entry.startswith(name + ".journal-"):
            sizes["journal_mb"] += size
        elif entry.startswith(name + ".audit"):
            sizes["audit_mb"] += size
    return {key: round(value, 1) for key, value in sizes.items()}


def cpu_seconds(pid):
    """User and system CPU time the process has used (from /proc/PID/stat)."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def signing_seconds(server):
    """The server's own signing CPU time so far and its signature count (RS256), from /metrics."""
    totals = {"sum": 0.0, "count": 0.0}
    for line in urllib.request.urlopen(server.base + "/metrics", timeout=30).read().decode().splitlines():
        for kind in totals:
            if line.startswith(f'machineauth_token_signing_cpu_seconds_{kind}{{alg="RS256"}}'):
                totals[kind] = float(line.rsplit(" ", 1)[1])
    return totals["sum"], totals["count"]


def signing_with_server_stopped(pid, seconds=5):
    """RSA-2048 signatures per second on all cores, measured while process `pid` is stopped."""
    os.kill(pid, signal.SIGSTOP)
    try:
        return bench.signing_ceiling("RS256", seconds)
    finally:
        os.kill(pid, signal.SIGCONT)


def keep_log(directory):
    """Copies the server's log out of `directory` (which is removed) and returns where to."""
    kept = os.path.join(tempfile.gettempdir(), f"machineauth-sustained-{int(time.time())}.log")
    shutil.copy(os.path.join(directory, "server.log"), kept)
    return kept


def sustained(binary, minutes, connections=64):
    """RS256 client_credentials issuance with a refresh token each (the compatibility switch on),
    one agent, `minutes` one-minute wrk runs back to back; after each: store size and RSS."""
    directory = tempfile.mkdtemp(prefix="machineauth-sustained-")
    store = os.path.join(directory, "store.json")
    bench.log(f"== sustained: {minutes} minutes of RS256 issuance with refresh tokens, JSON store, {connections} connections")
    before = bench.signing_ceiling("RS256", 10)
    server = bench.Server(binary, directory, {"DATABASE_URL": "json:" + store, "JWT_SIGNING_ALGORITHM": "RS256",
                                              "REFRESH_TOKENS_FOR_CLIENT_CREDENTIALS": "true"})
    rows = []
    try:
        agents, _, _ = bench.measured_agents(server, count=1)
        basic = "Basic " + base64.b64encode(f"{agents[0][0]}:{agents[0][1]}".encode()).decode()
        first = bench.request(server.base + "/oauth/token", b"grant_type=client_credentials",
                              {"Authorization": basic, "Content-Type": "application/x-www-form-urlencoded"})
        if "refresh_token" not in first:
            raise RuntimeError("the sustained run needs refresh tokens, and the server issued none")
        issued = 0
        for minute in range(1, minutes + 1):
            if server.process.poll() is not None:
                raise RuntimeError(f"the server exited ({server.process.returncode}) before minute {minute}; its log is {keep_log(directory)}")
            cpu = cpu_seconds(server.process.pid)
            signed = signing_seconds(server)
            result = bench.wrk(server.base + "/oauth/token", os.path.join(bench.WRK, "post.lua"),
                               {"WRK_BODY": "grant_type=client_credentials", "WRK_AUTHORIZATION": basic}, connections, 60)
            issued += result["rps"] * 60
            if server.process.poll() is not None:
                raise RuntimeError(f"the server exited ({server.process.returncode}) during minute {minute}; its log is {keep_log(directory)}")
            cpu_per_token = (cpu_seconds(server.process.pid) - cpu) / max(1, result["rps"] * 60)
            signed_now = signing_seconds(server)
            # The server's own signatures: CPU time per signature on its threads (claims encoded,
            # hashed, signed), against which the rest of a token's CPU time is the server's overhead.
            signing_per_token = (signed_now[0] - signed[0]) / max(1, signed_now[1] - signed[1])
            row = {"minute": minute, **result, **store_sizes(store), "rss_mb": round(bench.rss_mb(server.process.pid, "VmRSS"), 1),
                   "refresh_tokens": int(issued), "server_cpu_us_per_token": round(cpu_per_token * 1e6),
                   "signing_cpu_us_per_token": round(signing_per_token * 1e6)}
            # Shared machines drift within ten minutes: each minute is also compared with the
            # signing rate measured right after it, with the server stopped meanwhile (a
            # compaction running beside openssl would slow it and flatter the comparison; one
            # finishing while the load pauses would leave the next minute less to do).
            row["signing"] = signing_with_server_stopped(server.process.pid)
            row["share_of_signing"] = round(row["rps"] / row["signing"], 3)
            rows.append(row)
            bench.log(f"   minute {minute:>2}: {row['rps']:>8,.0f} tokens/s  p99 {row['p99_ms']:.1f} ms  errors {row['errors']}  "
                      f"server CPU {row['server_cpu_us_per_token']} µs/token (signing {row['signing_cpu_us_per_token']})  "
                      f"store {row['store_mb']} MB + journal {row['journal_mb']} MB (audit {row['audit_mb']} MB)  RSS {row['rss_mb']} MB  "
                      f"signing after it {row['signing']:,.0f}/s ({row['share_of_signing']:.0%})")
    finally:
        server.stop()
        shutil.rmtree(directory, ignore_errors=True)
    after = bench.signing_ceiling("RS256", 10)
    signing = (before + after) / 2
    report = {"minutes": rows, "connections": connections, "signing_before": before, "signing_after": after,
              "last_vs_first": round(rows[-1]["rps"] / rows[0]["rps"], 3), "last_vs_signing": round(rows[-1]["rps"] / signing, 3),
              "last_vs_signing_after_it": rows[-1]["share_of_signing"]}
    bench.log(f"   last minute / first minute {report['last_vs_first']:.2f}; last minute / RSA-2048 signing "
              f"({before:,.0f} before, {after:,.0f} after) {report['last_vs_signing']:.2f}, "
              f"/ signing measured right after it {report['last_vs_signing_after_it']:.2f}")
    return report


def filler_store(path, agents, tokens):
    """A store file of `agents` agents and `tokens` live refresh tokens spread over them."""
    created = "2026-01-01T00:00:00.000Z"
    expires = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=20)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    with open(path, "w") as handle:
        handle.write('{"format":"machineauth-store","schema_version":2,"journal_sequence":0,"agents":[')
        handle.write(",".join(
            f'{{"id":"filler-{i:08d}-0000-4000-8000-000000000000","name":"filler-{i}","client_id":"cid_filler_{i}",'
            f'"description":"","tags":[],"metadata":{{"team":"load"}},"secrets":[{{"hash":"hmac-sha256:{i:043d}","created_at":"{created}"}}],'
            f'"scopes":["read"],"is_active":true,"created_at":"{created}","updated_at":"{created}",'
            f'"usage":{{"token_count":0,"refresh_count":0,"failed_auth_count":0}},"token_cutoffs":[],'
            f'"grant_types":["client_credentials","refresh_token"]}}' for i in range(agents)))
        handle.write('],"refresh_tokens":[')
        for start in range(0, tokens, 100_000):
            if start:
                handle.write(",")
            handle.write(",".join(
                f'{{"hash":"hmac-sha256:{base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip("=")}",'
                f'"family_id":"{os.urandom(16).hex()}","agent_id":"filler-{i % agents:08d}-0000-4000-8000-000000000000",'
                f'"client_id":"cid_filler_{i % agents}","scopes":["read"],"audience":["http://127.0.0.1:8080"],'
                f'"created_at":"{created}","expires_at":"{expires}"}}' for i in range(start, min(tokens, start + 100_000))))
        handle.write("]}")
    os.chmod(path, 0o600)


def memory(binary):
    """Resident set of an idle server on a JSON store of 100,000 agents, without and with
    1,000,000 live refresh tokens: after loading, and the peak while loading."""
    rows = []
    for agents, tokens in [(100_000, 0), (100_000, 1_000_000)]:
        directory = tempfile.mkdtemp(prefix="machineauth-memory-")
        store = os.path.join(directory, "store.json")
        filler_store(store, agents, tokens)
        started = time.time()
        server = bench.Server(binary, directory, {"DATABASE_URL": "json:" + store}, timeout=900)
        try:
            loaded = time.time() - started
            time.sleep(5)
            row = {"agents": agents, "refresh_tokens": tokens, "store_mb": round(os.path.getsize(store) / 1e6, 1),
                   "rss_mb": round(bench.rss_mb(server.process.pid, "VmRSS"), 1), "peak_rss_mb": round(bench.rss_mb(server.process.pid, "VmHWM"), 1),
                   "ready_s": round(loaded, 1)}
        finally:
            server.stop()
            shutil.rmtree(directory, ignore_errors=True)
        rows.append(row)
        bench.log(f"== memory: {agents:,} agents, {tokens:,} refresh tokens ({row['store_mb']} MB store): RSS {row['rss_mb']} MB, "
                  f"peak {row['peak_rss_mb']} MB, ready after {row['ready_s']} s")
    return rows


def markdown(report):
    """The sustained run and the memory footprint as README lines (empty when not measured)."""
    lines = []
    run = report.get("sustained")
    if run:
        lines += ["", f"Sustained run: RS256 `client_credentials` issuance with a refresh token each "
                  f"(`REFRESH_TOKENS_FOR_CLIENT_CREDENTIALS=true`), JSON store, one agent, {run['connections']} connections, "
                  f"one-minute wrk runs back to back; RSA-2048 signing (`openssl speed -multi`) {run['signing_before']:,.0f}/s before "
                  f"and {run['signing_after']:,.0f}/s after.", "",
                  "| minute | tokens/s | signing right after (share) | p99 | server CPU per token (of it signing) | refresh tokens stored | store file + journal | audit trail | RSS |",
                  "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for row in run["minutes"]:
            errors = f" · {row['errors']} errors" if row["errors"] else ""
            signing = f"{row['signing']:,.0f}/s ({row['share_of_signing']:.0%})" if "signing" in row else "—"
            own = f" ({row['signing_cpu_us_per_token']} µs)" if "signing_cpu_us_per_token" in row else ""
            lines.append(f"| {row['minute']} | {row['rps']:,.0f}{errors} | {signing} | {row['p99_ms']:.1f} ms | {row['server_cpu_us_per_token']} µs{own} | {row['refresh_tokens']:,} | "
                         f"{row['store_mb']} + {row['journal_mb']} MB | {row['audit_mb']} MB | {row['rss_mb']} MB |")
        after_it = f", {run['last_vs_signing_after_it']:.0%} of the signing rate measured right after it" if "last_vs_signing_after_it" in run else ""
        lines += ["", f"Last minute {run['last_vs_first']:.0%} of the first; {run['last_vs_signing']:.0%} of the signing rate "
                  f"(the mean of before and after){after_it}."]
    for row in report.get("memory", []):
        lines += ["", f"Idle RSS with a JSON store of {row['agents']:,} agents and {row['refresh_tokens']:,} live refresh tokens "
                  f"({row['store_mb']} MB): {row['rss_mb']} MB (peak while loading {row['peak_rss_mb']} MB, ready after {row['ready_s']} s)."]
    return lines
