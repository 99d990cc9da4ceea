-- evaluation_last_year: per selected organisation, its last year with something to assess
-- (the last_years macro in queries/macros/selection.sql: indicator values, assessments,
-- activities; never a project's end date). With no year chosen the Annual evaluation
-- evaluates each organisation in its own last year (`verdicts.evaluation_plan`), never one
-- organisation's year for all; `python -m dashboard report` without --year too. An
-- organisation with nothing to assess has no row.
-- params: org
-- columns: org_id, year
select org_id, year
from last_years($org)
order by org_id
