-- data_indicators_without_target: data-quality check: indicators of the selected organisations
-- with no target in any year, so their status can never be assessed. Returns one row: how
-- many, and the first five indicators by name (sorted by organisation and name, separated by
-- '; ') as examples (null when there are none).
-- params: org
-- columns: items, examples
with hit as (
    select
        i.name as label,
        [o.name, i.name, i.indicator_id] as sort_key
    from indicators i
    join organisations o on o.org_id = i.org_id
    where ($org is null or i.org_id = any($org))
      and not exists (
            select 1 from indicator_values iv
            where iv.indicator_id = i.indicator_id and iv.target is not null)
)
select
    count(*)::bigint as items,
    nullif(array_to_string(list_slice(list(label order by sort_key), 1, 5), '; '), '') as examples
from hit
