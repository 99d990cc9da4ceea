-- network_hierarchy: the structure of the networks of the selection (the Islands Commission
-- and the Baltic Sea Commission as parts of CPMR): every network a selected organisation is a
-- member of in the selected years or carried out an activity through, plus every network
-- above it, so the tree is whole. level is 0 for a top network; path names the networks from
-- the top down. members lists the selected organisations with a membership in the selected
-- years (empty: in the tree only as a parent or through activities); activities counts the
-- activities of the selection through the network itself. Membership years and the goal
-- filter as in network_summary: with a goal filter only activities serving a chosen goal
-- count, and a membership is kept only when its organisation has such an activity.
-- params: org, year_from, year_to, goal
-- columns: network_id, network, acronym, kind, parent_network_id, level, path, members, activities, source
with recursive -- activities through a network: see queries/macros/network.sql
acts as (
    select * from network_activities($org, $year_from, $year_to, $goal)
),
m as (
    select *
    from network_memberships($org, $year_from, $year_to) ms
    where $goal is null or exists (
        select 1 from acts where acts.org_id = ms.org_id and acts.network_id = ms.network_id)
),
members as (
    select network_id, string_agg(distinct org_id, ', ' order by org_id) as members
    from m
    where y1 >= y0
    group by network_id
),
through as (
    select network_id, sum(activities) as activities from acts group by network_id
),
up(network_id) as (
    select network_id from members
    union
    select network_id from through
    union
    select n.parent_network_id
    from up
    join networks n on n.network_id = up.network_id
    where n.parent_network_id is not null
),
tree(network_id, level, path) as (
    select n.network_id, 0, n.name
    from networks n
    where n.parent_network_id is null and n.network_id in (select network_id from up)
    union all
    select n.network_id, t.level + 1, t.path || ' › ' || n.name
    from tree t
    join networks n on n.parent_network_id = t.network_id
    where n.network_id in (select network_id from up)
)
select
    n.network_id,
    n.name as network,
    n.acronym,
    n.kind,
    n.parent_network_id,
    t.level::bigint as level,
    t.path,
    mb.members,
    coalesce(th.activities, 0)::bigint as activities,
    n.source
from tree t
join networks n on n.network_id = t.network_id
left join members mb on mb.network_id = t.network_id
left join through th on th.network_id = t.network_id
order by t.path
