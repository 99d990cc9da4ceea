-- report_goal_activities: the annual compilation's "activities per goal": for every goal of
-- the selection, one row per activity of the evaluation year that serves it ($year_to, or
-- when no year is chosen the last year with data for the selected organisations). A goal
-- that no activity serves that year keeps one row with empty activity columns, so the gaps
-- are visible in the workbook. An activity serving two goals appears under both. Only goals
-- whose strategy applies in the year are listed (goals_applying).
-- params: org, year_to, goal
-- columns: org_id, goal_id, goal_code, goal_title, year, activity_id, activity_title, department, activity_type, network, project, status, cost, currency, source
with yr as (
    select evaluation_year($org, $year_to) as y
),
sel_goals as (
    select * from goals_applying($org, (select y from yr), (select y from yr), $goal)
),
links as (
    select ag.goal_id, ag.activity_id
    from activity_goals ag, yr
    where ag.year = yr.y
      and ($org is null or ag.org_id = any($org))
)
select
    g.org_id,
    g.goal_id,
    g.code as goal_code,
    g.title as goal_title,
    yr.y as year,
    a.activity_id,
    a.title as activity_title,
    a.department,
    a.activity_type,
    n.name as network,
    p.title as project,
    a.status,
    a.cost,
    a.currency,
    a.source
from sel_goals g
cross join yr
left join links l on l.goal_id = g.goal_id
left join activities a on a.activity_id = l.activity_id
left join networks n on n.network_id = a.network_id
left join projects p on p.project_id = a.project_id
order by
    g.org_id,
    g.strategy_id,
    goal_rank(g.kind),
    length(g.code),
    g.code,
    a.activity_id nulls first
