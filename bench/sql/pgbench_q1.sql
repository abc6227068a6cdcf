-- Q1 by hand: a community's 20 latest threads, each with title, author and 5 latest replies
-- with their authors, as one JSON document built by PostgreSQL.
\set i random(1, :targets)
select json_build_object('name', c.name, 'threads', (
  select json_agg(json_build_object(
           'title', t.title,
           'author', a.display_name,
           'replies', (
             select json_agg(json_build_object('body', r.body, 'author', ra.display_name)
                             order by r.position)
             from (select p.body, p.author_id, p.position from posts p
                   where p.thread_id = t.id and p.position > 0 and p.status = 'APPROVED'
                   order by p.position desc limit 5) r
             join people ra on ra.id = r.author_id))
         order by t.pinned desc, t.last_activity_at desc, t.id desc)
  from (select * from threads t where t.community_id = c.id
        order by t.pinned desc, t.last_activity_at desc, t.id desc limit 20) t
  join people a on a.id = t.author_id))
from communities c
where c.slug = (select slug from bench.slugs where i = :i) and c.visibility = 'OPEN';
