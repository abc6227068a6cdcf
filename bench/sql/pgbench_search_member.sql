-- Search as a member of RESTRICTED communities: the statements the hub sends for one search
-- (infra/src/db/search/window.rs, postgres.rs, facets.rs) as PostgreSQL logged them: the window
-- of matches with their scores, the page's snippets, the tags of the window's practices (the
-- words' statistics the hub reads every five minutes, not per search). Every bench search is
-- for common words, so the hub walks the documents newest first (ts_match_vq: the index is not
-- used); so does this script.
-- Differences, for pgbench's sake: the hub ANDs one phraseto_tsquery per word, written into the
-- statement; plainto_tsquery builds the same tsquery in one call from a bound value (the harness
-- sets plan_cache_mode=force_custom_plan, so each is planned for its words as the hub's are).
-- The hub ranks the window's rows itself; here PostgreSQL picks the page's ids and the
-- practices (array_agg) to hand them to the next statements.
\set i random(1, :targets)
select words as q from bench.search_words where i = :i \gset
select person_id as person from bench.search_member \gset
select (array_agg(w.id order by w.score desc, w.updated_at desc, w.id))[1:20] as page,
       coalesce(array_agg(w.id) filter (where w.kind = 'PRACTICE'), '{}') as practices
from (SELECT "d"."id", "d"."kind", "d"."service_area", "d"."community_id", "d"."updated_at", (ts_rank(d.terms, (plainto_tsquery('english', :q))) * CASE WHEN d.promoted THEN 1.25 ELSE 1 END)::float8 AS "score" FROM (SELECT "d"."id", "d"."kind", "d"."community_id", "d"."service_area", "d"."promoted", "d"."updated_at", "d"."terms" FROM "search_documents" AS "d" WHERE (ts_match_vq(d.terms, plainto_tsquery('english', :q))) AND ("d"."community_id" IS NULL OR "d"."community_id" IN (SELECT "id" FROM "communities" WHERE "communities"."visibility" = 'OPEN') OR ("d"."kind" = 'COMMUNITY' AND "d"."community_id" IN (SELECT "id" FROM "communities" WHERE "communities"."visibility" <> 'PRIVATE')) OR "d"."community_id" IN (SELECT "community_id" FROM "community_members" WHERE "community_members"."person_id" = :person::uuid)) AND TRUE ORDER BY "d"."created_at" DESC LIMIT 300) AS "d") w \gset
SELECT "s"."id", "s"."field", ts_headline('english', CASE s.field WHEN 'TITLE' THEN s.title WHEN 'SUMMARY' THEN s.summary WHEN 'KEYWORDS' THEN s.keywords ELSE s.body END, (plainto_tsquery('english', :q)), 'StartSel=, StopSel=, MaxWords=30, MinWords=12, ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "') AS "marked" FROM (SELECT "d"."id", "d"."title", "d"."summary", "d"."body", "d"."keywords", CASE WHEN to_tsvector('english', d.title) @@ (plainto_tsquery('english', :q)) THEN 'TITLE' WHEN to_tsvector('english', d.summary) @@ (plainto_tsquery('english', :q)) THEN 'SUMMARY' WHEN to_tsvector('english', d.body) @@ (plainto_tsquery('english', :q)) THEN 'BODY' WHEN to_tsvector('english', d.keywords) @@ (plainto_tsquery('english', :q)) THEN 'KEYWORDS' WHEN d.body <> '' THEN 'BODY' ELSE 'TITLE' END AS "field" FROM "search_documents" AS "d" WHERE "d"."id" = ANY (:page::uuid[])) AS "s";
SELECT "practice_tags"."practice_id", "practice_tags"."tag" FROM "practice_tags" WHERE "practice_tags"."practice_id" = ANY (:practices::uuid[]);
