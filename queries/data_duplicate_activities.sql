-- data_duplicate_activities: data-quality check: activities of the selected organisations
-- that share their organisation, year and title (case and surrounding spaces aside) with
-- another: possible duplicates (a form saved twice, a row pasted twice). Returns one row:
-- how many activities are such a repeat (every one after the first of its group), and the
-- first five groups by title and year (sorted by organisation, year and title, separated by
-- '; ') as examples (null when there are none).
-- params: org
-- columns: items, examples
with groups as (
    select a.org_id, a.year, lower(trim(a.title)) as title_key, min(a.title) as title,
        count(*) as n
    from activities a
    where $org is null or a.org_id = any($org)
    group by a.org_id, a.year, lower(trim(a.title))
    having count(*) > 1
)
select
    coalesce(sum(g.n - 1), 0)::bigint as items,
    nullif(array_to_string(list_slice(list(
        g.title || ' (' || g.year || ', ' || g.n || ')'
        order by [o.name, g.year::varchar, g.title]), 1, 5), '; '), '') as examples
from groups g
join organisations o on o.org_id = g.org_id
