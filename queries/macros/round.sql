-- The yearly round's one rule of what a department has reported (queries/round_parts.sql
-- counts it, queries/round_missing.sql lists it): each activity of year y of the selected
-- organisations with a round of y, whether it serves a goal, and whether it is complete (a
-- goal, and a currency for any cost). Titles are left to the caller that lists rows
-- (round_missing): read for every activity of the year they cost half the aggregation.
create or replace macro round_activities(org, y) as table
    with orgs as (
        select r.org_id from rounds r where r.year = y and (org is null or r.org_id = any(org))
    ),
    served as (  -- the activities of the year serving a goal, found once (not per activity)
        select distinct ag.activity_id
        from activity_goals ag
        where ag.year = y and ag.org_id in (select org_id from orgs)
    )
    select
        a.org_id,
        a.department as part,
        a.activity_id,
        a.cost is not null and a.currency is null as cost_without_currency,
        s.activity_id is not null as has_goal,
        s.activity_id is not null and not (a.cost is not null and a.currency is null)
            as complete
    from activities a
    left join served s on s.activity_id = a.activity_id
    where a.year = y
      and a.department is not null
      and a.org_id in (select org_id from orgs);
