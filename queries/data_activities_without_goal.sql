-- data_activities_without_goal: data-quality check: activities of the selected organisations
-- (any year) that serve no goal, so no goal's follow-up counts them. Returns one row: how
-- many, and the first five activity ids (sorted) as examples (null when there are none).
-- params: org
-- columns: items, example_ids
with hit as (
    select a.activity_id as id
    from activities a
    where ($org is null or a.org_id = any($org))
      and not exists (select 1 from activity_goals ag where ag.activity_id = a.activity_id)
)
select
    count(*)::bigint as items,
    nullif(array_to_string(list_slice(list(id order by id), 1, 5), ', '), '') as example_ids
from hit
