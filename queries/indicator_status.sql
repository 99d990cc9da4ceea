-- indicator_status: every indicator of the selected organisations with its value for each
-- selected year and a computed status. actual is the value reported for the year; a year
-- with a target is measured against latest_actual (that year's actual, else the latest
-- reported before it; its year is actual_year), as the Evaluation and the Projects page's
-- count targets measure it. The rule (shown on the Annual evaluation page):
--   not_assessable  no target, or no actual reported in or before the year;
--   reached         actual meets the target in the indicator's direction;
--   on_track        otherwise, progress from the baseline towards the target >= 0.75;
--   at_risk         progress >= 0.40;
--   off_track       progress below 0.40 (a missing baseline counts as 0).
-- With a goal filter only indicators of a chosen goal are kept.
-- params: org, year_from, year_to, goal
-- columns: org_id, indicator_id, name, unit, direction, goal_id, goal_code, goal_title, definition, year, baseline_year, baseline, target, actual, actual_year, progress, status, source
with v as (
    select
        i.org_id,
        i.indicator_id,
        i.name,
        i.unit,
        i.direction,
        i.goal_id,
        g.code as goal_code,
        g.title as goal_title,
        i.definition,
        iv.year,
        i.baseline_year,
        i.baseline,
        iv.target,
        iv.actual,
        iv.source,
        case when iv.target is not null then latest_actual(i.indicator_id, iv.year) end as la
    from indicators i
    join indicator_values iv on iv.indicator_id = i.indicator_id
    left join goals g on g.goal_id = i.goal_id
    where ($org is null or i.org_id = any($org))
      and ($year_from is null or iv.year >= $year_from)
      and ($year_to is null or iv.year <= $year_to)
      and ($goal is null or i.goal_id = any($goal))
)
select
    org_id, indicator_id, name, unit, direction, goal_id, goal_code, goal_title, definition,
    year, baseline_year, baseline, target, actual,
    la.year::bigint as actual_year,
    progress(la.actual, target, baseline) as progress,
    indicator_status(la.actual, target, direction, progress(la.actual, target, baseline))
        as status,
    source
from v
order by org_id, indicator_id, year
