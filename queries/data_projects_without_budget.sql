-- data_projects_without_budget: data-quality check: projects of the selected organisations
-- with no total budget, so their funding cannot be followed up. Returns one row: how many,
-- and the first five project ids (sorted) as examples (null when there are none).
-- params: org
-- columns: items, example_ids
with hit as (
    select p.project_id as id
    from projects p
    where ($org is null or p.org_id = any($org))
      and p.total_budget is null
)
select
    count(*)::bigint as items,
    nullif(array_to_string(list_slice(list(id order by id), 1, 5), ', '), '') as example_ids
from hit
