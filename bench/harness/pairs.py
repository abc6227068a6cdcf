"""A/B pairs of hub builds on one query, for measuring a lever before and after it.

    python3 -m bench.harness.pairs q4 --rounds 4 --seconds 15 before=/tmp/before after=/tmp/after

Each variant is NAME=DIR (DIR holds a `khub` release binary, e.g. a copy of target/release/khub
built at a commit), optionally followed by `:KEY=VALUE,...` environment settings. The builds
take turns, round after round; each run starts its hub alone on a fresh copy of the scale-1
data set (loaded by `bench/run`), because two hubs on one database each handle the other's
outbox events, and a build's leftover events would be paid for by the next. Q1 and Q3 are
asked as a signed-in member, Q2 and Q4 as `bench/run` asks them; the read cache is off. After
each run it prints what the outbox still held for the relay and the notifier.
"""

import argparse
import subprocess
from pathlib import Path

from . import data, load, queries, servers

REDIS = "redis://127.0.0.1:6379"
TEMPLATE = data.template_name(1.0)
DATABASE = "khub_bench_run"
WAITING = ("select count(*) filter (where stage = 'relay'), "
           "count(*) filter (where stage = 'notifier') from outbox_pending")


def parse():
    parser = argparse.ArgumentParser(prog="pairs", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("query", choices=["q1", "q2", "q3", "q4"])
    parser.add_argument("variants", nargs="+", help="NAME=DIR[:KEY=VALUE,...]")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=15)
    return parser.parse_args()


def variant(spec):
    name, rest = spec.split("=", 1)
    directory, _, settings = rest.partition(":")
    env = {"KHUB_READ_CACHE_MIB": "0"}
    env.update(pair.split("=", 1) for pair in settings.split(",") if pair)
    return name, Path(directory), env


def run_alone(query, name, directory, env, seconds):
    url = data.fresh_copy(TEMPLATE, DATABASE)
    targets = data.pick_targets(DATABASE, 50)
    servers.BINARIES = directory
    hub = servers.hub(name, url, REDIS, env)
    try:
        readers = data.readers(hub.url, targets)
        reader = "member" if query in ("q1", "q3") else "anonymous"
        lines = queries.bodies("hub", query, targets, readers, reader)
        load.wrk(name, hub, lines, 2)
        run = load.wrk(name, hub, lines, seconds)
        relay, notifier = waiting() if query == "q4" else ("-", "-")
    finally:
        hub.stop()
    return (f"{name} {run.rps:,.0f}/s p99 {run.p99_ms:.0f} ms, CPU ms/req hub "
            f"{run.server_cpu_ms:.2f} PostgreSQL {run.db_cpu_ms:.2f} Redis "
            f"{run.redis_cpu_ms:.2f}, errors {run.errors}, waiting relay {relay} notifier {notifier}")


def waiting():
    """What the relay and the notifier have still to handle (a build from before the outbox's
    pending rows, migration 23, kept marks on the events instead: "?")."""
    try:
        return tuple(data.psql(DATABASE, WAITING)[0])
    except subprocess.CalledProcessError:
        return ("?", "?")


def main():
    args = parse()
    variants = [variant(spec) for spec in args.variants]
    for r in range(args.rounds):
        results = [run_alone(args.query, *v, args.seconds) for v in variants]
        print(f"round {r + 1}: " + " | ".join(results), flush=True)


if __name__ == "__main__":
    main()
