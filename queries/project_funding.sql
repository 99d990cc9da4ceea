-- project_funding: the funding of the selected projects by currency, programme and status
-- (amounts in different currencies are never added together): how many projects, their total
-- budget, EU funding and own funding. Projects are selected as in project_portfolio (period
-- overlapping the selected years, a project without dates always included, with a goal
-- filter only projects serving a chosen goal). A project without a programme counts under an
-- empty programme; projects without any amount form rows with an empty currency. Rows are in
-- the order of the project lifecycle (idea, applied, granted, running, closed, rejected).
-- source is 'illustrative' when any project behind the row is.
-- params: org, year_from, year_to, goal
-- columns: currency, programme, status, projects, total_budget, eu_funding, own_funding, source
with sel as (
    select p.*
    from projects p
    where ($org is null or p.org_id = any($org))
      and ($year_to is null or p.start_date is null or year(p.start_date) <= $year_to)
      and ($year_from is null or p.end_date is null or year(p.end_date) >= $year_from)
      and ($goal is null or p.project_id in (
            select pg.project_id from project_goals pg where pg.goal_id = any($goal)))
)
select
    currency,
    programme,
    status,
    count(*)::bigint as projects,
    sum(total_budget) as total_budget,
    sum(eu_funding) as eu_funding,
    sum(own_funding) as own_funding,
    case when bool_or(source = 'illustrative') then 'illustrative'
         else string_agg(distinct source, ', ' order by source) end as source
from sel
group by currency, programme, status
order by
    currency nulls last,
    programme nulls last,
    list_position(['idea', 'applied', 'granted', 'running', 'closed', 'rejected'], status)
