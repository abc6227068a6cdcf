-- Q3 by hand: a thread with its first 50 replies, their authors and reaction counts.
\set i random(1, :targets)
select json_build_object('title', t.title, 'replies', (
  select json_agg(json_build_object(
           'body', case when r.deleted_at is null then r.body end,
           'author', a.display_name,
           'like', r.like_count, 'insightful', r.insightful_count,
           'helpful', r.helpful_count, 'support', r.support_count) order by r.position)
  from (select * from posts p
        where p.thread_id = t.id and p.position > 0 and p.status = 'APPROVED'
        order by p.position limit 50) r
  join people a on a.id = r.author_id))
from threads t
where t.id = (select id from bench.threads where i = :i);
