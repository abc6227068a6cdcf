-- Q2 by hand: a person by handle, with their organisation.
\set i random(1, :targets)
select json_build_object('displayName', p.display_name, 'jobTitle', p.job_title,
                         'organisation', json_build_object('name', o.name, 'slug', o.slug))
from people p left join organisations o on o.id = p.organisation_id
where p.handle = (select handle from bench.handles where i = :i);
