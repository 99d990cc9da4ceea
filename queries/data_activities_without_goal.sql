-- data_activities_without_goal: data-quality check: activities of the selected organisations
-- (any year) that serve no goal, so no goal's follow-up counts them. Returns one row: how
-- many, and the first five activities by title and year (sorted by organisation, year and
-- title, separated by '; ') as examples (null when there are none).
-- params: org
-- columns: items, examples
-- summary_activities counts them per organisation and year; only those organisation-years are
-- read for the examples (none: nothing is read).
with cells as (
    select distinct s.org_id, s.year
    from summary_activities s
    where s.without_goal > 0 and ($org is null or s.org_id = any($org))
),
hit as (
    select
        a.title || ' (' || a.year || ')' as label,
        [o.name, a.year::varchar, a.title, a.activity_id] as sort_key
    from activities a
    join organisations o on o.org_id = a.org_id
    semi join cells c on c.org_id = a.org_id and c.year = a.year
    where a.org_id in (select org_id from cells)
      and not exists (
        select 1 from activity_goals ag
        where ag.activity_id = a.activity_id and ag.org_id = a.org_id and ag.year = a.year
          and ag.org_id in (select org_id from cells))
)
select
    count(*)::bigint as items,
    nullif(array_to_string(list_slice(list(label order by sort_key), 1, 5), '; '), '') as examples
from hit
