-- round_missing: what the parts of the selected organisations' rounds of $year still lack,
-- row by row: each activity of a department's part serving no goal, or with a cost but no
-- currency, and each indicator without an actual value for the year (part ':indicators').
-- Shown to the part's reporter ("what is asked of me") and in the reminders; an activity's
-- rule is `round_activities` (queries/macros/round.sql).
-- params: org, year
-- columns: org_id, part, kind, title
with r as (
    select org_id from rounds where year = $year and ($org is null or org_id = any($org))
),
lacking as (
    select org_id, part, activity_id, 'without_goal' as kind
    from round_activities($org, $year) where not has_goal
    union all
    select org_id, part, activity_id, 'cost_without_currency' as kind
    from round_activities($org, $year) where cost_without_currency
)
select l.org_id, l.part, l.kind, a.title
from lacking l
join activities a on a.activity_id = l.activity_id and a.year = $year
union all
select i.org_id, ':indicators' as part, 'without_actual' as kind, i.name as title
from indicators i
where i.org_id in (select org_id from r)
  and not exists (
    select 1 from indicator_values v
    where v.indicator_id = i.indicator_id and v.year = $year and v.actual is not null)
order by org_id, part, kind, title
