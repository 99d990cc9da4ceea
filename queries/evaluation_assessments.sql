-- evaluation_assessments: the managers' own verdicts (goal_assessments) of the selected
-- organisations' goals for the evaluation year ($year_to, or when no year is chosen the last
-- year with data for the selected organisations), with the goal's code and wording.
-- params: org, year_to, goal
-- columns: org_id, goal_id, goal_code, goal_title, year, status, comment, assessed_by, source
with yr as (
    select coalesce($year_to, (
        select max(hi) from (
            select max(year) as hi from activities where $org is null or org_id = any($org)
            union all
            select max(iv.year)
            from indicator_values iv join indicators i on i.indicator_id = iv.indicator_id
            where $org is null or i.org_id = any($org)
            union all
            select max(year(end_date)) from projects where $org is null or org_id = any($org)
        )
    ))::integer as y
)
select
    ga.org_id,
    ga.goal_id,
    g.code as goal_code,
    g.title as goal_title,
    ga.year,
    ga.status,
    ga.comment,
    ga.assessed_by,
    ga.source
from goal_assessments ga
cross join yr
join goals g on g.goal_id = ga.goal_id
where ga.year = yr.y
  and ($org is null or ga.org_id = any($org))
  and ($goal is null or ga.goal_id = any($goal))
order by ga.org_id, g.strategy_id, length(g.code), g.code
