-- year_range: the first and last year with any data for the selected organisations
-- (activities, indicator values, project dates), for the year filter. Membership start
-- years are left out: a twinning from 1989 should not stretch the filter back 20 years.
-- params: org
-- columns: min_year, max_year
with years as (
    select min(year) as lo, max(year) as hi
    from summary_activities where $org is null or org_id = any($org)
    union all
    select min(iv.year), max(iv.year)
    from indicator_values iv join indicators i on i.indicator_id = iv.indicator_id
    where $org is null or i.org_id = any($org)
    union all
    select min(year(start_date)), max(year(end_date))
    from projects where $org is null or org_id = any($org)
)
select min(lo)::integer as min_year, max(hi)::integer as max_year from years
