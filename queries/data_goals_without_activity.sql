-- data_goals_without_activity: data-quality check: goals of the selected organisations'
-- strategies that no activity serves in any year (a goal nothing is done for, or activities
-- not linked to it). Returns one row: how many, and the first five goal ids (sorted) as
-- examples (null when there are none).
-- params: org
-- columns: items, example_ids
with hit as (
    select g.goal_id as id
    from goals g
    where ($org is null or g.org_id = any($org))
      and not exists (select 1 from summary_goal_links s where s.goal_id = g.goal_id)
)
select
    count(*)::bigint as items,
    nullif(array_to_string(list_slice(list(id order by id), 1, 5), ', '), '') as example_ids
from hit
