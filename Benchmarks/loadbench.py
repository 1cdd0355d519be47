#!/usr/bin/env python3
"""MachineAuth load benchmark: every hot endpoint measured with wrk next to the machine's own
ceilings, for JSON and PostgreSQL storage, with few and with many agents, on the shipped default
configuration (config/machineauth.yaml, plus the gateway rule of Benchmarks/bench-gateway.yaml).

Ceilings, each measured immediately before the run it is compared with (shared machines drift):
  - signing: `openssl speed -multi <cores>` for the algorithm (RS256 issuance is bound by signing);
  - HTTP: GET /health of the same server at the same concurrency (validation, and issuance with
    the fast algorithms, are bound by HTTP).

Usage: Benchmarks/run [--duration 10] [--concurrency 8,64,256] [--agents 10,100000]
                      [--storage json,postgres] [--algorithms RS256,ES256,EdDSA] [--skip-build] [--quick]
                      [--sustained [MINUTES]]  also a sustained run: MINUTES (10) of RS256 issuance on the JSON
                                               store with refresh tokens on, per minute: tokens/s, store size, RSS,
                                               server CPU per token and the server's own signing CPU of it
                                               (machineauth_token_signing_cpu_seconds), and the signing rate right
                                               after it (the server stopped meanwhile)
                      [--memory]   also the resident set with 100,000 agents, and with 1,000,000 live refresh tokens
                      [--only-extra]  only the sustained run and the memory footprint (with --sustained/--memory)
                      [--readme]   also write the summary table into README.md
       Benchmarks/run --render Benchmarks/results/RUN.json [--readme]   re-render a saved run
"""
import argparse
import base64
import datetime
import json
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
BINARY = os.path.join(ROOT, ".build-release", "release", "machineauth")
DEFAULT_CONFIG = os.path.join(ROOT, "config", "machineauth.yaml")
GATEWAY_RULES = os.path.join(ROOT, "Benchmarks", "bench-gateway.yaml")
WRK = os.path.join(ROOT, "Benchmarks", "wrk")
ADMIN_PASSWORD = "benchmark-admin-password"
HASH_KEY = "benchmark-secret-hash-key-0123456789abcdef"
OPENSSL = {"RS256": "rsa2048", "ES256": "ecdsap256", "EdDSA": "ed25519"}


def log(message):
    print(message, file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def request(url, data=None, headers=None, method=None):
    body = None if data is None else (data if isinstance(data, bytes) else json.dumps(data).encode())
    req = urllib.request.Request(url, data=body, headers=headers or {}, method=method)
    if data is not None and not isinstance(data, bytes):
        req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req, timeout=60) as response:
        return json.loads(response.read() or b"{}")


def machine():
    model = "unknown"
    try:
        model = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    memory = 0
    try:
        memory = int(next(line.split()[1] for line in open("/proc/meminfo") if line.startswith("MemTotal"))) // 1024
    except (OSError, StopIteration):
        pass
    return {"cpu": model, "cores": os.cpu_count(), "memory_mb": memory, "kernel": platform.release(),
            "openssl": subprocess.run(["openssl", "version"], capture_output=True, text=True).stdout.strip()}


def signing_ceiling(algorithm, seconds):
    """Signatures per second on all cores, from openssl speed."""
    cores = str(os.cpu_count() or 1)
    output = subprocess.run(["openssl", "speed", "-multi", cores, "-seconds", str(seconds), OPENSSL[algorithm]],
                            capture_output=True, text=True).stdout
    for line in output.splitlines():
        if algorithm == "RS256" and re.match(r"^rsa\s+2048 bits", line):
            return float(line.split()[-2])
        if algorithm == "ES256" and re.match(r"^\s*256 bits ecdsa \(nistp256\)", line):
            return float(line.split()[-2])
        if algorithm == "EdDSA" and re.match(r"^\s*253 bits EdDSA \(Ed25519\)", line):
            return float(line.split()[-2])
    raise RuntimeError("cannot parse openssl speed output:\n" + output)


def parse_duration(text):
    value, unit = re.match(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def wrk(url, script, env, connections, duration):
    threads = str(min(connections, os.cpu_count() or 1))
    result = subprocess.run(["wrk", "-t", threads, "-c", str(connections), "-d", f"{duration}s", "--latency", "-s", script, url],
                            capture_output=True, text=True, env={**os.environ, **env})
    output = result.stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", output, re.M))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    errors = (int(non2xx.group(1)) if non2xx else 0) + (sum(int(g) for g in sockets.groups()) if sockets else 0)
    return {"rps": rps, "p50_ms": parse_duration(latency["50"]), "p99_ms": parse_duration(latency["99"]), "errors": errors}


def rss_mb(pid, field):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def bench_config(directory):
    """The shipped default configuration as is, with the benchmark's gateway rule appended."""
    path = os.path.join(directory, "pipeline.yaml")
    with open(path, "w") as handle:
        handle.write(open(DEFAULT_CONFIG).read() + "\n" + open(GATEWAY_RULES).read())
    return path


class Server:
    def __init__(self, binary, directory, environment, timeout=120):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "PORT": str(self.port), "HOST": "127.0.0.1", "ISSUER": self.base, "ADMIN_PASSWORD": ADMIN_PASSWORD,
               "SECRET_HASH_KEY": HASH_KEY, "LOG_LEVEL": "warning", "MACHINEAUTH_CONFIG": bench_config(directory), **environment}
        self.log = open(os.path.join(directory, "server.log"), "a")
        self.process = subprocess.Popen([binary], cwd=directory, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                if request(self.base + "/health/ready").get("status") == "ready":
                    return
            except Exception:
                if self.process.poll() is not None:
                    raise RuntimeError(open(os.path.join(directory, "server.log")).read())
                time.sleep(0.2)
        raise RuntimeError("server did not become ready")

    def admin(self):
        return request(self.base + "/api/auth/login", {"email": "admin@example.com", "password": ADMIN_PASSWORD})["token"]

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def filler_json(path, count):
    """A JSON store holding `count` agents nobody will use (they only make the store big)."""
    created = "2026-01-01T00:00:00.000Z"
    agents = [{"id": f"filler-{i}", "name": f"filler-{i}", "client_id": f"cid_filler_{i}", "description": "", "tags": [],
               "metadata": {"team": "load"}, "secrets": [{"hash": "hmac-sha256:unused", "created_at": created}], "scopes": ["read"],
               "is_active": True, "created_at": created, "updated_at": created,
               "usage": {"token_count": 0, "refresh_count": 0, "failed_auth_count": 0}, "token_cutoffs": [],
               "grant_types": ["client_credentials", "refresh_token"]} for i in range(count)]
    with open(path, "w") as handle:
        json.dump({"format": "machineauth-store", "schema_version": 1, "agents": agents}, handle)
    os.chmod(path, 0o600)


def filler_postgres(database_url, count):
    sql = f"""
    INSERT INTO agents (id, client_id, name, scopes, is_active, created_at, record)
    SELECT 'filler-' || g, 'cid_filler_' || g, 'filler-' || g, ARRAY['read'], true, now(),
           jsonb_build_object('id', 'filler-' || g, 'name', 'filler-' || g, 'client_id', 'cid_filler_' || g,
             'secrets', jsonb_build_array(jsonb_build_object('hash', 'hmac-sha256:unused', 'created_at', '2026-01-01T00:00:00.000Z')),
             'scopes', jsonb_build_array('read'), 'is_active', true, 'created_at', '2026-01-01T00:00:00.000Z',
             'updated_at', '2026-01-01T00:00:00.000Z')
    FROM generate_series(1, {count}) g;
    INSERT INTO agent_usage (agent_id) SELECT id FROM agents WHERE id LIKE 'filler-%';
    """
    subprocess.run(["psql", database_url.replace("?sslmode=disable", ""), "-q", "-c", sql], check=True, capture_output=True)


def measured_agents(server, count=10):
    admin = server.admin()
    agents = []
    for i in range(count):
        reply = request(server.base + "/api/agents", {"name": f"bench-{i}", "scopes": ["read", "write"]}, {"Authorization": "Bearer " + admin})
        agents.append((reply["client_id"], reply["client_secret"]))
    organization = request(server.base + "/api/organizations", {"name": "Bench", "slug": "bench-" + os.urandom(3).hex()},
                           {"Authorization": "Bearer " + admin})["organization"]["id"]
    api_key = request(f"{server.base}/api/organizations/{organization}/api-keys", {"name": "bench"}, {"Authorization": "Bearer " + admin})["key"]
    return agents, admin, api_key


def access_token(server, agent):
    basic = base64.b64encode(f"{agent[0]}:{agent[1]}".encode()).decode()
    return request(server.base + "/oauth/token", b"grant_type=client_credentials",
                   {"Authorization": "Basic " + basic, "Content-Type": "application/x-www-form-urlencoded"})["access_token"]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--concurrency", default="8,64,256")
    parser.add_argument("--agents", default="10,100000")
    parser.add_argument("--storage", default="json,postgres")
    parser.add_argument("--algorithms", default="RS256,ES256,EdDSA")
    parser.add_argument("--skip-build", action="store_true")
    parser.add_argument("--quick", action="store_true", help="3-second runs at 64 connections, 10 agents, JSON only")
    parser.add_argument("--output", default=os.path.join(ROOT, "Benchmarks", "results"))
    parser.add_argument("--sustained", type=int, nargs="?", const=10, metavar="MINUTES", help="also a sustained run (default 10 minutes)")
    parser.add_argument("--memory", action="store_true", help="also the memory footprint with 100,000 agents and 1,000,000 refresh tokens")
    parser.add_argument("--only-extra", action="store_true", help="skip the endpoint table (with --sustained and/or --memory)")
    parser.add_argument("--readme", action="store_true", help="also put the summary table into README.md (between the bench markers)")
    parser.add_argument("--render", metavar="RESULT.json", help="measure nothing: re-render latest.md (and with --readme the README) from a saved run")
    args = parser.parse_args()
    if args.render:
        with open(args.render) as handle:
            report = json.load(handle)
        publish(report, args.output, args.readme, os.path.basename(args.render))
        return
    if args.quick:
        args.duration, args.concurrency, args.agents, args.storage = 3, "64", "10", "json"
    concurrencies = [int(c) for c in args.concurrency.split(",")]
    algorithms = args.algorithms.split(",")

    if not args.skip_build:
        # Statically linked Swift runtime, as scripts/release ships it: the dynamically linked one
        # answers validation requests about a quarter slower on the same machine.
        log("== building release (swift build -c release --static-swift-stdlib --scratch-path .build-release)")
        subprocess.run(["swift", "build", "-c", "release", "--static-swift-stdlib", "--product", "machineauth", "--scratch-path", ".build-release"],
                       cwd=ROOT, check=True)

    log("== ceilings: openssl speed on all cores")
    ceilings = {algorithm: signing_ceiling(algorithm, max(2, args.duration // 2)) for algorithm in algorithms}
    for algorithm, value in ceilings.items():
        log(f"   {algorithm} ({OPENSSL[algorithm]}): {value:,.0f} signatures/s")

    storages = args.storage.split(",")
    pg_directory = None
    postgres_admin = None
    if "postgres" in storages:
        pg_directory = tempfile.mkdtemp(prefix="machineauth-bench-pg-")
        os.chmod(pg_directory, 0o755)
        # fsync on: commits are as durable as in production, so PostgreSQL numbers are honest.
        postgres_admin = subprocess.run([os.path.join(ROOT, "scripts", "pg-cluster"), "start", pg_directory],
                                        capture_output=True, text=True, check=True,
                                        env={**os.environ, "PG_FSYNC": "on"}).stdout.strip()

    rows = []
    idle = []
    if args.only_extra:
        storages = []
    try:
        for storage in storages:
            for count in [int(c) for c in args.agents.split(",")]:
                rows += run_configuration(storage, count, algorithms, concurrencies, ceilings, args.duration, postgres_admin, idle)
    finally:
        if pg_directory:
            subprocess.run([os.path.join(ROOT, "scripts", "pg-cluster"), "stop", pg_directory], capture_output=True)
            shutil.rmtree(pg_directory, ignore_errors=True)

    report = {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"), "machine": machine(),
              "duration_s": args.duration, "signing_ceilings": ceilings, "idle": idle, "results": rows}
    import endurance
    if args.sustained:
        report["sustained"] = endurance.sustained(BINARY, args.sustained)
    if args.memory:
        report["memory"] = endurance.memory(BINARY)
    os.makedirs(args.output, exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    with open(os.path.join(args.output, f"{stamp}.json"), "w") as handle:
        json.dump(report, handle, indent=2)
    publish(report, args.output, args.readme, f"{stamp}.json")


def publish(report, output, readme, name):
    """Writes latest.md (every row) and, when asked, the README's summary at 64 connections."""
    table = markdown(report)
    os.makedirs(output, exist_ok=True)
    with open(os.path.join(output, "latest.md"), "w") as handle:
        handle.write(table)
    print(table)
    if readme:
        path = os.path.join(ROOT, "README.md")
        text = open(path).read()
        start, end = "<!-- bench:start -->\n", "<!-- bench:end -->"
        if start not in text or end not in text:
            raise SystemExit("README.md has no <!-- bench:start --> … <!-- bench:end --> section")
        before, rest = text.split(start, 1)
        after = rest.split(end, 1)[1]
        with open(path, "w") as handle:
            handle.write(before + start + summary(report, name) + end + after)
        log("== README.md summary updated")


def summary(report, name):
    """One row per endpoint, one column per storage and agent count, at 64 connections."""
    m = report["machine"]
    rows = [r for r in report["results"] if r["connections"] == 64]
    columns = []
    for r in rows:
        if (r["storage"], r["agents"]) not in columns:
            columns.append((r["storage"], r["agents"]))
    lines = [
        f"{m['cpu']}, {m['cores']} cores, {m['memory_mb'] // 1024} GB, Linux {m['kernel']}, {m['openssl'].split(' (')[0]}; "
        f"wrk on the same cores, {report['duration_s']} s per run, 64 connections; run `{name}` in "
        "[`Benchmarks/results/`](Benchmarks/results/) (all concurrencies: [`latest.md`](Benchmarks/results/latest.md)).",
        "Each cell: requests/s · share of the ceiling measured just before it · p99 latency.",
        "",
        "| endpoint | " + " | ".join(f"{storage}, {agents:,} agents" for storage, agents in columns) + " |",
        "|---|" + "---:|" * len(columns),
    ]
    endpoints = []
    for r in rows:
        key = (r["endpoint"], r["algorithm"] if r["endpoint"] == "POST /oauth/token" else None)
        if key not in endpoints:
            endpoints.append(key)
    order = ["GET /health", "POST /oauth/token", "POST /oauth/introspect", "GET /gateway/check", "POST /api/verify"]
    endpoints.sort(key=lambda e: order.index(e[0]) if e[0] in order else len(order))
    for endpoint, algorithm in endpoints:
        label = f"{endpoint} {algorithm}" if algorithm else endpoint
        cells = []
        for storage, agents in columns:
            match = [r for r in rows if r["storage"] == storage and r["agents"] == agents and r["endpoint"] == endpoint
                     and (algorithm is None or r["algorithm"] == algorithm)]
            r = match[0] if match else None
            if not r:
                cells.append("—")
                continue
            ratio = f" · {r['ratio']:.0%} of {'signing' if r['ceiling'] == 'openssl sign/s' else 'HTTP'}" if r.get("ratio") is not None else ""
            errors = f" · {r['errors']} errors" if r["errors"] else ""
            cells.append(f"{r['rps']:,.0f}{ratio} · p99 {r['p99_ms']:.1f} ms{errors}")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    idle = sorted({i["idle_rss_mb"] for i in report["idle"]})
    if idle:
        lines += ["", f"Idle RSS {idle[0]}–{idle[-1]} MB; signing ceilings at the start (`openssl speed -multi {m['cores']}`): "
                  + ", ".join(f"{k} {v:,.0f}/s" for k, v in report["signing_ceilings"].items()) + "."]
    import endurance
    lines += endurance.markdown(report) + [""]
    return "\n".join(lines)


def run_configuration(storage, count, algorithms, concurrencies, ceilings, duration, postgres_admin, idle):
    directory = tempfile.mkdtemp(prefix="machineauth-bench-")
    environment = {}
    if storage == "json":
        environment["DATABASE_URL"] = "json:" + os.path.join(directory, "store.json")
        if count > 10:
            filler_json(os.path.join(directory, "store.json"), count - 10)
    else:
        name = "bench_" + os.urandom(4).hex()
        subprocess.run(["psql", postgres_admin.replace("?sslmode=disable", ""), "-q", "-c", f"CREATE DATABASE {name}"], check=True)
        environment["DATABASE_URL"] = postgres_admin.replace("/postgres?", f"/{name}?")
    rows = []
    seeded = False
    agents = admin = api_key = None
    try:
        for algorithm in algorithms:
            server = Server(BINARY, directory, {**environment, "JWT_SIGNING_ALGORITHM": algorithm})
            try:
                if not seeded:
                    if storage == "postgres" and count > 10:
                        filler_postgres(environment["DATABASE_URL"], count - 10)
                    agents, admin, api_key = measured_agents(server)
                    seeded = True
                time.sleep(1)
                idle.append({"storage": storage, "agents": count, "algorithm": algorithm, "idle_rss_mb": round(rss_mb(server.process.pid, "VmRSS"), 1)})
                log(f"== {storage}, {count:,} agents, {algorithm}: idle RSS {idle[-1]['idle_rss_mb']} MB")
                basic = "Basic " + base64.b64encode(f"{agents[0][0]}:{agents[0][1]}".encode()).decode()
                token = access_token(server, agents[1])
                for connections in concurrencies:
                    measure(rows, server, storage, count, algorithm, "GET /health", connections, duration,
                                                  "/health", "get.lua", {}, None)
                health_now = lambda c: ("GET /health", wrk(server.base + "/health", os.path.join(WRK, "get.lua"), {}, c, duration)["rps"])
                for connections in concurrencies:
                    signing_now = lambda c: ("openssl sign/s", signing_ceiling(algorithm, duration))
                    measure(rows, server, storage, count, algorithm, "POST /oauth/token", connections, duration, "/oauth/token", "post.lua",
                            {"WRK_BODY": "grant_type=client_credentials", "WRK_AUTHORIZATION": basic},
                            signing_now if algorithm == "RS256" else health_now)
                if algorithm != "RS256" and algorithm != algorithms[0]:
                    continue
                validations = [
                    ("POST /oauth/introspect", "/oauth/introspect", "post.lua", {"WRK_BODY": "token=" + token, "WRK_AUTHORIZATION": "Bearer " + api_key}),
                    ("GET /gateway/check", "/gateway/check", "get.lua",
                     {"WRK_AUTHORIZATION": "Bearer " + token, "WRK_HEADERS": "X-Original-URI: /v1/reports/daily|X-Original-Method: GET|X-Forwarded-Host: api.example.com"}),
                    ("POST /api/verify", "/api/verify", "post.lua", {"WRK_AUTHORIZATION": "Bearer " + token, "WRK_BODY": ""}),
                    ("GET /.well-known/jwks.json", "/.well-known/jwks.json", "get.lua", {}),
                ]
                for label, path, script, env in validations:
                    for connections in concurrencies:
                        measure(rows, server, storage, count, algorithm, label, connections, duration, path, script, env, health_now)
            finally:
                rows_for_server = [r for r in rows if r["storage"] == storage and r["agents"] == count and r["algorithm"] == algorithm]
                peak = round(rss_mb(server.process.pid, "VmHWM"), 1)
                for row in rows_for_server:
                    row["peak_rss_mb"] = peak
                server.stop()
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    return rows


def measure(rows, server, storage, count, algorithm, label, connections, duration, path, script, env, ceiling_now):
    """Runs one endpoint; `ceiling_now(connections)` measures its ceiling right before it, so the
    ratio compares two runs seconds apart even when the machine's speed drifts."""
    ceiling = ceiling_now(connections) if ceiling_now else None
    wrk(server.base + path, os.path.join(WRK, script), env, connections, 1)
    result = wrk(server.base + path, os.path.join(WRK, script), env, connections, duration)
    row = {"storage": storage, "agents": count, "algorithm": algorithm, "endpoint": label, "connections": connections, **result}
    if ceiling:
        row["ceiling"] = ceiling[0]
        row["ceiling_rps"] = round(ceiling[1], 1)
        row["ratio"] = round(result["rps"] / ceiling[1], 3) if ceiling[1] else None
    rows.append(row)
    ratio = f"  {row['ratio']:.0%} of {row['ceiling']}" if ceiling else ""
    log(f"   {label:<28} c={connections:<4} {result['rps']:>10,.0f} req/s  p50 {result['p50_ms']:.2f} ms  p99 {result['p99_ms']:.2f} ms  errors {result['errors']}{ratio}")
    return result["rps"]


def markdown(report):
    m = report["machine"]
    lines = [
        f"Measured {report['date']} on {m['cpu']} ({m['cores']} cores, {m['memory_mb']:,} MB), Linux {m['kernel']}, {m['openssl']}; "
        f"{report['duration_s']}s per run with wrk on the same cores.",
        "",
        "Signing ceilings at the start (openssl speed, all cores; each ratio below uses a ceiling measured just before its run): " + ", ".join(f"{k} {v:,.0f}/s" for k, v in report["signing_ceilings"].items()) + ".",
        "",
        "| storage | agents | alg | endpoint | conns | req/s | p50 ms | p99 ms | errors | vs ceiling | peak RSS MB |",
        "|---|---:|---|---|---:|---:|---:|---:|---:|---|---:|",
    ]
    for r in report["results"]:
        ceiling = f"{r['ratio']:.0%} of {r['ceiling_rps']:,.0f} {r['ceiling']}" if r.get("ratio") is not None else "—"
        lines.append(f"| {r['storage']} | {r['agents']:,} | {r['algorithm']} | {r['endpoint']} | {r['connections']} | {r['rps']:,.0f} | "
                     f"{r['p50_ms']:.2f} | {r['p99_ms']:.2f} | {r['errors']} | {ceiling} | {r.get('peak_rss_mb', 0)} |")
    lines += ["", "Idle RSS after start and seeding: " + ", ".join(
        f"{i['storage']}/{i['agents']:,}/{i['algorithm']} {i['idle_rss_mb']} MB" for i in report["idle"]) + "."]
    import endurance
    lines += endurance.markdown(report)
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
