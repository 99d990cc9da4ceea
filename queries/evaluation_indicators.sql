-- evaluation_indicators: every indicator measuring a goal of the selection that applies in
-- the evaluation year ($year_to, or when no year is chosen the last year with data for the
-- selected organisations), judged by the one rule of the indicator_evaluation macro
-- (queries/macros/selection.sql). One row per indicator, also when it has no value for the
-- year. Columns: the baseline, the year's target, the actual it is measured against (the
-- year's, else the latest reported before it) with actual_year, progress = (actual -
-- baseline) / (target - baseline) (a missing baseline counts as 0), the computed status,
-- definition, unit and source, and beside it the managers' own assessment of the indicator's
-- goal for the year. The status rule, written on the Annual evaluation page:
--   not_assessable  no target for the year, or no actual reported in or before it;
--   reached         actual meets the target in the indicator's direction;
--   on_track        otherwise, progress >= 0.75;
--   at_risk         progress >= 0.40;
--   off_track       progress below 0.40 (also when the target equals the baseline).
-- An indicator that measures no goal, or a goal whose strategy does not apply in the year, is
-- not part of the year's evaluation (the Data page lists indicators without a goal).
-- params: org, year_to, goal
-- columns: org_id, goal_id, goal_code, goal_title, indicator_id, name, unit, direction, definition, baseline_year, baseline, year, target, actual, actual_year, progress, status, assessment_status, assessment_comment, source, value_source
select
    v.org_id, v.goal_id, v.goal_code, v.goal_title, v.indicator_id, v.name, v.unit,
    v.direction, v.definition, v.baseline_year, v.baseline, v.year, v.target, v.actual,
    v.actual_year, v.progress, v.status,
    ga.status as assessment_status,
    ga.comment as assessment_comment,
    v.source,
    v.value_source
from indicator_evaluation($org, evaluation_year($org, $year_to), $goal) v
left join goal_assessments ga
    on ga.org_id = v.org_id and ga.goal_id = v.goal_id and ga.year = v.year
order by v.org_id, v.strategy_id, length(v.goal_code), v.goal_code, v.indicator_id
