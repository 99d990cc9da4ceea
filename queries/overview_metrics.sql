-- overview_metrics: the Overview page's cards for the selected period ('current') and for
-- the period of the same length just before it ('previous', only when years are chosen).
--   activities        activities in the period (with a goal filter: serving a chosen goal);
--   goals_served      distinct goals those activities serve; goals_total: goals of the
--                     selection whose strategy applies in the period (goals_applying);
--   projects_running  projects granted, running or closed whose dates overlap the period;
--   networks          distinct networks with a membership overlapping the period (with a
--                     goal filter: through which an activity of the period served a chosen
--                     goal, as the Networks page counts them).
-- params: org, year_from, year_to, goal
-- columns: period, year_from, year_to, activities, goals_served, goals_total, projects_running, networks
with periods as (
    select 'current' as period, $year_from::integer as y0, $year_to::integer as y1
    union all
    select 'previous', ($year_from - ($year_to - $year_from + 1))::integer, ($year_from - 1)::integer
    where $year_from is not null and $year_to is not null
),
-- Both periods are read in one pass over the years they span, per year: without a goal filter
-- from summary_activities, with one from the activities serving a chosen goal (an activity
-- serving two of them counts once); only one branch runs. Goals served per year come from
-- summary_goal_links.
act_years as (
    select s.year, sum(s.activities) as activities
    from summary_activities s
    where $goal is null
      and ($org is null or s.org_id = any($org))
      and ($year_from is null
           or s.year >= coalesce($year_from - ($year_to - $year_from + 1), $year_from))
      and ($year_to is null or s.year <= $year_to)
    group by s.year
    union all
    select a.year, count(*) as activities
    from activities a
    where $goal is not null
      and ($org is null or a.org_id = any($org))
      and a.org_id in (select g.org_id from goals g where g.goal_id = any($goal))
      and ($year_from is null
           or a.year >= coalesce($year_from - ($year_to - $year_from + 1), $year_from))
      and ($year_to is null or a.year <= $year_to)
      and a.activity_id in (
            select ag.activity_id
            from activity_goals ag
            where ag.goal_id = any($goal)
              and ag.org_id in (select g.org_id from goals g where g.goal_id = any($goal))
              and ($org is null or ag.org_id = any($org))
              and ($year_from is null
                   or ag.year >= coalesce($year_from - ($year_to - $year_from + 1), $year_from))
              and ($year_to is null or ag.year <= $year_to))
    group by a.year
),
-- with a goal filter: the networks through which an activity of either period served a
-- chosen goal, per organisation and year. Read once, over the selection's organisations and
-- years only (as act_years), so that without a goal filter it reads next to nothing: DuckDB
-- plans this part even then, and a scan of every goal link costs 0.3 s at 10M activities.
goal_networks as (
    select distinct a.org_id, a.network_id, a.year
    from activities a
    join activity_goals x on x.activity_id = a.activity_id
    where $goal is not null
      and x.goal_id = any($goal)
      and a.network_id is not null
      and ($org is null or a.org_id = any($org))
      and ($org is null or x.org_id = any($org))
      and ($year_from is null
           or a.year >= coalesce($year_from - ($year_to - $year_from + 1), $year_from))
      and ($year_to is null or a.year <= $year_to)
      and ($year_from is null
           or x.year >= coalesce($year_from - ($year_to - $year_from + 1), $year_from))
      and ($year_to is null or x.year <= $year_to)
),
goal_years as (
    select distinct s.goal_id, s.year
    from summary_goal_links s
    where ($org is null or s.org_id = any($org))
      and ($goal is null or s.goal_id = any($goal))
      and ($year_from is null
           or s.year >= coalesce($year_from - ($year_to - $year_from + 1), $year_from))
      and ($year_to is null or s.year <= $year_to)
)
select
    p.period,
    p.y0 as year_from,
    p.y1 as year_to,
    (select coalesce(sum(ay.activities), 0) from act_years ay
      where (p.y0 is null or ay.year >= p.y0) and (p.y1 is null or ay.year <= p.y1))::bigint
        as activities,
    (select count(distinct gy.goal_id) from goal_years gy
      where (p.y0 is null or gy.year >= p.y0) and (p.y1 is null or gy.year <= p.y1))::bigint
        as goals_served,
    (select count(*) from goals_applying($org, p.y0, p.y1, $goal))::bigint as goals_total,
    (select count(*) from projects pr
      where ($org is null or pr.org_id = any($org))
        and secured(pr.status)
        and (p.y1 is null or pr.start_date is null or year(pr.start_date) <= p.y1)
        and (p.y0 is null or pr.end_date is null or year(pr.end_date) >= p.y0)
        and ($goal is null or pr.project_id in (
              select pg.project_id from project_goals pg where pg.goal_id = any($goal)))
    )::bigint as projects_running,
    (select count(distinct m.network_id) from memberships m
      where ($org is null or m.org_id = any($org))
        and (p.y1 is null or m.since_year <= p.y1)
        and (p.y0 is null or m.until_year is null or m.until_year >= p.y0)
        -- with a goal filter, as the Networks page: only networks through which an
        -- activity of the period served a chosen goal
        and ($goal is null or exists (
              select 1 from goal_networks gn
              where gn.org_id = m.org_id and gn.network_id = m.network_id
                and (p.y0 is null or gn.year >= p.y0)
                and (p.y1 is null or gn.year <= p.y1))))::bigint as networks
from periods p
order by p.period
