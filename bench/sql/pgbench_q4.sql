-- Q4 by hand: a reply, through the same function the peer's mutation calls.
\set i random(1, :targets)
select id from peer.post_reply(
  (select thread_id from bench.repliers where i = :i),
  (select person_id from bench.repliers where i = :i),
  'Benchmark reply: what worked for us was a weekly check-in with the team.');
