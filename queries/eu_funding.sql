-- eu_funding: EU funding secured (projects granted, running or closed) per currency, for the
-- selected period ('current') and the period of the same length before it ('previous').
-- Amounts in different currencies are never added together.
-- params: org, year_from, year_to, goal
-- columns: period, currency, eu_funding, projects
with periods as (
    select 'current' as period, $year_from::integer as y0, $year_to::integer as y1
    union all
    select 'previous', ($year_from - ($year_to - $year_from + 1))::integer, ($year_from - 1)::integer
    where $year_from is not null and $year_to is not null
)
select p.period, pr.currency, sum(pr.eu_funding) as eu_funding, count(*)::bigint as projects
from periods p
join projects pr
  on (p.y1 is null or pr.start_date is null or year(pr.start_date) <= p.y1)
 and (p.y0 is null or pr.end_date is null or year(pr.end_date) >= p.y0)
where ($org is null or pr.org_id = any($org))
  and secured(pr.status)
  and pr.eu_funding is not null
  and ($goal is null or pr.project_id in (
        select pg.project_id from project_goals pg where pg.goal_id = any($goal)))
group by p.period, pr.currency
order by p.period, pr.currency
