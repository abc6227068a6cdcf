"""bench/run: the hub against PostGraphile 5 and 4, the SQL limit (pgbench) and the static
floor (nginx), on one data set, in interleaved rounds; then live fan-out and the embedded
default's footprint. Writes a dated Markdown report under bench/results/."""

import argparse
import statistics
import time

from . import compare, data, live, load, notify, procs, queries, report, search, servers, tools

REDIS = "redis://127.0.0.1:6379"
PARTS = ["q1", "q2", "q3", "q4", "latency", "search", "live", "notify", "embedded"]
FULL = dict(scale=1.0, rounds=3, seconds=20, warmup=5, targets=50, subscribers=10_000,
            watchers=10_000, replies=20, latency_seconds=20)
QUICK = dict(scale=0.01, rounds=1, seconds=2, warmup=1, targets=10, subscribers=200,
             watchers=100, replies=5, latency_seconds=3)


def parse():
    parser = argparse.ArgumentParser(prog="bench/run", description=__doc__)
    parser.add_argument("--quick", action="store_true",
                        help="seconds, tiny data: proves the suite runs (CI)")
    parser.add_argument("--scale", type=float, help="data set scale (default 1)")
    parser.add_argument("--rounds", type=int, help="interleaved rounds (default 3)")
    parser.add_argument("--seconds", type=int, help="seconds per measured run (default 20)")
    parser.add_argument("--only",
                        help="comma-separated parts: q1,q2,q3,q4,latency,search,live,notify,embedded")
    args = parser.parse_args()
    settings = dict(QUICK if args.quick else FULL)
    for key in ("scale", "rounds", "seconds"):
        if getattr(args, key) is not None:
            settings[key] = getattr(args, key)
    parts = args.only.split(",") if args.only else PARTS
    settings["parts"] = parts
    settings["quick"] = args.quick
    return settings


def main():
    settings = parse()
    if settings["quick"]:
        servers.use_debug_build()
    tools.ensure(release=not settings["quick"])
    template = data.prepare(data.template_name(settings["scale"]), settings["scale"])
    database_url = data.fresh_copy(template, "khub_bench_run")
    targets = data.pick_targets("khub_bench_run", settings["targets"])
    results = {"settings": settings, "data": data.counts("khub_bench_run"), "queries": {}}
    print(f"data set: {results['data']}")
    throughput(settings, database_url, targets, results)
    if "search" in settings["parts"]:
        results["search"] = searches(settings, database_url)
    if "live" in settings["parts"]:
        for name, instances in (("S1", 1), ("S2", 2)):
            print(f"{name}: {settings['subscribers']} subscribers on {instances} instance(s)")
            results[name] = live.fanout(database_url, REDIS, targets, instances,
                                        settings["subscribers"], settings["replies"])
            print(f"  {results[name]}")
    if "notify" in settings["parts"]:
        print(f"N1: postReply and notifications with {settings['watchers']} watchers")
        results["N1"] = notify.measure(settings, database_url, "khub_bench_run", REDIS, targets)
        print(f"  {results['N1']['live']}")
    if "embedded" in settings["parts"]:
        results["embedded"] = embedded()
    path = report.write(results)
    print(f"report: {path}")
    failed = report.failures(results)
    if settings["quick"] and failed:
        raise SystemExit(f"the quick run went wrong: {failed}")


def throughput(settings, database_url, targets, results):
    wanted = [q for q in ("q1", "q2", "q3", "q4") if q in settings["parts"]]
    if not wanted and "latency" not in settings["parts"]:
        return
    hub = servers.hub("hub", database_url, REDIS)
    # The same hub with every anonymous query run afresh, to show what the read cache adds.
    uncached = servers.hub(report.UNCACHED, database_url, REDIS, {"KHUB_READ_CACHE_MIB": "0"})
    peers = {"pg5": servers.postgraphile5(database_url), "pg4": servers.postgraphile4(database_url)}
    try:
        readers = data.readers(hub.url, targets)
        for query in [q for q in wanted if q != "q4"]:
            # The floor: the hub's own answer to this query, served as a static file.
            first = queries.bodies("hub", query, targets, readers)[0].split("\t", 1)[1]
            floor = servers.nginx(servers.post_raw(hub.url, first))
            try:
                results["queries"][query] = measure(settings, query, hub, peers, floor,
                                                    database_url, targets, readers, uncached)
            finally:
                floor.stop()
        if "latency" in settings["parts"]:
            results["latency"] = latency(settings, hub, peers["pg5"], targets, readers)
        if "q4" in wanted:
            peers["pg5"].stop()
            peers["pg5"] = servers.postgraphile5(database_url, mutations=True)
            results["queries"]["q4"] = measure(settings, "q4", hub, peers, None, database_url,
                                               targets, readers)
        results["rss_after_load_mib"] = {s.name: procs.rss_mib(s.pid)
                                         for s in [hub, uncached, *peers.values()]}
    finally:
        for server in [hub, uncached, *peers.values()]:
            server.stop()


def systems_for(query, hub, peers, uncached):
    """(label, system, server, reader) for each server a query is asked of: the hub as an
    anonymous reader (cached, and with the cache off), as a signed-in member of the community
    and through a member's API token (Q1, Q3: members never use the read cache), and the
    peers as anonymous readers."""
    found = [(report.HUB, "hub", hub, "anonymous")]
    if uncached:
        found.append((uncached.name, "hub", uncached, "anonymous"))
    if query in ("q1", "q3"):
        found.append((report.MEMBER, "hub", hub, "member"))
    if query == "q1":
        found.append((report.TOKEN, "hub", hub, "token"))
    found += [(peers[p].name, p, peers[p], "anonymous") for p in ("pg5", "pg4")]
    return found


def measure(settings, query, hub, peers, floor, database_url, targets, readers, uncached=None):
    """Checks every system answers like the hub, warms each up, then runs interleaved rounds."""
    print(f"{queries.NAMES[query]}")
    systems = systems_for(query, hub, peers, uncached)
    lines = {label: queries.bodies(system, query, targets, readers, reader)
             for label, system, _, reader in systems}
    agreement = {}
    if query != "q4":
        ours = servers.post_raw(hub.url, lines[report.HUB][0].split("\t", 1)[1])
        for label, _, server, reader in systems[1:]:
            token, body = lines[label][0].split("\t", 1)
            theirs = servers.post_raw(server.url, body, token or None)
            if reader == "anonymous":
                agreement[label] = compare.same_data(ours, theirs)
        agreement["size"] = len(ours)
    script = queries.pgbench_script(query)
    count = len(lines[report.HUB])

    def one_round(seconds):
        runs = [load.wrk(label, server, lines[label], seconds)
                for label, _, server, _ in systems]
        runs.append(load.pgbench(database_url, script, count, seconds))
        if floor:
            runs.append(load.wrk(floor.name, floor, lines[report.HUB], seconds))
        return runs

    one_round(settings["warmup"])
    rounds = []
    for r in range(settings["rounds"]):
        rounds.append(one_round(settings["seconds"]))
        print("  round", r + 1, ", ".join(f"{run.system} {run.rps:.0f}/s" for run in rounds[-1]))
    return {"agreement": agreement, "rounds": rounds}


def searches(settings, database_url):
    """Search as it runs for everyone: the read cache off, so anonymous searches run too."""
    hub = servers.hub(report.UNCACHED, database_url, REDIS, {"KHUB_READ_CACHE_MIB": "0"})
    try:
        return search.measure(settings, hub, database_url, "khub_bench_run")
    finally:
        hub.stop()


def latency(settings, hub, pg5, targets, readers):
    """Open-loop latency at 150 requests/s on Q1, the hub and PostGraphile 5 in turn."""
    print("latency: Q1 at 150 requests/s")
    results = {}
    for name, server in (("hub", hub), ("pg5", pg5)):
        line = queries.bodies(name, "q1", targets, readers)[0]
        results[server.name] = load.oha(server, line, 150, settings["latency_seconds"])
        print(f"  {server.name}: {results[server.name]}")
    return results


def embedded():
    """Cold start to ready and idle memory of the embedded default (fresh SQLite, no Redis)."""
    starts, rss = [], []
    for i in range(5):
        hub = servers.hub(f"hub-embedded-{i}")
        starts.append(hub.extra["ready_in"])
        time.sleep(2)
        rss.append(procs.rss_mib(hub.pid))
        hub.stop()
    found = {"cold_start_s": statistics.median(starts), "idle_rss_mib": statistics.median(rss)}
    print(f"embedded: {found}")
    return found


if __name__ == "__main__":
    main()
