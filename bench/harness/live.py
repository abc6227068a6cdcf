"""S1 and S2: live fan-out to thousands of subscribers, on one hub instance or two sharing
Redis, measured by the fan-out client (bench/fanout)."""

import json
import subprocess

from . import data, servers


def fanout(database_url, redis_url, targets, instances, subscribers, replies):
    hubs = [servers.hub(f"hub-live-{i}", database_url, redis_url) for i in range(instances)]
    try:
        thread, _, email = targets.repliers[0]
        return client(hubs, thread, data.login(hubs[0].url, email), subscribers, replies)
    finally:
        for hub in hubs:
            hub.stop()


def client(hubs, thread, token, subscribers, replies, extra=()):
    """Runs the fan-out client against `hubs` (replies posted with `token` to the first) and
    returns its report."""
    argv = [str(servers.binary("khub-bench-fanout")), "--http", hubs[0].url,
            "--thread", data.global_id("Thread", thread), "--token", token,
            "--subscribers", str(subscribers), "--replies", str(replies), *extra]
    for hub in hubs:
        argv += ["--ws", f"ws://127.0.0.1:{hub.port}/graphql/ws",
                 "--metrics", f"http://127.0.0.1:{hub.port}/metrics", "--pid", str(hub.pid)]
    out = subprocess.run(argv, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"fan-out client failed: {out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])
