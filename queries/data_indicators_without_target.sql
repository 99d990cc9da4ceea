-- data_indicators_without_target: data-quality check: indicators of the selected
-- organisations with no target in any year, so their status can never be assessed. Returns
-- one row: how many, and the first five indicator ids (sorted) as examples (null when there
-- are none).
-- params: org
-- columns: items, example_ids
with hit as (
    select i.indicator_id as id
    from indicators i
    where ($org is null or i.org_id = any($org))
      and not exists (
            select 1 from indicator_values iv
            where iv.indicator_id = i.indicator_id and iv.target is not null)
)
select
    count(*)::bigint as items,
    nullif(array_to_string(list_slice(list(id order by id), 1, 5), ', '), '') as example_ids
from hit
