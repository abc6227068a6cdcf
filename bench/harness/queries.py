"""The benchmark's questions, as each system is asked them: Q1–Q4 request bodies for the hub
and for PostGraphile 4 and 5 (whose inflections differ), and pgbench's hand-written SQL.

A reader is `anonymous`, `member` (signed in, asking the `*_member.graphql` form with the
viewer's own fields) or `token` (the same, through a read-only API token); the peers are
always asked as anonymous readers."""

import json
from pathlib import Path

from .data import global_id

QUERIES = Path(__file__).resolve().parent.parent / "queries"
SQL = Path(__file__).resolve().parent.parent / "sql"

NAMES = {
    "q1": "Q1 community feed",
    "q2": "Q2 person by handle",
    "q3": "Q3 thread with 50 replies",
    "q4": "Q4 postReply",
    "search": "Search, two common words with facets",
}


def text(system, query, reader="anonymous"):
    form = query if reader == "anonymous" else f"{query}_member"
    return (QUERIES / system / f"{form}.graphql").read_text()


def variables(system, query, targets, readers, reader="anonymous"):
    """(bearer token, variables) for every request of a query, in the order sent."""
    if query == "q1":
        return [(readers.bearer(reader, email), {"slug": slug})
                for slug, email in zip(targets.slugs, targets.slug_members)]
    if query == "q2":
        return [(None, {"handle": handle}) for handle in targets.handles]
    if query == "q3":
        # The hub's ids are opaque global ids; the peer takes the row's uuid.
        ids = [global_id("Thread", t) if system == "hub" else t for t in targets.threads]
        return [(readers.bearer(reader, email), {"id": i})
                for i, email in zip(ids, targets.thread_members)]
    if query == "q4":
        return [_reply(system, thread, person, readers.sessions[email], n)
                for n, (thread, person, email) in enumerate(targets.repliers)]
    raise ValueError(query)


def _reply(system, thread, person, token, n):
    body = f"Benchmark reply {n}: what worked for us was a weekly check-in with the team."
    if system == "hub":
        return token, {"input": {"threadId": global_id("Thread", thread), "body": body}}
    return None, {"input": {"threadId": thread, "authorId": person, "body": body}}


def bodies(system, query, targets, readers, reader="anonymous"):
    """The request lines wrk's script reads for a query's targets."""
    return lines(system, query, variables(system, query, targets, readers, reader), reader)


def lines(system, query, requests, reader="anonymous"):
    """The request lines wrk's script reads: token, a tab, the JSON body; one per (token,
    variables) of `requests`."""
    query_text = text(system, query, reader)
    found = []
    for token, values in requests:
        body = json.dumps({"query": query_text, "variables": values}, separators=(",", ":"))
        found.append(f"{token or ''}\t{body}")
    return found


def pgbench_script(query):
    return SQL / f"pgbench_{query}.sql"
