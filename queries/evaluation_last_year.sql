-- evaluation_last_year: the last year with something to assess for the selected
-- organisations: an indicator value (target or actual), a managers' assessment or an
-- activity. Project dates are left out: a project running to 2024 gives 2024 nothing to
-- assess. The Annual evaluation opens on this year when none is chosen, and
-- `python -m dashboard report` without --year takes it too.
-- params: org
-- columns: year
with years as (
    select max(iv.year) as year
    from indicator_values iv join indicators i on i.indicator_id = iv.indicator_id
    where ($org is null or i.org_id = any($org))
      and (iv.target is not null or iv.actual is not null)
    union all
    select max(year) from goal_assessments where $org is null or org_id = any($org)
    union all
    select max(year) from summary_activities where $org is null or org_id = any($org)
)
select max(year)::integer as year from years
