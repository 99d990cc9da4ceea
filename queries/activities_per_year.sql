-- activities_per_year: number of activities per organisation and year in the selection
-- (with a goal filter: activities serving a chosen goal), and how many of them are
-- illustrative rather than taken from a document.
-- Without a goal filter the counts come from summary_activities (a few rows per organisation
-- and year); with one, the activities are read, since an activity serving two chosen goals
-- counts once. Only one of the two branches runs: the other's `$goal` test is false.
-- params: org, year_from, year_to, goal
-- columns: org_id, year, activities, illustrative
with counted as (
    select s.org_id, s.year, s.activities, if(s.source = 'illustrative', s.activities, 0) as ill
    from summary_activities s
    where $goal is null
      and ($org is null or s.org_id = any($org))
      and ($year_from is null or s.year >= $year_from)
      and ($year_to is null or s.year <= $year_to)
    union all
    select a.org_id, a.year, 1, if(a.source = 'illustrative', 1, 0)
    from activities a
    where $goal is not null
      and ($org is null or a.org_id = any($org))
      and ($year_from is null or a.year >= $year_from)
      and ($year_to is null or a.year <= $year_to)
      -- a goal belongs to one organisation: naming them lets the scans skip the others
      and a.org_id in (select g.org_id from goals g where g.goal_id = any($goal))
      and a.activity_id in (
        select ag.activity_id from activity_goals ag
        where ag.goal_id = any($goal)
          and ag.org_id in (select g.org_id from goals g where g.goal_id = any($goal))
          and ($org is null or ag.org_id = any($org))
          and ($year_from is null or ag.year >= $year_from)
          and ($year_to is null or ag.year <= $year_to))
)
select org_id, year, sum(activities)::bigint as activities, sum(ill)::bigint as illustrative
from counted
group by org_id, year
order by org_id, year
