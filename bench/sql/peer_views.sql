-- The peer's window on the hub's tables: the schema `peer` exposes what an anonymous reader of
-- the hub may see (OPEN communities, their threads and approved posts, people, organisations),
-- with the same meaning (counts as the hub's Int, not PostgreSQL's bigint; `position` stays as
-- it is so ordering by it uses the index), so PostGraphile answers the same questions from the
-- same rows.
-- Smart comments give the views the keys and relations PostGraphile needs to join them.
-- Idempotent: `bench/run` applies it before every run.

set client_min_messages = warning;
drop schema if exists peer cascade;
create schema peer;

create view peer.organisations as
  select id, slug, name, kind from public.organisations;
comment on view peer.organisations is E'@primaryKey id\n@unique slug';

create view peer.people as
  select id, handle, display_name, job_title, area, organisation_id, created_at
  from public.people;
comment on view peer.people is
  E'@primaryKey id\n@unique handle\n@foreignKey (organisation_id) references peer.organisations (id)';

create view peer.communities as
  select id, slug, name, description, member_count::int as member_count, created_at,
         last_activity_at
  from public.communities
  where visibility = 'OPEN';
comment on view peer.communities is E'@primaryKey id\n@unique slug';

create view peer.threads as
  select t.id, t.community_id, t.author_id, t.title, t.kind, t.pinned, t.locked,
         t.reply_count::int as reply_count, t.created_at, t.last_activity_at
  from public.threads t
  join public.communities c on c.id = t.community_id and c.visibility = 'OPEN';
comment on view peer.threads is E'@primaryKey id\n'
  '@foreignKey (community_id) references peer.communities (id)\n'
  '@foreignKey (author_id) references peer.people (id)';

-- Replies: every approved post after the opening one; a deleted reply is a tombstone.
create view peer.replies as
  select p.id, p.thread_id, p.author_id,
         case when p.deleted_at is null then p.body end as body,
         p.position, p.like_count::int as like_count,
         p.insightful_count::int as insightful_count, p.helpful_count::int as helpful_count,
         p.support_count::int as support_count, p.created_at
  from public.posts p
  join public.threads t on t.id = p.thread_id
  join public.communities c on c.id = t.community_id and c.visibility = 'OPEN'
  where p.position > 0 and p.status = 'APPROVED';
comment on view peer.replies is E'@primaryKey id\n'
  '@foreignKey (thread_id) references peer.threads (id)\n'
  '@foreignKey (author_id) references peer.people (id)';

-- Q4: a reply, as the hub writes one in an OPEN discussion (position from the thread's
-- counter, counters and activity bumped in the same transaction).
create function peer.post_reply(thread_id uuid, author_id uuid, body text)
returns peer.replies
language plpgsql volatile strict as $$
declare
  new_position bigint;
  new_id uuid := gen_random_uuid();
  reply peer.replies;
begin
  update public.threads t
     set post_count = t.post_count + 1, reply_count = t.reply_count + 1,
         last_reply_id = new_id, last_activity_at = now()
   where t.id = post_reply.thread_id
  returning t.post_count into new_position;
  if new_position is null then
    raise exception 'no such thread';
  end if;
  insert into public.posts (id, thread_id, author_id, body, position, status, mentions,
                            like_count, insightful_count, helpful_count, support_count,
                            created_at, edit_count)
  values (new_id, post_reply.thread_id, post_reply.author_id, post_reply.body, new_position,
          'APPROVED', '[]', 0, 0, 0, 0, now(), 0);
  select * into reply from peer.replies r where r.id = new_id;
  return reply;
end
$$;
