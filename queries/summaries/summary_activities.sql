-- summary_activities: activities per organisation, year, network, currency and source, with
-- their summed cost and how many serve no goal. Built by the import over the new dataset.
-- params: none
-- columns: org_id, year, network_id, currency, source, activities, cost, without_goal
select
    a.org_id,
    a.year,
    a.network_id,
    a.currency,
    a.source,
    count(*) as activities,
    sum(a.cost) as cost,
    count(*) filter (where not exists (
        select 1 from activity_goals ag
        where ag.activity_id = a.activity_id and ag.org_id = a.org_id and ag.year = a.year
    )) as without_goal
from activities a
group by all
