"""Search at scale: two common words with facets, as an anonymous reader and as a member of
several RESTRICTED communities, closed loop beside pgbench running the hub's own statements,
then open loop at a fixed rate for p99."""

import json
from dataclasses import dataclass

from . import data, load, queries, servers

# Two-word searches a practitioner types, each matching about one document in twelve of the
# data set (its topics; see infra/src/db/scale/content.rs): common words, never rare ones.
WORDS = ["damp mould", "hospital discharge", "digital inclusion", "school transport",
         "youth services", "homelessness prevention", "social care", "energy retrofit",
         "bin collections", "tax arrears", "opening hours", "library hours"]
READERS = ("anonymous", "member")
# The hub writes a search's words into its statements, so each is planned for its words;
# pgbench binds them, so it is told to plan each execution the same way.
CUSTOM_PLANS = {"plan_cache_mode": "force_custom_plan"}
RATE = 100
# The data set gives each person two communities; the member is given this many RESTRICTED
# ones (in the run's copy of the data set only), as a busy practitioner would have.
RESTRICTED = 6


@dataclass
class Member:
    person: str     # uuid
    email: str
    restricted: int  # how many RESTRICTED communities they belong to


def pick_member(database):
    """The person in the most RESTRICTED communities, made a member of several."""
    person = _most_restricted(database).person
    data.psql(database, f"""
        insert into community_members (community_id, person_id, role, joined_at)
        select c.id, '{person}', 'MEMBER', now() from communities c
        where c.visibility = 'RESTRICTED'
          and not exists (select 1 from community_members m
                          where m.community_id = c.id and m.person_id = '{person}')
        order by c.member_count desc, c.id
        limit greatest(0, {RESTRICTED} - (
            select count(*) from community_members m join communities c on c.id = m.community_id
            where m.person_id = '{person}' and c.visibility = 'RESTRICTED'))""")
    return _most_restricted(database)


def _most_restricted(database):
    row = data.psql(database, """
        select p.id, p.email, count(*) filter (where c.visibility = 'RESTRICTED')
        from people p
        join community_members m on m.person_id = p.id
        join communities c on c.id = m.community_id
        group by p.id, p.email
        order by 3 desc, count(*) desc, p.id limit 1""")[0]
    return Member(row[0], row[1], int(row[2]))


def store_for_pgbench(database, member):
    """The words and the member as tables, for pgbench's scripts to pick from."""
    statements = ["drop table if exists bench.search_words, bench.search_member",
                  "create table bench.search_words (i int primary key, words text)",
                  "create table bench.search_member (person_id uuid)",
                  f"insert into bench.search_member values ('{member.person}')"]
    statements += [f"insert into bench.search_words values ({i}, '{w}')"
                   for i, w in enumerate(WORDS, start=1)]
    data.psql(database, "; ".join(statements))


def bodies(token):
    return queries.lines("hub", "search", [(token, {"query": w}) for w in WORDS])


def measure(settings, hub, database_url, database):
    """{reader: {"rounds": [[hub run, pgbench run], …], "open_loop": oha figures}}."""
    member = pick_member(database)
    store_for_pgbench(database, member)
    token = data.login(hub.url, member.email)
    lines = {"anonymous": bodies(None), "member": bodies(token)}
    print(f"search: {len(WORDS)} two-word searches with facets; the member belongs to "
          f"{member.restricted} RESTRICTED communities")
    _check(hub, lines)
    results = {"member_restricted_communities": member.restricted}
    for reader in READERS:
        script = queries.SQL / f"pgbench_search_{reader}.sql"

        def one_round(seconds):
            return [load.wrk(f"hub, {reader}", hub, lines[reader], seconds),
                    load.pgbench(database_url, script, len(WORDS), seconds, CUSTOM_PLANS)]

        one_round(settings["warmup"])
        rounds = []
        for r in range(settings["rounds"]):
            rounds.append(one_round(settings["seconds"]))
            print(f"  {reader} round {r + 1}: "
                  + ", ".join(f"{run.system} {run.rps:.0f}/s" for run in rounds[-1]))
        open_loop = load.oha(hub, lines[reader][0], RATE, settings["latency_seconds"])
        print(f"  {reader} at {RATE}/s: {open_loop}")
        results[reader] = {"rounds": rounds, "open_loop": open_loop}
    return results


def _check(hub, lines):
    """Every search finds something and counts it, for both readers."""
    for reader, reader_lines in lines.items():
        for line in reader_lines:
            token, body = line.split("\t", 1)
            answer = json.loads(servers.post_raw(hub.url, body, token or None))
            found = answer.get("data", {}).get("search") if answer.get("data") else None
            if answer.get("errors") or not found or not found["totalCount"]:
                raise RuntimeError(f"search as {reader} went wrong: {str(answer)[:300]}")
