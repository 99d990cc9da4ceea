-- evaluation_indicators: every indicator of the selected organisations (with a goal filter:
-- of a chosen goal) for the evaluation year, which is $year_to, or when no year is chosen
-- the last year with data for the selected organisations (as year_range). One row per
-- indicator, also when it has no value for the year. Columns: the baseline, the year's
-- target, the actual it is measured against (latest_actual: the year's, else the latest
-- reported before it) with actual_year, the year it was reported, progress = (actual -
-- baseline) / (target - baseline) (a missing baseline counts as 0), the computed status,
-- definition, unit and source, and beside it the managers' own assessment of the
-- indicator's goal for the year. The status rule is the one of indicator_status, written
-- on the Annual evaluation page:
--   not_assessable  no target for the year, or no actual reported in or before it;
--   reached         actual meets the target in the indicator's direction;
--   on_track        otherwise, progress >= 0.75;
--   at_risk         progress >= 0.40;
--   off_track       progress below 0.40 (also when the target equals the baseline).
-- params: org, year_to, goal
-- columns: org_id, goal_id, goal_code, goal_title, indicator_id, name, unit, direction, definition, baseline_year, baseline, year, target, actual, actual_year, progress, status, assessment_status, assessment_comment, source, value_source
with yr as (
    select evaluation_year($org, $year_to) as y
),
v0 as (
    select
        i.org_id,
        i.goal_id,
        g.code as goal_code,
        g.title as goal_title,
        i.indicator_id,
        i.name,
        i.unit,
        i.direction,
        i.definition,
        i.baseline_year,
        i.baseline,
        yr.y as year,
        iv.target,
        latest_actual(i.indicator_id, yr.y) as la,
        i.source,
        iv.source as value_source
    from indicators i
    cross join yr
    left join indicator_values iv on iv.indicator_id = i.indicator_id and iv.year = yr.y
    left join goals g on g.goal_id = i.goal_id
    where ($org is null or i.org_id = any($org))
      and ($goal is null or i.goal_id = any($goal))
),
v as (
    select
        * exclude (la),
        la.actual,
        la.year::bigint as actual_year,
        progress(la.actual, target, baseline) as progress
    from v0
)
select
    v.org_id, v.goal_id, v.goal_code, v.goal_title, v.indicator_id, v.name, v.unit,
    v.direction, v.definition, v.baseline_year, v.baseline, v.year, v.target, v.actual,
    v.actual_year,
    v.progress,
    indicator_status(v.actual, v.target, v.direction, v.progress) as status,
    ga.status as assessment_status,
    ga.comment as assessment_comment,
    v.source,
    v.value_source
from v
left join goal_assessments ga
    on ga.org_id = v.org_id and ga.goal_id = v.goal_id and ga.year = v.year
order by v.org_id, length(v.goal_code) nulls last, v.goal_code, v.indicator_id
