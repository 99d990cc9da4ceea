-- data_tables: every table of the loaded dataset with its number of rows, how many rows
-- come from a document and how many are illustrative (source = 'illustrative'), and those
-- as percentages (0-100, one decimal; null for an empty table). Goals have no source of
-- their own and take their strategy's; goal links with an empty source take their
-- activity's or project's. The selected organisations' rows (all: the whole dataset); of
-- the networks, those their memberships or activities name, as the Networks page shows.
-- params: org
-- columns: table_name, row_count, document_rows, illustrative_rows, document_pct, illustrative_pct
with picked as (
    select org_id from organisations where $org is null or org_id = any($org)
),
used_networks as (
    select network_id from memberships where org_id in (select org_id from picked)
    union
    select network_id from summary_activities
    where network_id is not null and org_id in (select org_id from picked)
),
src as (
    select 1 as pos, 'organisations' as table_name, source, 1 as n from organisations
    where org_id in (select org_id from picked)
    union all
    select 2, 'strategies', source, 1 from strategies where org_id in (select org_id from picked)
    union all
    select 3, 'goals', s.source, 1
    from goals g left join strategies s on s.strategy_id = g.strategy_id
    where g.org_id in (select org_id from picked)
    union all
    select 4, 'networks', source, 1 from networks
    where $org is null or network_id in (select network_id from used_networks)
    union all
    select 5, 'memberships', source, 1 from memberships where org_id in (select org_id from picked)
    union all
    select 6, 'projects', source, 1 from projects where org_id in (select org_id from picked)
    union all
    -- the two big tables are counted from their summaries (summary_goal_links already gives a
    -- link without a source its activity's)
    select 7, 'activities', source, activities from summary_activities
    where org_id in (select org_id from picked)
    union all
    select 8, 'activity_goals', source, activities from summary_goal_links
    where org_id in (select org_id from picked)
    union all
    select 9, 'project_goals', coalesce(pg.source, p.source), 1
    from project_goals pg join projects p on p.project_id = pg.project_id
    where p.org_id in (select org_id from picked)
    union all
    select 10, 'indicators', source, 1 from indicators where org_id in (select org_id from picked)
    union all
    select 11, 'indicator_values', iv.source, 1
    from indicator_values iv join indicators i on i.indicator_id = iv.indicator_id
    where i.org_id in (select org_id from picked)
    union all
    select 12, 'goal_assessments', source, 1 from goal_assessments
    where org_id in (select org_id from picked)
),
names as (
    select * from (values
        (1, 'organisations'), (2, 'strategies'), (3, 'goals'), (4, 'networks'),
        (5, 'memberships'), (6, 'projects'), (7, 'activities'), (8, 'activity_goals'),
        (9, 'project_goals'), (10, 'indicators'), (11, 'indicator_values'),
        (12, 'goal_assessments')
    ) as t(pos, table_name)
),
counts as (
    select
        pos,
        sum(n) as row_count,
        coalesce(sum(n) filter (where source is not null and source <> 'illustrative'), 0)
            as document_rows,
        coalesce(sum(n) filter (where source = 'illustrative'), 0) as illustrative_rows
    from src
    group by pos
)
select
    n.table_name,
    coalesce(c.row_count, 0)::bigint as row_count,
    coalesce(c.document_rows, 0)::bigint as document_rows,
    coalesce(c.illustrative_rows, 0)::bigint as illustrative_rows,
    round(100.0 * c.document_rows / nullif(c.row_count, 0), 1) as document_pct,
    round(100.0 * c.illustrative_rows / nullif(c.row_count, 0), 1) as illustrative_pct
from names n
left join counts c on c.pos = n.pos
order by n.pos
