"""A/B pairs of hub builds on one query, for measuring a lever before and after it.

    python3 -m bench.harness.pairs q4 --rounds 4 --seconds 15 before=/tmp/before after=/tmp/after

Each variant is NAME=DIR (DIR holds a `khub` release binary, e.g. a copy of target/release/khub
built at a commit), optionally followed by `@DATABASE`, the data set it copies (a build from
before a migration needs a copy with that migration reverted), and by `:KEY=VALUE,...`
environment settings. The builds take turns, round after round; each run starts its hub alone on
a fresh copy of the scale-1 data set (loaded by `bench/run`), because two hubs on one database
each handle the other's outbox events, and a build's leftover events would be paid for by the
next. Q1 and Q3 are asked as a signed-in member, Q2 and Q4 as `bench/run` asks them; the read
cache is off. After each run it prints what the outbox still held for the relay and the
notifier.

To reproduce what a run meets inside `bench/run`, `--twin` keeps a second hub of the same build
running on the same database (as `bench/run` keeps the hub with its read cache beside the one
without), and `--runs K` measures K runs one after another on each fresh copy, so the later
ones meet the earlier ones' rows.
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
# Before migration 23 the consumers marked the events they had handled.
WAITING_MARKS = ("select count(*) filter (where relayed_at is null), "
                 "count(*) filter (where notified_at is null) from outbox_events")


def parse():
    parser = argparse.ArgumentParser(prog="pairs", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("query", choices=["q1", "q2", "q3", "q4"])
    parser.add_argument("variants", nargs="+", help="NAME=DIR[@DATABASE][:KEY=VALUE,...]")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--runs", type=int, default=1, help="measured runs per fresh copy")
    parser.add_argument("--twin", action="store_true",
                        help="a second hub of the same build and settings on the same database")
    return parser.parse_args()


def variant(spec):
    name, rest = spec.split("=", 1)
    build, _, settings = rest.partition(":")
    directory, _, template = build.partition("@")
    env = {"KHUB_READ_CACHE_MIB": "0"}
    env.update(pair.split("=", 1) for pair in settings.split(",") if pair)
    return name, Path(directory), template or TEMPLATE, env


def run_variant(query, name, directory, template, env, options):
    """One variant on a fresh copy of `template`: its runs' lines, one per run."""
    url = data.fresh_copy(template, DATABASE)
    targets = data.pick_targets(DATABASE, 50)
    servers.BINARIES = directory
    hubs = [servers.hub(name, url, REDIS, env)]
    try:
        if options.twin:
            hubs.append(servers.hub(f"{name}-twin", url, REDIS, env))
        hub = hubs[0]
        readers = data.readers(hub.url, targets)
        reader = "member" if query in ("q1", "q3") else "anonymous"
        lines = queries.bodies("hub", query, targets, readers, reader)
        load.wrk(name, hub, lines, 2)
        return [measured(query, name, hub, lines, options.seconds) for _ in range(options.runs)]
    finally:
        for hub in hubs:
            hub.stop()


def measured(query, name, hub, lines, seconds):
    run = load.wrk(name, hub, lines, seconds)
    relay, notifier = waiting() if query == "q4" else ("-", "-")
    return (f"{name} {run.rps:,.0f}/s p99 {run.p99_ms:.0f} ms, CPU ms/req hub "
            f"{run.server_cpu_ms:.2f} PostgreSQL {run.db_cpu_ms:.2f} Redis "
            f"{run.redis_cpu_ms:.2f}, errors {run.errors}, waiting relay {relay} notifier {notifier}")


def waiting():
    """What the relay and the notifier have still to handle."""
    try:
        return tuple(data.psql(DATABASE, WAITING)[0])
    except subprocess.CalledProcessError:
        return tuple(data.psql(DATABASE, WAITING_MARKS)[0])


def main():
    args = parse()
    variants = [variant(spec) for spec in args.variants]
    for r in range(args.rounds):
        for v in variants:
            for k, line in enumerate(run_variant(args.query, *v, args)):
                print(f"round {r + 1} run {k + 1}: {line}", flush=True)


if __name__ == "__main__":
    main()
