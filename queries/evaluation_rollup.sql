-- evaluation_rollup: one row per goal of the selection for the evaluation year ($year_to,
-- or when no year is chosen the last year with data for the selected organisations): the
-- activities of the year serving it, the projects serving it that are granted, running or
-- closed and whose dates overlap the year (a project without dates counts), its indicators
-- and how many of them are reached / on track / at risk / off track / cannot be assessed
-- that year (counted from the rows of the indicator_evaluation macro, which
-- evaluation_indicators lists: one rule), the managers' assessment, and a computed
-- verdict. The verdict rule (written on the Annual evaluation page):
--   uncovered       no activity and no indicator for the goal in the year (projects alone
--                   do not count: a project counts for every year it runs);
--   off_track       at least one indicator is off track;
--   at_risk         otherwise at least one indicator is at risk;
--   reached         otherwise every indicator that can be assessed is reached (at least one);
--   on_track        otherwise at least one indicator can be assessed (all reached or on track);
--   not_assessable  activities or indicators, but no indicator that can be assessed.
-- The weakest assessable indicator decides, so a goal is never rated better than its worst
-- measured indicator. Only goals whose strategy applies in the year are evaluated
-- (goals_applying).
-- params: org, year_to, goal
-- columns: org_id, goal_id, goal_code, goal_title, goal_kind, year, activities, projects, indicators, reached, on_track, at_risk, off_track, not_assessable, verdict, assessment_status, assessment_comment, assessed_by
with yr as (
    select evaluation_year($org, $year_to) as y
),
sel_goals as (
    select * from goals_applying($org, (select y from yr), (select y from yr), $goal)
),
act as (
    select s.goal_id, sum(s.activities) as activities
    from summary_goal_links s, yr
    where s.year = yr.y
      and ($org is null or s.org_id = any($org))
    group by s.goal_id
),
proj as (
    select pg.goal_id, count(distinct pg.project_id) as projects
    from project_goals pg
    join projects p on p.project_id = pg.project_id
    cross join yr
    where ($org is null or p.org_id = any($org))
      and secured(p.status)
      and (p.start_date is null or year(p.start_date) <= yr.y)
      and (p.end_date is null or year(p.end_date) >= yr.y)
    group by pg.goal_id
),
ind_count as (
    select
        goal_id,
        count(*) as indicators,
        count(*) filter (where status = 'reached') as reached,
        count(*) filter (where status = 'on_track') as on_track,
        count(*) filter (where status = 'at_risk') as at_risk,
        count(*) filter (where status = 'off_track') as off_track,
        count(*) filter (where status = 'not_assessable') as not_assessable
    from indicator_evaluation($org, (select y from yr), $goal)
    group by goal_id
),
r as (
    select
        g.org_id,
        g.strategy_id,
        g.goal_id,
        g.code as goal_code,
        g.title as goal_title,
        g.kind as goal_kind,
        yr.y as year,
        coalesce(act.activities, 0)::bigint as activities,
        coalesce(proj.projects, 0)::bigint as projects,
        coalesce(ic.indicators, 0)::bigint as indicators,
        coalesce(ic.reached, 0)::bigint as reached,
        coalesce(ic.on_track, 0)::bigint as on_track,
        coalesce(ic.at_risk, 0)::bigint as at_risk,
        coalesce(ic.off_track, 0)::bigint as off_track,
        coalesce(ic.not_assessable, 0)::bigint as not_assessable
    from sel_goals g
    cross join yr
    left join act on act.goal_id = g.goal_id
    left join proj on proj.goal_id = g.goal_id
    left join ind_count ic on ic.goal_id = g.goal_id
)
select
    r.org_id,
    r.goal_id,
    r.goal_code,
    r.goal_title,
    r.goal_kind,
    r.year,
    r.activities,
    r.projects,
    r.indicators,
    r.reached,
    r.on_track,
    r.at_risk,
    r.off_track,
    r.not_assessable,
    case
        when r.activities = 0 and r.indicators = 0 then 'uncovered'
        when r.off_track > 0 then 'off_track'
        when r.at_risk > 0 then 'at_risk'
        when r.on_track = 0 and r.reached > 0 then 'reached'
        when r.on_track > 0 then 'on_track'
        else 'not_assessable'
    end as verdict,
    ga.status as assessment_status,
    ga.comment as assessment_comment,
    ga.assessed_by
from r
left join goal_assessments ga
    on ga.org_id = r.org_id and ga.goal_id = r.goal_id and ga.year = r.year
order by
    r.org_id,
    r.strategy_id,
    goal_rank(r.goal_kind),
    length(r.goal_code),
    r.goal_code
