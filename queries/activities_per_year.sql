-- activities_per_year: number of activities per organisation and year in the selection
-- (with a goal filter: activities serving a chosen goal), and how many of them are
-- illustrative rather than taken from a document.
-- params: org, year_from, year_to, goal
-- columns: org_id, year, activities, illustrative
select
    a.org_id,
    a.year,
    count(*)::bigint as activities,
    count(*) filter (where a.source = 'illustrative')::bigint as illustrative
from activities a
where ($org is null or a.org_id = any($org))
  and ($year_from is null or a.year >= $year_from)
  and ($year_to is null or a.year <= $year_to)
  and ($goal is null or a.activity_id in (
        select ag.activity_id from activity_goals ag
        where ag.goal_id = any($goal)
          and ($org is null or ag.org_id = any($org))
          and ($year_from is null or ag.year >= $year_from)
          and ($year_to is null or ag.year <= $year_to)))
group by a.org_id, a.year
order by a.org_id, a.year
