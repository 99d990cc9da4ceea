-- data_projects_without_budget: data-quality check: projects of the selected organisations
-- with no total budget, so their funding cannot be followed up. Returns one row: how many, and
-- the first five projects by name (acronym, else title; sorted by organisation and name,
-- separated by '; ') as examples (null when there are none).
-- params: org
-- columns: items, examples
with hit as (
    select
        coalesce(p.acronym, p.title) as label,
        [o.name, coalesce(p.acronym, p.title), p.project_id] as sort_key
    from projects p
    join organisations o on o.org_id = p.org_id
    where ($org is null or p.org_id = any($org))
      and p.total_budget is null
)
select
    count(*)::bigint as items,
    nullif(array_to_string(list_slice(list(label order by sort_key), 1, 5), '; '), '') as examples
from hit
