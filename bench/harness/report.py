"""The dated Markdown report: ratios first (the machine is shared and noisy), every round's
figures after, and each target with whether this run met it."""

import datetime
import math
import os
import statistics
import subprocess

from . import notify, queries
from .servers import BENCH, ROOT

HUB = "hub"
UNCACHED = "hub, read cache off"
MEMBER = "hub, signed-in member"
TOKEN = "hub, API token"
PG5 = "PostGraphile 5"
PEERS = ("PostGraphile 5", "PostGraphile 4")
RATE_NOTE = "100 requests/s"


def median_rps(runs):
    return statistics.median(run.rps for run in runs)


def by_system(rounds):
    """{system: [its run in each round]}"""
    systems = {}
    for round_runs in rounds:
        for run in round_runs:
            systems.setdefault(run.system, []).append(run)
    return systems


def ratio(results, query, other, ours=HUB):
    """The hub's median throughput over another system's, per interleaved round pair."""
    systems = by_system(results["queries"][query]["rounds"])
    mine, theirs = systems.get(ours), systems.get(other)
    if not mine or not theirs:
        return math.nan
    return statistics.median(a.rps / b.rps for a, b in zip(mine, theirs) if b.rps)


def uncached(results):
    """What the hub does for anonymous readers with its read cache off, against the peers."""
    found = []
    for query, measured in results["queries"].items():
        if UNCACHED in by_system(measured["rounds"]):
            ratios = ", ".join(f"{ratio(results, query, peer, UNCACHED):.2f}× {peer}"
                               for peer in PEERS)
            found.append(f"{query.upper()} {ratios}")
    return found


def signed_in(results):
    """[(what, hub label, query)] for what members see, where it was measured: the headline."""
    wanted = [("Q1 as a signed-in member", MEMBER, "q1"), ("Q1 through an API token", TOKEN, "q1"),
              ("Q2, read cache off", UNCACHED, "q2"), ("Q3 as a signed-in member", MEMBER, "q3"),
              ("Q4 postReply (signed in)", HUB, "q4")]
    found = []
    for what, label, query in wanted:
        if query in results["queries"] and label in by_system(results["queries"][query]["rounds"]):
            found.append((what, label, query))
    return found


def hub_cpu_ms(results, query, label):
    runs = by_system(results["queries"][query]["rounds"])[label]
    return statistics.median(r.server_cpu_ms for r in runs)


def targets(results):
    """[(target, measured, met)] for every target this run measured: what members see first,
    then the anonymous readers the read cache serves."""
    found = []
    goals = {"q1": 1.5, "q2": 2.0, "q3": 2.0}
    for what, label, query in signed_in(results):
        if label == TOKEN:
            continue
        peers = (PG5,) if query == "q4" else PEERS
        goal = goals.get(query, 1.2)
        for peer in peers:
            r = ratio(results, query, peer, label)
            found.append((f"{what} ≥ {goal:g}× {peer}", f"{r:.2f}×", r >= goal))
        if query == "q1":
            ms = hub_cpu_ms(results, query, label)
            found.append((f"{what}: hub CPU ≤ 0.8 ms per request", f"{ms:.2f} ms", ms <= 0.8))
    queries_run = results["queries"]
    if "q1" in queries_run:
        r = ratio(results, "q1", PG5)
        found.append(("Anonymous Q1 (read cache) ≥ 2.0× PostGraphile 5", f"{r:.2f}×", r >= 2.0))
        r = ratio(results, "q1", "pgbench (SQL limit)")
        found.append(("Anonymous Q1 (read cache) ≥ 0.5× the pgbench limit", f"{r:.2f}×",
                      r >= 0.5))
    for query in ("q2", "q3"):
        if query in queries_run:
            for peer in PEERS:
                r = ratio(results, query, peer)
                found.append((f"Anonymous {query.upper()} (read cache) ≥ 1.5× {peer}",
                              f"{r:.2f}×", r >= 1.5))
    if "q4" in queries_run:
        r = ratio(results, "q4", "PostGraphile 4")
        found.append(("Q4 ≥ 1.5× PostGraphile 4", f"{r:.2f}×", r >= 1.5))
    if "latency" in results:
        p99 = results["latency"]["hub"]["p99_ms"]
        found.append(("Q1 open-loop p99 at 150/s ≤ 15 ms", f"{p99:.1f} ms", p99 <= 15))
    found.extend(_search_targets(results))
    if "S1" in results:
        s1 = results["S1"]
        found.append(("S1 100 % delivered", f"{s1['delivered']}/{s1['expected']}",
                      s1["delivered"] == s1["expected"]))
        found.append(("S1 fan-out p99 ≤ 250 ms", f"{s1['last_subscriber_p99_ms']:.0f} ms",
                      s1["last_subscriber_p99_ms"] <= 250))
        kib = s1["kib_per_subscription"]
        found.append(("≤ 16 KiB per idle subscription", f"{kib:.1f} KiB", kib <= 16))
    if "S2" in results and "S1" in results:
        s1, s2 = results["S1"], results["S2"]
        found.append(("S2 100 % delivered", f"{s2['delivered']}/{s2['expected']}",
                      s2["delivered"] == s2["expected"]))
        r = s2["last_subscriber_p99_ms"] / max(s1["last_subscriber_p99_ms"], 1e-9)
        found.append(("S2 p99 within 1.5× of S1", f"{s2['last_subscriber_p99_ms']:.0f} ms "
                      f"({r:.2f}×)", r <= 1.5))
    if "N1" in results:
        found.extend(notify.targets(results["N1"]))
    if "embedded" in results:
        e = results["embedded"]
        found.append(("idle RSS ≤ 60 MiB (embedded)", f"{e['idle_rss_mib']:.1f} MiB",
                      e["idle_rss_mib"] <= 60))
        found.append(("cold start to ready ≤ 1 s", f"{e['cold_start_s'] * 1000:.0f} ms",
                      e["cold_start_s"] <= 1))
    return found


def _search_targets(results):
    for reader in ("anonymous", "member"):
        if reader not in results.get("search", {}):
            continue
        measured = results["search"][reader]
        p99 = measured["open_loop"]["p99_ms"]
        found = [(f"Search as {reader}: p99 at 100/s ≤ 50 ms", f"{p99:.1f} ms", p99 <= 50)]
        r = search_ratio(measured["rounds"])
        found.append((f"Search as {reader} ≥ 0.5× the pgbench limit", f"{r:.2f}×", r >= 0.5))
        yield from found


def search_ratio(rounds):
    """The hub's throughput over pgbench's, per round, median."""
    return statistics.median(hub.rps / sql.rps for hub, sql in rounds if sql.rps)


def failures(results):
    """What makes a run invalid, whatever its speed: errors, disagreeing answers, lost events."""
    problems = []
    for query, found in results["queries"].items():
        for system, runs in by_system(found["rounds"]).items():
            if any(run.errors for run in runs):
                problems.append(f"{query}: {system} answered with errors")
        for system, agreed in found["agreement"].items():
            if system != "size" and not agreed[0]:
                problems.append(f"{query}: {system} answered with different data")
    for reader, measured in results.get("search", {}).items():
        if isinstance(measured, dict):
            if any(run.errors for runs in measured["rounds"] for run in runs):
                problems.append(f"search as {reader}: answered with errors")
            if measured["open_loop"]["non_200"]:
                problems.append(f"search as {reader}: non-200 answers at {RATE_NOTE}")
    for name in ("S1", "S2"):
        if name in results and results[name]["delivered"] != results[name]["expected"]:
            problems.append(f"{name}: events were lost")
    if "N1" in results:
        problems.extend(notify.problems(results["N1"]))
    return problems


def write(results):
    quick = results["settings"]["quick"]
    today = datetime.date.today().isoformat()
    folder = ROOT / "target" / "bench" if quick else BENCH / "results"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{today}{'-quick' if quick else ''}.md"
    run = 2
    while not quick and path.exists():
        # A report already written today is kept: this run becomes its own file.
        path = folder / f"{today}-run{run}.md"
        run += 1
    path.write_text("\n".join(_lines(results, today)) + "\n")
    return path


def _lines(results, today):
    s = results["settings"]
    yield f"# Benchmark report, {today}"
    yield ""
    yield (f"`bench/run{' --quick' if s['quick'] else ''}` at `{_revision()}` on "
           f"{os.cpu_count()} cores; scale {s['scale']:g}, {s['rounds']} interleaved rounds of "
           f"{s['seconds']} s after a {s['warmup']} s warm-up, wrk with 2 threads and 32 "
           "connections, pgbench with 8 clients. Ratios compare rounds run side by side.")
    yield ""
    yield "Data set: " + ", ".join(f"{n:,} {t}" for t, n in results["data"].items()) + "."
    yield ""
    yield from _members_section(results)
    yield "## Targets"
    yield ""
    yield "| Target | Measured | Met |"
    yield "|---|---|---|"
    for target, measured, met in targets(results):
        yield f"| {target} | {measured} | {'yes' if met else '**no**'} |"
    problems = failures(results)
    yield ""
    yield "Validity: " + ("every response checked, no errors, every peer answered with the "
                          "same data." if not problems else "; ".join(problems))
    without_cache = uncached(results)
    if without_cache:
        yield ""
        yield ("The hub answers repeated anonymous queries from its read cache (kept until "
               "anything is written; README, HTTP surface). The same hub with the cache off "
               "(`KHUB_READ_CACHE_MIB=0`), every query run afresh, measured in the same rounds: "
               + "; ".join(without_cache) + ".")
    for query, found in results["queries"].items():
        yield from _query_section(query, found)
    yield from _search_section(results)
    yield from _live_section(results)
    if "rss_after_load_mib" in results:
        yield ""
        yield "Resident memory after the load: " + ", ".join(
            f"{name} {mib:.0f} MiB" for name, mib in results["rss_after_load_mib"].items()) + "."


def _members_section(results):
    """The headline: what signed-in members and partners' tokens get, which the read cache
    never serves, against the peers answering the same data to an anonymous reader."""
    rows = signed_in(results)
    if not rows:
        return
    yield "## What members see (no read cache)"
    yield ""
    yield ("Signed-in members and API tokens are never answered from the read cache: every "
           "request runs. Their queries add the viewer's own fields (`viewerRole`, "
           "`viewerWatchLevel`, `viewerReactions`, `viewerCanModerate`: "
           "`queries/hub/q*_member.graphql`); the peers answer the same data to an anonymous "
           "reader, so the hub does strictly more work.")
    yield ""
    yield ("| Query | Median req/s | ÷ PostGraphile 5 | ÷ PostGraphile 4 | Hub CPU ms/req "
           "| PostgreSQL CPU ms/req | p99 ms |")
    yield "|---|---|---|---|---|---|---|"
    for what, label, query in rows:
        runs = by_system(results["queries"][query]["rounds"])[label]
        yield (f"| {what} | {median_rps(runs):,.0f} | "
               f"{ratio(results, query, PG5, label):.2f}× | "
               f"{ratio(results, query, 'PostGraphile 4', label):.2f}× | "
               f"{hub_cpu_ms(results, query, label):.2f} | "
               f"{statistics.median(r.db_cpu_ms for r in runs):.2f} | "
               f"{_maybe(statistics.median(r.p99_ms for r in runs))} |")
    yield ""
    yield ("The anonymous readers the read cache serves are in each query's table below "
           "(`hub`), with the cache off beside them.")
    yield ""


def _query_section(query, found):
    yield ""
    yield f"## {queries.NAMES[query]}"
    size = found["agreement"].get("size")
    if size:
        yield ""
        yield f"The hub's response: {size:,} bytes."
    yield ""
    yield ("| System | Median req/s | Hub ÷ system | Rounds (req/s) | Errors | p50 ms | p99 ms "
           "| Server CPU ms/req | PostgreSQL CPU ms/req | Redis CPU ms/req |")
    yield "|---|---|---|---|---|---|---|---|---|---|"
    systems = by_system(found["rounds"])
    hub = systems[HUB]
    for name, runs in systems.items():
        rel = statistics.median(a.rps / b.rps for a, b in zip(hub, runs) if b.rps)
        yield (f"| {name} | {median_rps(runs):,.0f} | {rel:.2f} | "
               f"{' / '.join(f'{r.rps:,.0f}' for r in runs)} | {sum(r.errors for r in runs)} | "
               f"{statistics.median(r.p50_ms for r in runs):.1f} | "
               f"{_maybe(statistics.median(r.p99_ms for r in runs))} | "
               f"{statistics.median(r.server_cpu_ms for r in runs):.2f} | "
               f"{statistics.median(r.db_cpu_ms for r in runs):.2f} | "
               f"{statistics.median(r.redis_cpu_ms for r in runs):.2f} |")


def _search_section(results):
    if "search" not in results:
        return
    found = results["search"]
    yield ""
    yield f"## {queries.NAMES['search']}"
    yield ""
    yield ("Twelve two-word searches in turn (`harness/search.py`), each matching about one "
           "document in twelve, with `totalCount`, all four facets and 20 hits with snippets; "
           "the read cache off. The member belongs to "
           f"{found['member_restricted_communities']} RESTRICTED communities. pgbench runs the "
           "statements the hub sends for one search (`sql/pgbench_search_*.sql`).")
    yield ""
    yield ("| Reader | System | Median req/s | Hub ÷ pgbench | Rounds (req/s) | Errors | p50 ms "
           "| p99 ms | Server CPU ms/req | PostgreSQL CPU ms/req |")
    yield "|---|---|---|---|---|---|---|---|---|---|"
    for reader in ("anonymous", "member"):
        rounds = found[reader]["rounds"]
        for i, system in enumerate(("hub", "pgbench")):
            runs = [pair[i] for pair in rounds]
            yield (f"| {reader} | {system} | {median_rps(runs):,.0f} | "
                   f"{search_ratio(rounds) if i == 0 else 1:.2f} | "
                   f"{' / '.join(f'{r.rps:,.0f}' for r in runs)} | "
                   f"{sum(r.errors for r in runs)} | "
                   f"{statistics.median(r.p50_ms for r in runs):.1f} | "
                   f"{_maybe(statistics.median(r.p99_ms for r in runs))} | "
                   f"{statistics.median(r.server_cpu_ms for r in runs):.2f} | "
                   f"{statistics.median(r.db_cpu_ms for r in runs):.2f} |")
    yield ""
    yield f"Open loop at {RATE_NOTE}, latency-corrected (oha):"
    yield ""
    yield "| Reader | p50 ms | p99 ms | p99.9 ms | non-200 |"
    yield "|---|---|---|---|---|"
    for reader in ("anonymous", "member"):
        lat = found[reader]["open_loop"]
        yield (f"| {reader} | {lat['p50_ms']:.1f} | {lat['p99_ms']:.1f} | "
               f"{lat['p99.9_ms']:.1f} | {lat['non_200']} |")


def _live_section(results):
    if "latency" in results:
        yield ""
        yield "## Open-loop latency, Q1 at 150 requests/s"
        yield ""
        yield "| System | p50 ms | p99 ms | p99.9 ms | non-200 |"
        yield "|---|---|---|---|---|"
        for name, lat in results["latency"].items():
            yield (f"| {name} | {lat['p50_ms']:.1f} | {lat['p99_ms']:.1f} | "
                   f"{lat['p99.9_ms']:.1f} | {lat['non_200']} |")
    for name in ("S1", "S2"):
        if name in results:
            r = results[name]
            yield ""
            yield f"## {name}: {r['subscribers']:,} subscribers on {r['instances']} instance(s)"
            yield ""
            yield (f"Delivered {r['delivered']:,} of {r['expected']:,} events. From sending each "
                   f"reply to its last subscriber: p50 {r['last_subscriber_p50_ms']:.0f} ms, "
                   f"p99 {r['last_subscriber_p99_ms']:.0f} ms, max "
                   f"{r['last_subscriber_max_ms']:.0f} ms; per delivery p50 "
                   f"{r['delivery_p50_ms']:.0f} ms, p99 {r['delivery_p99_ms']:.0f} ms. "
                   f"Server memory {r['rss_before_kib'] / 1024:.0f} → "
                   f"{r['rss_idle_kib'] / 1024:.0f} MiB with every subscription idle "
                   f"({r['kib_per_subscription']:.1f} KiB each); all connected in "
                   f"{r['connect_seconds']:.1f} s.")
    if "N1" in results:
        yield from notify.section(results["N1"])
    if "embedded" in results:
        e = results["embedded"]
        yield ""
        yield "## Embedded default"
        yield ""
        yield (f"Fresh data directory, SQLite, no Redis (median of 5 starts): ready in "
               f"{e['cold_start_s'] * 1000:.0f} ms, {e['idle_rss_mib']:.1f} MiB resident when idle.")


def _maybe(value):
    return "–" if math.isnan(value) else f"{value:.1f}"


def _revision():
    rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                         text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                           capture_output=True, text=True).stdout.strip()
    return rev + ("+changes" if dirty else "")
