-- data_tables: every table of the loaded dataset with its number of rows, how many rows
-- come from a document and how many are illustrative (source = 'illustrative'), and those
-- as percentages (0-100, one decimal; null for an empty table). Goals have no source of
-- their own and take their strategy's; goal links with an empty source take their
-- activity's or project's. The whole dataset, whatever the filters.
-- params: none
-- columns: table_name, row_count, document_rows, illustrative_rows, document_pct, illustrative_pct
with src as (
    select 1 as pos, 'organisations' as table_name, source from organisations
    union all
    select 2, 'strategies', source from strategies
    union all
    select 3, 'goals', s.source
    from goals g left join strategies s on s.strategy_id = g.strategy_id
    union all
    select 4, 'networks', source from networks
    union all
    select 5, 'memberships', source from memberships
    union all
    select 6, 'projects', source from projects
    union all
    select 7, 'activities', source from activities
    union all
    select 8, 'activity_goals', coalesce(ag.source, a.source)
    from activity_goals ag left join activities a on a.activity_id = ag.activity_id
    union all
    select 9, 'project_goals', coalesce(pg.source, p.source)
    from project_goals pg left join projects p on p.project_id = pg.project_id
    union all
    select 10, 'indicators', source from indicators
    union all
    select 11, 'indicator_values', source from indicator_values
    union all
    select 12, 'goal_assessments', source from goal_assessments
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
        count(*) as row_count,
        count(*) filter (where source is not null and source <> 'illustrative') as document_rows,
        count(*) filter (where source = 'illustrative') as illustrative_rows
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
