-- Macros several queries share, created once per connection by dashboard/db.py (files in
-- name order). Callers pass their bound parameters through (`evaluation_year($org,
-- $year_to)`), so the parameter checks of each query file still see every parameter it uses.
-- Table macros over the raw activities once measured 30-60 % slower than the same SQL in
-- place; those over the summary tables (network.sql) measure the same, so they are shared.

-- last_years(org): per organisation the last year with something to assess: an indicator
-- value (target or actual), a managers' assessment or an activity. Project dates are left
-- out: a project running to 2024 gives 2024 nothing to assess. Grouped, not one subquery per
-- organisation (300 organisations: 7 ms, against 600 ms for a subquery each).
create or replace macro last_years(org) as table
    select org_id, max(hi)::integer as year
    from (
        select org_id, max(year) as hi from summary_activities
        where org is null or org_id = any(org)
        group by org_id
        union all
        select i.org_id, max(iv.year)
        from indicator_values iv join indicators i on i.indicator_id = iv.indicator_id
        where (org is null or i.org_id = any(org))
          and (iv.target is not null or iv.actual is not null)
        group by i.org_id
        union all
        select org_id, max(year) from goal_assessments
        where org is null or org_id = any(org)
        group by org_id
    )
    group by org_id;

-- evaluation_year: the year the Annual evaluation looks at: year_to, or when no year is
-- chosen the last of the selected organisations' last_years. The page and the report never
-- leave it to this default for several organisations: each is evaluated in its own year
-- (evaluation_last_year, `verdicts.evaluation_plan`).
create or replace macro evaluation_year(org, year_to) as
    coalesce(year_to, (select max(year) from last_years(org)))::integer;


-- goal_rank: where a kind of goal stands in a strategy's order (vision first, targets last),
-- so every list of goals (the filter, the matrix, the evaluation, the workbook) reads in the
-- document's order.
create or replace macro goal_rank(kind) as
    list_position(['vision', 'purpose', 'goal', 'priority_area', 'focus_area', 'target'], kind);

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

-- goals_applying(org, year_from, year_to, goal): the goals of the selection whose strategy
-- applies at some time in year_from..year_to (either end null: open). A strategy applies from
-- its valid_from to its valid_to; without valid_to, until the organisation's next strategy
-- starts ("until replaced"); without valid_from, from the start. A goal of a strategy that
-- ended in 2022 is no gap in 2012 and no goal of 2012's evaluation: the Goals page, the
-- Overview's count of goals and every part of the Annual evaluation take their goals here.
create or replace macro goals_applying(org, year_from, year_to, goal) as table
    select g.*
    from goals g
    join strategies s on s.strategy_id = g.strategy_id
    where (org is null or g.org_id = any(org))
      and (goal is null or g.goal_id = any(goal))
      and (year_to is null or s.valid_from is null or year(s.valid_from) <= year_to)
      and (year_from is null or coalesce(
            year(s.valid_to),
            (select year(min(n.valid_from) - interval 1 day) from strategies n
             where n.org_id = s.org_id and n.valid_from > s.valid_from),
            9999) >= year_from);

-- indicator_evaluation(org, y, goal): every indicator measuring a goal that applies in year
-- y, judged for y by the one rule of the Annual evaluation: its target for y, measured
-- against latest_actual (the actual of y, else the latest reported before it), progress and
-- indicator_status. The indicator table, the goal roll-up, its chart, the cards, the annual
-- workbook and the command line's report all count from these rows, so they cannot disagree.
create or replace macro indicator_evaluation(org, y, goal) as table
    select
        v.* exclude (la),
        v.la.actual as actual,
        v.la.year::bigint as actual_year,
        progress(v.la.actual, v.target, v.baseline) as progress,
        indicator_status(v.la.actual, v.target, v.direction,
                         progress(v.la.actual, v.target, v.baseline)) as status
    from (
        select
            i.org_id,
            i.goal_id,
            g.strategy_id,
            g.code as goal_code,
            g.title as goal_title,
            g.kind as goal_kind,
            i.indicator_id,
            i.name,
            i.unit,
            i.direction,
            i.definition,
            i.baseline_year,
            i.baseline,
            y::integer as year,
            iv.target,
            latest_actual(i.indicator_id, y) as la,
            i.source,
            iv.source as value_source
        from indicators i
        join goals_applying(org, y, y, goal) g on g.goal_id = i.goal_id
        left join indicator_values iv on iv.indicator_id = i.indicator_id and iv.year = y
        where org is null or i.org_id = any(org)
    ) v;
