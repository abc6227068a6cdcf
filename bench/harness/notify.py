"""N1: notifications to 10,000 watchers of one thread. Q4's postReply into that thread with its
watchers and without them (interleaved rounds), how long the outbox takes to catch up after
each run, and the time from a reply to the 10,000th live `notificationReceived` (the fan-out
client, one socket per watcher, each signed in with its own API token)."""

import statistics
import tempfile
import time

from . import data, live, load, queries, servers

BATCH = "bench-watcher"
WATCHED = "hub, watched"
UNWATCHED = "hub, no watchers"


def measure(settings, database_url, database, redis_url, targets):
    thread, replier, email = targets.repliers[0]
    count = settings["watchers"]
    tokens = _watchers(database, replier, count)
    hub = servers.hub("hub-notify", database_url, redis_url)
    try:
        token = data.login(hub.url, email)
        lines = _replies(thread, token)
        rounds, catch_up = [], []
        for r in range(settings["rounds"] + 1):
            runs = []
            for name, watching in ((UNWATCHED, False), (WATCHED, True)):
                _watch(database, thread, watching)
                seconds = settings["seconds"] if r else settings["warmup"]
                runs.append(load.wrk(name, hub, lines, seconds))
                waited = _drained(database)
                if r and watching:
                    catch_up.append(waited)
            if r:  # round 0 warms up
                rounds.append(runs)
                print("  round", r, ", ".join(f"{run.system} {run.rps:.0f}/s" for run in runs))
        written = int(data.psql(database, f"select coalesce(sum(count), 0) from notifications "
                                          f"where thread_id = '{thread}'")[0][0])
    finally:
        hub.stop()
    _watch(database, thread, True)
    told = _live(database_url, redis_url, thread, email, tokens, settings)
    return {"watchers": count, "rounds": rounds, "catch_up_s": catch_up,
            "notified": written, "live": told}


def _watchers(database, replier, count):
    """`count` people other than the replier, each with a read-only API token (its secret made
    here, its digest stored as the hub stores it). Returns the secrets, in order."""
    data.psql(database, f"""
        delete from api_tokens where name = '{BATCH}';
        insert into api_tokens (id, owner_id, name, scopes, digest, hint, created_at)
        select gen_random_uuid(), p.id, '{BATCH}', '["read"]',
               encode(sha256(convert_to('khub_bench_' || md5(p.id::text), 'UTF8')), 'hex'),
               left('khub_bench_' || md5(p.id::text), 16), now()
        from people p where p.id <> '{replier}' and not p.service
        order by p.id limit {count}""")
    rows = data.psql(database, f"select 'khub_bench_' || md5(owner_id::text) from api_tokens "
                               f"where name = '{BATCH}' order by owner_id")
    if len(rows) < count:
        raise RuntimeError(f"only {len(rows)} people can watch, not {count}")
    return [row[0] for row in rows]


def _watch(database, thread, watching):
    """The bench's people WATCHING the thread, or not watching it at all."""
    data.psql(database, f"""
        delete from thread_watches where thread_id = '{thread}'
          and person_id in (select owner_id from api_tokens where name = '{BATCH}');
        delete from notifications where thread_id = '{thread}';""")
    if watching:
        data.psql(database, f"""
            insert into thread_watches (person_id, thread_id, level)
            select owner_id, '{thread}', 'WATCHING' from api_tokens where name = '{BATCH}'""")
    data.psql(database, "analyze thread_watches; analyze notifications")


def _drained(database, within=600):
    """Seconds until every recorded event is relayed (and its notifications written)."""
    began = time.monotonic()
    while data.psql(database, "select 1 from outbox_pending "
                             "where stage in ('relay', 'notifier') limit 1"):
        if time.monotonic() - began > within:
            raise RuntimeError(f"the outbox did not drain within {within} s")
        time.sleep(0.05)
    return time.monotonic() - began


def _replies(thread, token):
    requests = [(token, {"input": {"threadId": data.global_id("Thread", thread),
                                   "body": f"Watched reply {n}: the weekly check-in worked."}})
                for n in range(50)]
    return queries.lines("hub", "q4", requests)


def _live(database_url, redis_url, thread, email, tokens, settings):
    """One socket per watcher, each listening to its own notifications; replies posted one by
    one, each timed to the last watcher told of it."""
    hub = servers.hub("hub-notify-live", database_url, redis_url)
    try:
        with tempfile.NamedTemporaryFile("w", suffix=".tokens") as file:
            file.write("\n".join(tokens) + "\n")
            file.flush()
            return live.client([hub], thread, data.login(hub.url, email), len(tokens),
                               settings["replies"], ["--notified", file.name])
    finally:
        hub.stop()


def ratio(found):
    """Throughput with watchers over without, per interleaved round, median."""
    return statistics.median(watched.rps / none.rps for none, watched in found["rounds"])


def targets(found):
    r = ratio(found)
    live = found["live"]
    p99 = live["last_subscriber_p99_ms"]
    return [
        (f"N1 postReply with {found['watchers']:,} watchers ≥ 0.9× none", f"{r:.2f}×", r >= 0.9),
        (f"N1 reply to the last of {found['watchers']:,} notified p99 ≤ 1 s", f"{p99:.0f} ms", p99 <= 1000),
        ("N1 100 % notified live", f"{live['delivered']}/{live['expected']}",
         live["delivered"] == live["expected"]),
    ]


def section(found):
    n = found["watchers"]
    live = found["live"]
    yield ""
    yield f"## N1: notifications to {n:,} watchers of one thread"
    yield ""
    yield (f"Q4's postReply, every reply into one thread, with {n:,} people WATCHING it and with "
           f"none, interleaved: {ratio(found):.2f}× (median of rounds). After each watched run "
           f"the outbox caught up in " + ", ".join(f"{s:.1f}" for s in found["catch_up_s"]) +
           f" s; {found['notified']:,} notifications written in the last watched run, "
           "collapsed per watcher.")
    yield ""
    yield "| Round | System | Requests/s | p50 ms | p99 ms | hub CPU ms/req | PostgreSQL CPU ms/req |"
    yield "|---|---|---|---|---|---|---|"
    for i, runs in enumerate(found["rounds"], start=1):
        for run in runs:
            yield (f"| {i} | {run.system} | {run.rps:.0f} | {run.p50_ms:.1f} | {run.p99_ms:.1f} | "
                   f"{run.server_cpu_ms:.2f} | {run.db_cpu_ms:.2f} |")
    yield ""
    yield (f"Live: {live['subscribers']:,} sockets, each signed in with its watcher's API token "
           f"and subscribed to `notificationReceived`. Told {live['delivered']:,} of "
           f"{live['expected']:,}. From sending each reply to the last watcher told: p50 "
           f"{live['last_subscriber_p50_ms']:.0f} ms, p99 {live['last_subscriber_p99_ms']:.0f} "
           f"ms, max {live['last_subscriber_max_ms']:.0f} ms; per notification p50 "
           f"{live['delivery_p50_ms']:.0f} ms, p99 {live['delivery_p99_ms']:.0f} ms. Server "
           f"memory {live['rss_before_kib'] / 1024:.0f} → {live['rss_idle_kib'] / 1024:.0f} MiB "
           f"with every subscription idle ({live['kib_per_subscription']:.1f} KiB each); all "
           f"connected in {live['connect_seconds']:.1f} s.")


def problems(found):
    found_problems = []
    if any(run.errors for runs in found["rounds"] for run in runs):
        found_problems.append("N1: postReply answered with errors")
    if found["live"]["delivered"] != found["live"]["expected"]:
        found_problems.append("N1: notifications were not told live")
    return found_problems
