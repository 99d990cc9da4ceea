-- Table macros the network queries share, created on every connection (dashboard/db.py).
-- Both answer "without a goal filter" from the summary tables and "with one" from the
-- activities serving a chosen goal; only one branch of each runs, since the other's `goal`
-- test is false once the parameters are bound. Measured at 10M activities: as fast as the
-- same text written into each query (network_costs, all organisations: 180 vs 196 ms).
--
-- network_activities(org, year_from, year_to, goal): activities through a network per
-- organisation, network, year, currency and source (activities, cost). A goal belongs to one
-- organisation, so naming the chosen goals' organisations lets the scans skip the others.
create or replace macro network_activities(org, year_from, year_to, goal) as table
    select s.org_id, s.network_id, s.year, s.currency, s.source, s.activities, s.cost
    from summary_activities s
    where goal is null
      and s.network_id is not null
      and (org is null or s.org_id = any(org))
      and (year_from is null or s.year >= year_from)
      and (year_to is null or s.year <= year_to)
    union all
    select a.org_id, a.network_id, a.year, a.currency, a.source, count(*), sum(a.cost)
    from activities a
    where goal is not null
      and a.network_id is not null
      and (org is null or a.org_id = any(org))
      and a.org_id in (select g.org_id from goals g where g.goal_id = any(goal))
      and (year_from is null or a.year >= year_from)
      and (year_to is null or a.year <= year_to)
      and a.activity_id in (
            select x.activity_id from activity_goals x
            where x.goal_id = any(goal)
              and x.org_id in (select g.org_id from goals g where g.goal_id = any(goal))
              and (year_from is null or x.year >= year_from)
              and (year_to is null or x.year <= year_to))
    group by a.org_id, a.network_id, a.year, a.currency, a.source;

-- network_goals_served(org, year_from, year_to, goal): distinct goals served through a
-- network per organisation, network and year; with a goal filter every goal of the
-- activities serving a chosen goal.
create or replace macro network_goals_served(org, year_from, year_to, goal) as table
    select distinct s.org_id, s.network_id, s.year, s.goal_id
    from summary_goal_links s
    where goal is null
      and s.network_id is not null
      and (org is null or s.org_id = any(org))
      and (year_from is null or s.year >= year_from)
      and (year_to is null or s.year <= year_to)
    union all
    select distinct a.org_id, a.network_id, a.year, ag.goal_id
    from activities a
    join activity_goals ag
      on ag.activity_id = a.activity_id and ag.org_id = a.org_id and ag.year = a.year
    where goal is not null
      and a.network_id is not null
      and (org is null or a.org_id = any(org))
      and a.org_id in (select g.org_id from goals g where g.goal_id = any(goal))
      and ag.org_id in (select g.org_id from goals g where g.goal_id = any(goal))
      and (year_from is null or a.year >= year_from)
      and (year_to is null or a.year <= year_to)
      and (year_from is null or ag.year >= year_from)
      and (year_to is null or ag.year <= year_to)
      and a.activity_id in (
            select x.activity_id from activity_goals x
            where x.goal_id = any(goal)
              and x.org_id in (select g.org_id from goals g where g.goal_id = any(goal))
              and (year_from is null or x.year >= year_from)
              and (year_to is null or x.year <= year_to));

-- network_memberships(org, year_from, year_to): the memberships of the selected organisations
-- with y0..y1, the membership years inside the selection (y1 < y0: none). An open-ended
-- membership counts up to year_to, or else up to the last activity year of the dataset. The
-- goal filter stays in each query (`exists` over its own `acts`): inside this macro it would
-- compute the activities twice, measured 10-40 % slower with a goal chosen.
create or replace macro network_memberships(org, year_from, year_to) as table
select
    ms.*,
    greatest(ms.since_year, coalesce(year_from, ms.since_year)) as y0,
    least(
        coalesce(
            ms.until_year,
            year_to,
            greatest(ms.since_year, (select coalesce(max(s.year), year(current_date))
                                     from summary_activities s))
        ),
        coalesce(year_to, 9999)
    ) as y1
from memberships ms
where org is null or ms.org_id = any(org);
