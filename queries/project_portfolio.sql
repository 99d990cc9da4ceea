-- project_portfolio: the projects of the selected organisations whose period overlaps the
-- selected years (a project without dates is always included), with funding, the EU
-- co-financing rate (EU funding / total budget, null where either is missing) and the
-- goals served. With a goal filter only projects serving a chosen goal are kept.
-- params: org, year_from, year_to, goal
-- columns: org_id, project_id, title, acronym, programme, role, status, start_date, end_date, total_budget, eu_funding, own_funding, currency, eu_rate, goal_codes, goal_titles, source
with sel as (
    select p.*
    from projects p
    where ($org is null or p.org_id = any($org))
      and ($year_to is null or p.start_date is null or year(p.start_date) <= $year_to)
      and ($year_from is null or p.end_date is null or year(p.end_date) >= $year_from)
      and ($goal is null or p.project_id in (
            select pg.project_id from project_goals pg where pg.goal_id = any($goal)))
),
goals_of as (
    select
        pg.project_id,
        string_agg(g.code, ', ' order by length(g.code), g.code) as goal_codes,
        string_agg(g.title, ' | ' order by length(g.code), g.code) as goal_titles
    from project_goals pg
    join goals g on g.goal_id = pg.goal_id
    where pg.project_id in (select project_id from sel)
    group by pg.project_id
)
select
    s.org_id,
    s.project_id,
    s.title,
    s.acronym,
    s.programme,
    s.role,
    s.status,
    s.start_date,
    s.end_date,
    s.total_budget,
    s.eu_funding,
    s.own_funding,
    s.currency,
    case when s.total_budget > 0 and s.eu_funding is not null
         then s.eu_funding / s.total_budget end as eu_rate,
    go.goal_codes,
    go.goal_titles,
    s.source
from sel s
left join goals_of go on go.project_id = s.project_id
order by s.org_id, s.start_date nulls last, s.project_id
