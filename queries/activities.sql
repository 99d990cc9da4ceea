-- activities: the activities of the selection, one row each, with the network and project
-- they run through and the goals they serve (codes and titles joined with " | ").
-- $search narrows by a case-insensitive part of the title; $limit/$offset page the
-- result (null limit: all rows).
-- params: org, year_from, year_to, goal, search, limit, offset
-- columns: org_id, year, activity_id, title, department, activity_type, network_id, network, project_id, project, status, cost, currency, goal_codes, goal_titles, source
with sel as (
    select a.*
    from activities a
    where ($org is null or a.org_id = any($org))
      and ($year_from is null or a.year >= $year_from)
      and ($year_to is null or a.year <= $year_to)
      and ($search is null or contains(lower(a.title), lower($search)))
      and ($goal is null or a.activity_id in (
            select ag.activity_id
            from activity_goals ag
            where ag.goal_id = any($goal)
              and ($org is null or ag.org_id = any($org))
              and ($year_from is null or ag.year >= $year_from)
              and ($year_to is null or ag.year <= $year_to)))
    order by a.org_id, a.year, a.activity_id
    limit $limit offset $offset
),
goals_of as (
    select
        ag.activity_id,
        string_agg(g.code, ', ' order by length(g.code), g.code) as goal_codes,
        string_agg(g.title, ' | ' order by length(g.code), g.code) as goal_titles
    from sel s
    -- joining on org_id and year too (activity_goals carries them and is sorted by them) lets
    -- the scan skip the row groups of organisations and years not on this page
    join activity_goals ag
      on ag.activity_id = s.activity_id and ag.org_id = s.org_id and ag.year = s.year
    join goals g on g.goal_id = ag.goal_id
    where ($org is null or ag.org_id = any($org))
      and ($year_from is null or ag.year >= $year_from)
      and ($year_to is null or ag.year <= $year_to)
    group by ag.activity_id
)
select
    s.org_id,
    s.year,
    s.activity_id,
    s.title,
    s.department,
    s.activity_type,
    s.network_id,
    n.name as network,
    s.project_id,
    p.title as project,
    s.status,
    s.cost,
    s.currency,
    go.goal_codes,
    go.goal_titles,
    s.source
from sel s
left join goals_of go on go.activity_id = s.activity_id
left join networks n on n.network_id = s.network_id
left join projects p on p.project_id = s.project_id
order by s.org_id, s.year, s.activity_id
