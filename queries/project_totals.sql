-- project_totals: the secured funding of the selected projects (status granted, running or
-- closed), one row per currency (amounts in different currencies are never added together):
-- how many projects, their total budget, EU funding and own funding, and the EU co-financing
-- rate, EU funding / total budget over the projects that have both (null when none has).
-- Projects without any amount form a row with an empty currency. Projects are selected as in
-- project_portfolio. source is 'illustrative' when any project behind the row is.
-- params: org, year_from, year_to, goal
-- columns: currency, projects, total_budget, eu_funding, own_funding, eu_rate, source
with sel as (
    select p.*
    from projects p
    where ($org is null or p.org_id = any($org))
      and secured(p.status)
      and ($year_to is null or p.start_date is null or year(p.start_date) <= $year_to)
      and ($year_from is null or p.end_date is null or year(p.end_date) >= $year_from)
      and ($goal is null or p.project_id in (
            select pg.project_id from project_goals pg where pg.goal_id = any($goal)))
)
select
    currency,
    count(*)::bigint as projects,
    sum(total_budget) as total_budget,
    sum(eu_funding) as eu_funding,
    sum(own_funding) as own_funding,
    sum(eu_funding) filter (where total_budget > 0 and eu_funding is not null)
        / sum(total_budget) filter (where total_budget > 0 and eu_funding is not null)
        as eu_rate,
    case when bool_or(source = 'illustrative') then 'illustrative'
         else string_agg(distinct source, ', ' order by source) end as source
from sel
group by currency
order by currency nulls last
