-- data_goals_without_activity: data-quality check: goals of the selected organisations'
-- strategies that no activity serves in any year (a goal nothing is done for, or activities
-- not linked to it). Returns one row: how many, and the first five goals, each as its
-- organisation's name and the goal's number (sorted, separated by '; ') as examples (null when
-- there are none).
-- params: org
-- columns: items, examples
with hit as (
    select
        o.name || ' ' || g.code as label,
        [o.name, lpad(g.code, 8, ' '), g.goal_id] as sort_key
    from goals g
    join organisations o on o.org_id = g.org_id
    where ($org is null or g.org_id = any($org))
      and not exists (select 1 from summary_goal_links s where s.goal_id = g.goal_id)
)
select
    count(*)::bigint as items,
    nullif(array_to_string(list_slice(list(label order by sort_key), 1, 5), '; '), '') as examples
from hit
