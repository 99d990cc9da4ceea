-- Macros several queries share, created once per connection by dashboard/db.py (files in
-- name order). Callers pass their bound parameters through (`evaluation_year($org,
-- $year_to)`), so the parameter checks of each query file still see every parameter it uses.
-- Table macros over the raw activities once measured 30-60 % slower than the same SQL in
-- place; those over the summary tables (network.sql) measure the same, so they are shared.

-- evaluation_year: the year the Annual evaluation looks at: year_to, or when no year is
-- chosen the last year with something to assess for the selected organisations: an
-- indicator value (target or actual), a managers' assessment or an activity. Project dates
-- are left out: a project running to 2024 gives 2024 nothing to assess.
create or replace macro evaluation_year(org, year_to) as
    coalesce(year_to, (
        select max(hi) from (
            select max(year) as hi from summary_activities where org is null or org_id = any(org)
            union all
            select max(iv.year)
            from indicator_values iv join indicators i on i.indicator_id = iv.indicator_id
            where (org is null or i.org_id = any(org))
              and (iv.target is not null or iv.actual is not null)
            union all
            select max(year) from goal_assessments where org is null or org_id = any(org)
        )
    ))::integer;


-- secured: a project whose funding counts as secured (granted, running or closed; not an
-- idea, an application or a rejection). Overview, Projects, the targets and the Evaluation
-- all count projects with it.
create or replace macro secured(status) as status in ('granted', 'running', 'closed');

-- progress: how far an indicator has come from its baseline towards its target (a missing
-- baseline counts as 0); null when target or actual is missing or the target is the baseline.
create or replace macro progress(actual, target, baseline) as
    case
        when target is null or actual is null then null
        when target = coalesce(baseline, 0) then null
        else (actual - coalesce(baseline, 0)) / (target - coalesce(baseline, 0))
    end;

-- indicator_status: the computed status of an indicator in a year, the rule the Evaluation
-- page writes out: reached when the actual meets the target in the indicator's direction,
-- else on track from 75 % progress, at risk from 40 %, else off track; not assessable
-- without the year's target or actual.
create or replace macro indicator_status(actual, target, direction, progress) as
    case
        when target is null or actual is null then 'not_assessable'
        when direction = 'higher' and actual >= target then 'reached'
        when direction = 'lower' and actual <= target then 'reached'
        when progress >= 0.75 then 'on_track'
        when progress >= 0.40 then 'at_risk'
        else 'off_track'
    end;

-- latest_actual: the actual an indicator's target in year y is measured against: the value
-- reported for y, or else the latest one reported before y, as {actual, year} (null when
-- none). A target "by 2014" read in 2014 is measured against what was last reported (2013),
-- and says so; the Evaluation, its trend and the Projects page's count targets all use it,
-- so they give one answer to "how far are we".
create or replace macro latest_actual(ind, y) as (
    select arg_max({'actual': lv.actual, 'year': lv.year}, lv.year)
    from indicator_values lv
    where lv.indicator_id = ind and lv.year <= y and lv.actual is not null
);
