"""The data set: the database, its scale load, the peer's views, and the targets every
system is asked about (the same slugs, handles and threads for all)."""

import base64
import json
import subprocess
from dataclasses import dataclass

from . import servers

PG = "postgres://postgres@127.0.0.1:5432"
DEMO_PASSWORD = "knowledge-hub-demo"


def psql(database, sql, *extra):
    out = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                          f"{PG}/{database}", *extra, "-c", sql],
                         check=True, capture_output=True, text=True)
    return [line.split("|") for line in out.stdout.splitlines() if line]


def prepare(database, scale):
    """Creates and loads the database unless it holds this scale already; applies the views."""
    if not psql("postgres", f"select 1 from pg_database where datname = '{database}'"):
        psql("postgres", f"create database {database}")
    url = f"{PG}/{database}"
    subprocess.run([str(servers.binary("khub")), "seed", "--scale", str(scale), "--database-url", url],
                   check=True)
    subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", url, "-f",
                    str(servers.BENCH / "sql" / "peer_views.sql")], check=True)
    return database


def template_name(scale):
    """The database a scale is loaded into once, and copied from for every run."""
    return "khub_bench_s" + f"{scale:g}".replace(".", "_")


def fresh_copy(template, name):
    """A copy of the loaded data set (a file-level copy, seconds), so Q4's replies never
    change what the next run reads."""
    psql("postgres", f"drop database if exists {name} with (force)")
    psql("postgres", f"create database {name} template {template}")
    psql(name, "analyze")
    # Loopback: no TLS for anyone (node-postgres, the peers' driver, does not use it by default).
    return f"{PG}/{name}?sslmode=disable"


def counts(database):
    tables = ["organisations", "people", "communities", "practices", "threads", "posts",
              "practice_endorsements", "post_reactions"]
    row = psql(database, "select " + ", ".join(f"(select count(*) from {t})" for t in tables))[0]
    return dict(zip(tables, map(int, row)))


def global_id(kind, uuid):
    raw = f"{kind}:{uuid.replace('-', '')}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@dataclass
class Targets:
    slugs: list
    handles: list
    threads: list       # uuids
    repliers: list      # (thread uuid, person uuid, email)
    slug_members: list  # for each slug, the e-mail of a member of that community
    thread_members: list  # for each thread, the e-mail of a member of its community

    def members(self):
        """Everyone who reads signed in, or replies, in some run."""
        return sorted({*self.slug_members, *self.thread_members, *(r[2] for r in self.repliers)})


def pick_targets(database, count):
    """Deterministic targets: busy OPEN communities, people, long threads, and members who may
    reply straight away (OPEN discussion, no DEBATE threads, unlocked)."""
    slugs = psql(database, f"""
        select c.slug from communities c where c.visibility = 'OPEN'
        order by (select count(*) from threads t where t.community_id = c.id) desc, c.slug
        limit {count}""")
    handles = psql(database, f"select handle from people order by handle limit {count}")
    threads = psql(database, f"""
        select t.id from threads t join communities c on c.id = t.community_id
        where c.visibility = 'OPEN' order by t.reply_count desc, t.id limit {count}""")
    repliers = psql(database, f"""
        select distinct on (t.id) t.id, p.id, p.email
        from threads t
        join communities c on c.id = t.community_id
        join community_members m on m.community_id = c.id
        join people p on p.id = m.person_id
        where c.visibility = 'OPEN' and c.discussion_mode = 'OPEN' and t.kind <> 'DEBATE'
          and not t.locked
        order by t.id, p.id limit {count}""")
    slugs, threads = [r[0] for r in slugs], [r[0] for r in threads]
    targets = Targets(slugs, [r[0] for r in handles], threads, [tuple(r) for r in repliers],
                      _members(database, "c.slug", slugs), _members(database, "t.id", threads))
    _store_for_pgbench(database, targets)
    return targets


def _members(database, key, values):
    """For each value of `key` (a community's slug or a thread's id), the first member of its
    community: the signed-in reader asking about it."""
    listed = ", ".join(f"'{v}'" for v in values)
    rows = dict(psql(database, f"""
        select distinct on ({key}) {key}, p.email
        from communities c
        join threads t on t.community_id = c.id
        join community_members m on m.community_id = c.id
        join people p on p.id = m.person_id
        where {key} in ({listed})
        order by {key}, m.joined_at, p.id"""))
    return [rows[v] for v in values]


def _store_for_pgbench(database, targets):
    """The same targets as tables, numbered from 1, for pgbench's scripts to pick from."""
    rows = {
        "slugs": ("slug text", [[s] for s in targets.slugs]),
        "handles": ("handle text", [[h] for h in targets.handles]),
        "threads": ("id uuid", [[t] for t in targets.threads]),
        "repliers": ("thread_id uuid, person_id uuid", [[t, p] for t, p, _ in targets.repliers]),
    }
    statements = ["drop schema if exists bench cascade", "create schema bench"]
    for table, (columns, values) in rows.items():
        statements.append(f"create table bench.{table} (i int primary key, {columns})")
        for i, row in enumerate(values, start=1):
            literals = ", ".join(f"'{v}'" for v in row)
            statements.append(f"insert into bench.{table} values ({i}, {literals})")
    psql(database, "; ".join(statements))


@dataclass
class Readers:
    """The bearer tokens of signed-in readers: an access token per member (`member`), and a
    read-only API token per member (`token`)."""
    sessions: dict   # email -> access token
    api: dict        # email -> API token secret

    def bearer(self, reader, email):
        if reader == "anonymous":
            return None
        return (self.sessions if reader == "member" else self.api)[email]


def readers(url, targets):
    sessions = {email: login(url, email) for email in targets.members()}
    api = {email: api_token(url, sessions[email])
           for email in {*targets.slug_members, *targets.thread_members}}
    return Readers(sessions, api)


def api_token(url, access_token):
    """A new read-only API token for the signed-in person."""
    body = {"query": "mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) "
                     "{ secret userErrors { message } } }",
            "variables": {"i": {"name": "bench reader", "scopes": ["READ"]}}}
    answer = json.loads(servers.post(url, body, access_token))
    secret = answer["data"]["createApiToken"]["secret"]
    if not secret:
        raise RuntimeError(f"no API token: {answer}")
    return secret


def login(url, email):
    """An access token for a seeded person (every one has the demo password)."""
    body = {"query": "mutation($i: LoginInput!) { login(input: $i) { accessToken userErrors { message } } }",
            "variables": {"i": {"email": email, "password": DEMO_PASSWORD}}}
    answer = json.loads(servers.post(url, body))
    token = answer["data"]["login"]["accessToken"]
    if not token:
        raise RuntimeError(f"login failed for {email}: {answer}")
    return token
