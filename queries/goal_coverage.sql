-- goal_coverage: one row per goal of the selected organisations' strategies, with how
-- many distinct activities and projects serve it in the selected years. Goals that
-- nothing serves are kept with 0: they are the gaps. Only goals whose strategy applies
-- in the selected years are listed (goals_applying): an ended strategy's goals are no gaps. A project counts for the years its
-- period overlaps; a project without dates counts for every year.
-- params: org, year_from, year_to, goal
-- columns: org_id, strategy_id, goal_id, goal_code, goal_title, goal_kind, parent_goal_id, activities, projects
with sel_goals as (
    select * from goals_applying($org, $year_from, $year_to, $goal)
),
-- summary_goal_links counts the activities serving each goal per organisation and year, so
-- the sum over the selected years is the distinct activities serving the goal.
act as (
    select s.goal_id, sum(s.activities) as activities
    from summary_goal_links s
    where ($org is null or s.org_id = any($org))
      and ($year_from is null or s.year >= $year_from)
      and ($year_to is null or s.year <= $year_to)
      and ($goal is null or s.goal_id = any($goal))
    group by s.goal_id
),
proj as (
    select pg.goal_id, count(distinct pg.project_id) as projects
    from project_goals pg
    join projects p on p.project_id = pg.project_id
    where ($org is null or p.org_id = any($org))
      and ($year_to is null or p.start_date is null or year(p.start_date) <= $year_to)
      and ($year_from is null or p.end_date is null or year(p.end_date) >= $year_from)
      and ($goal is null or pg.goal_id = any($goal))
    group by pg.goal_id
)
select
    g.org_id,
    g.strategy_id,
    g.goal_id,
    g.code as goal_code,
    g.title as goal_title,
    g.kind as goal_kind,
    g.parent_goal_id,
    coalesce(act.activities, 0)::bigint as activities,
    coalesce(proj.projects, 0)::bigint as projects
from sel_goals g
left join act on act.goal_id = g.goal_id
left join proj on proj.goal_id = g.goal_id
order by
    g.org_id,
    g.strategy_id,
    goal_rank(g.kind),
    length(g.code),
    g.code
