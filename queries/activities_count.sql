-- activities_count: how many activities the activities query returns without paging.
-- params: org, year_from, year_to, goal, search
-- columns: activities
select count(*)::bigint as activities
from activities a
where ($org is null or a.org_id = any($org))
  and ($year_from is null or a.year >= $year_from)
  and ($year_to is null or a.year <= $year_to)
  and ($search is null or contains(lower(a.title), lower($search)))
  and ($goal is null or a.activity_id in (
        select ag.activity_id from activity_goals ag
        where ag.goal_id = any($goal)
          and ($org is null or ag.org_id = any($org))
          and ($year_from is null or ag.year >= $year_from)
          and ($year_to is null or ag.year <= $year_to)))
