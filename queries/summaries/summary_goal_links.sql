-- summary_goal_links: how many activities serve each goal, per organisation, year, network of
-- the activities and source of the link (the activity's where the link has none). Built by
-- the import over the new dataset; (activity_id, goal_id) is unique, so count(*) counts
-- distinct activities.
-- params: none
-- columns: org_id, year, goal_id, network_id, source, activities
select
    ag.org_id,
    ag.year,
    ag.goal_id,
    a.network_id,
    coalesce(ag.source, a.source) as source,
    count(*) as activities
from activity_goals ag
join activities a
  on a.activity_id = ag.activity_id and a.org_id = ag.org_id and a.year = ag.year
group by all
