-- The yearly round's one rule of what a department has reported (queries/round_parts.sql
-- counts it, queries/round_missing.sql lists it): each activity of year y of the selected
-- organisations with a round of y, whether it serves a goal, and whether it is complete (a
-- goal, and a currency for any cost).
create or replace macro round_activities(org, y) as table
    select *, has_goal and not cost_without_currency as complete
    from (
        select
            a.org_id,
            a.department as part,
            a.title,
            a.cost is not null and a.currency is null as cost_without_currency,
            exists (
                select 1 from activity_goals ag
                where ag.activity_id = a.activity_id and ag.org_id = a.org_id
                  and ag.year = a.year
            ) as has_goal
        from activities a
        where a.year = y
          and a.department is not null
          and a.org_id in (
            select r.org_id from rounds r
            where r.year = y and (org is null or r.org_id = any(org))));
