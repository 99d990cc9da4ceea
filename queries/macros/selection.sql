-- Macros several queries share, created once per connection by dashboard/db.py (files in
-- name order). Callers pass their bound parameters through (`evaluation_year($org,
-- $year_to)`), so the parameter checks of each query file still see every parameter it uses.
-- Table macros over the raw activities once measured 30-60 % slower than the same SQL in
-- place; those over the summary tables (network.sql) measure the same, so they are shared.

-- evaluation_year: the year the Annual evaluation looks at: year_to, or when no year is
-- chosen the last year with data (activities, indicator values, project ends) for the
-- selected organisations.
create or replace macro evaluation_year(org, year_to) as
    coalesce(year_to, (
        select max(hi) from (
            select max(year) as hi from summary_activities where org is null or org_id = any(org)
            union all
            select max(iv.year)
            from indicator_values iv join indicators i on i.indicator_id = iv.indicator_id
            where org is null or i.org_id = any(org)
            union all
            select max(year(end_date)) from projects where org is null or org_id = any(org)
        )
    ))::integer;
