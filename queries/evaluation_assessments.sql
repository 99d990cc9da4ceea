-- evaluation_assessments: the managers' own verdicts (goal_assessments) of the selected
-- organisations' goals for the evaluation year ($year_to, or when no year is chosen the last
-- year with data for the selected organisations), with the goal's code and wording; only
-- goals whose strategy applies in the year (goals_applying), as the roll-up lists them.
-- params: org, year_to, goal
-- columns: org_id, goal_id, goal_code, goal_title, year, status, comment, assessed_by, source
with yr as (
    select evaluation_year($org, $year_to) as y
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
join goals_applying($org, (select y from yr), (select y from yr), $goal) g
    on g.goal_id = ga.goal_id
where ga.year = yr.y
  and ($org is null or ga.org_id = any($org))
  and ($goal is null or ga.goal_id = any($goal))
order by ga.org_id, g.strategy_id, length(g.code), g.code
