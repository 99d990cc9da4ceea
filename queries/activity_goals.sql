-- activity_goals: each activity of the selection with every goal it serves, one row per
-- activity and goal (long form of the goal-by-activity matrix). Activities that serve no
-- goal appear once with empty goal columns. With a goal filter, only activities serving
-- one of the chosen goals are kept, still with all the goals they serve. $limit caps the
-- number of activities (null: all), for a matrix the browser can draw.
-- params: org, year_from, year_to, goal, limit
-- columns: org_id, year, activity_id, activity_title, goal_id, goal_code, goal_title, goal_kind, source
with sel as (
    select a.*
    from activities a
    where ($org is null or a.org_id = any($org))
      and ($year_from is null or a.year >= $year_from)
      and ($year_to is null or a.year <= $year_to)
      and ($goal is null or a.activity_id in (
            select ag.activity_id
            from activity_goals ag
            where ag.goal_id = any($goal)
              and ($org is null or ag.org_id = any($org))
              and ($year_from is null or ag.year >= $year_from)
              and ($year_to is null or ag.year <= $year_to)))
    order by a.org_id, a.year, a.activity_id
    limit $limit
),
-- the links of the selected activities; joining on org_id and year too (activity_goals
-- carries them and is sorted by them) lets the scan skip other organisations and years
links as (
    select ag.activity_id, ag.goal_id, ag.source
    from sel s
    join activity_goals ag
      on ag.activity_id = s.activity_id and ag.org_id = s.org_id and ag.year = s.year
    where ($org is null or ag.org_id = any($org))
      and ($year_from is null or ag.year >= $year_from)
      and ($year_to is null or ag.year <= $year_to)
)
select
    s.org_id,
    s.year,
    s.activity_id,
    s.title as activity_title,
    g.goal_id,
    g.code as goal_code,
    g.title as goal_title,
    g.kind as goal_kind,
    coalesce(ag.source, s.source) as source
from sel s
left join links ag on ag.activity_id = s.activity_id
left join goals g on g.goal_id = ag.goal_id
order by s.org_id, s.year, s.activity_id, length(g.code), g.code
