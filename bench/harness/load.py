"""Load generators: wrk (closed loop, throughput), oha (open loop, latency at a fixed rate)
and pgbench (the SQL limit). Each run is measured the same way: requests per second, errors,
latency, and the CPU the server and PostgreSQL spent per request."""

import json
import os
import re
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from . import procs

WRK_SCRIPT = Path(__file__).resolve().parent.parent / "wrk" / "graphql.lua"
CONNECTIONS = 32
THREADS = 2


@dataclass
class Run:
    system: str
    rps: float
    requests: int
    errors: int
    p50_ms: float
    p99_ms: float
    server_cpu_ms: float   # per request
    db_cpu_ms: float       # per request
    redis_cpu_ms: float    # per request: the hub's sessions, budgets and events (peers use none)
    load: float


class CpuMeter:
    """CPU seconds spent by the server's, PostgreSQL's and Redis's process trees over a run."""

    def __init__(self, server_pid):
        self.pids = (server_pid, procs.postmaster_pid(), procs.redis_pid())

    def __enter__(self):
        self.before = [procs.cpu_seconds(p) if p else 0.0 for p in self.pids]
        return self

    def __exit__(self, *_):
        time.sleep(0.5)  # let PostgreSQL reap the backends of clients that just left
        after = [procs.cpu_seconds(p) if p else 0.0 for p in self.pids]
        self.spent = [a - b for a, b in zip(after, self.before)]

    def per_request_ms(self, requests):
        n = max(requests, 1)
        return [s * 1000 / n for s in self.spent]


def wrk(system, server, lines, seconds):
    """Closed-loop throughput: wrk posting `lines` in turn, every response checked."""
    with tempfile.NamedTemporaryFile("w", suffix=".bodies", delete=False) as f:
        f.write("\n".join(lines) + "\n")
    env = dict(os.environ, BENCH_BODIES=f.name, BENCH_PATH=server.path)
    argv = ["wrk", "-t", str(THREADS), "-c", str(CONNECTIONS), "-d", f"{seconds}s", "--latency",
            "-s", str(WRK_SCRIPT), f"http://127.0.0.1:{server.port}"]
    with CpuMeter(server.pid if server.process else None) as cpu:
        out = subprocess.run(argv, env=env, capture_output=True, text=True, check=True)
    os.unlink(f.name)
    if "first error:" in out.stderr:
        print(f"    {system}: {out.stderr.strip().splitlines()[0][:200]}")
    requests = int(re.search(r"(\d+) requests in", out.stdout).group(1))
    server_ms, db_ms, redis_ms = cpu.per_request_ms(requests)
    return Run(system, _number(r"Requests/sec:\s+([\d.]+)", out.stdout), requests,
               int(re.search(r"BENCH errors=(\d+)", out.stdout).group(1)),
               _wrk_latency("50%", out.stdout), _wrk_latency("99%", out.stdout),
               server_ms, db_ms, redis_ms, procs.load_average())


def pgbench(database_url, script, targets, seconds, settings=None):
    """The SQL limit: pgbench running the hand-written statement, prepared; `settings` are
    PostgreSQL settings for its sessions."""
    env = dict(os.environ)
    if settings:
        env["PGOPTIONS"] = " ".join(f"-c {key}={value}" for key, value in settings.items())
    argv = ["pgbench", "-n", "-M", "prepared", "-c", str(CONNECTIONS // 4), "-j", str(THREADS),
            "-T", str(seconds), "-D", f"targets={targets}", "-f", str(script), database_url]
    with CpuMeter(None) as cpu:
        out = subprocess.run(argv, env=env, capture_output=True, text=True, check=True)
    transactions = int(re.search(r"number of transactions actually processed: (\d+)",
                                 out.stdout).group(1))
    failed = re.search(r"number of failed transactions: (\d+)", out.stdout)
    latency = _number(r"latency average = ([\d.]+) ms", out.stdout)
    _, db_ms, redis_ms = cpu.per_request_ms(transactions)
    return Run("pgbench (SQL limit)", _number(r"tps = ([\d.]+)", out.stdout), transactions,
               int(failed.group(1)) if failed else 0, latency, float("nan"), 0.0, db_ms,
               redis_ms, procs.load_average())


def oha(server, line, rate, seconds):
    """Open-loop latency: `rate` requests per second whatever the server does, with latency
    correction (coordinated omission accounted for). Returns percentiles in ms."""
    token, body = line.split("\t", 1)
    argv = ["oha", "-z", f"{seconds}s", "-q", str(rate), "--latency-correction", "--no-tui",
            "--output-format", "json", "-m", "POST", "-H", "Content-Type: application/json",
            "-d", body, server.url]
    if token:
        argv[1:1] = ["-H", f"Authorization: Bearer {token}"]
    out = subprocess.run(argv, capture_output=True, text=True, check=True)
    report = json.loads(out.stdout)
    percentiles = report["latencyPercentiles"]
    statuses = report.get("statusCodeDistribution", {})
    return {
        "rate": rate,
        "p50_ms": percentiles["p50"] * 1000,
        "p99_ms": percentiles["p99"] * 1000,
        "p99.9_ms": percentiles["p99.9"] * 1000,
        "non_200": sum(n for code, n in statuses.items() if code != "200"),
        "rps": report["summary"]["requestsPerSec"],
    }


def _number(pattern, text):
    return float(re.search(pattern, text).group(1))


def _wrk_latency(percent, text):
    match = re.search(rf"^\s+{re.escape(percent)}\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
    value, unit = float(match.group(1)), match.group(2)
    return value * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
