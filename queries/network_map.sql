-- network_map: the points of the network map: the selected organisations (item
-- 'organisation', kind from organisations) and every network, twin town and partner
-- municipality a selected organisation is a member of in the selected years or carried out
-- an activity through (item 'network', kind from networks), with coordinates where the data
-- has them (lat and lon empty: not drawn, listed instead). members lists the selected
-- organisations linked to a network; activities counts the activities of the selection
-- through the network, or for an organisation the activities it carried out through any
-- network. Membership years and the goal filter as in network_summary.
-- params: org, year_from, year_to, goal
-- columns: item, id, name, acronym, kind, country, lat, lon, members, activities, source
with -- activities through a network: see queries/macros/network.sql
acts as (
    select * from network_activities($org, $year_from, $year_to, $goal)
),
m as (
    select *
    from network_memberships($org, $year_from, $year_to) ms
    where $goal is null or exists (
        select 1 from acts where acts.org_id = ms.org_id and acts.network_id = ms.network_id)
),
links as (
    select org_id, network_id from m where y1 >= y0
    union
    select org_id, network_id from acts
),
nets as (
    select network_id, string_agg(org_id, ', ' order by org_id) as members
    from links
    group by network_id
),
net_acts as (
    select network_id, sum(activities) as activities from acts group by network_id
),
org_acts as (
    select org_id, sum(activities) as activities from acts group by org_id
)
select * from (
    select
        'organisation' as item,
        o.org_id as id,
        o.name,
        null::varchar as acronym,
        o.kind,
        o.country,
        o.lat,
        o.lon,
        null::varchar as members,
        coalesce(oa.activities, 0)::bigint as activities,
        o.source
    from organisations o
    left join org_acts oa on oa.org_id = o.org_id
    where $org is null or o.org_id = any($org)
    union all
    select
        'network',
        n.network_id,
        n.name,
        n.acronym,
        n.kind,
        n.country,
        n.lat,
        n.lon,
        nets.members,
        coalesce(na.activities, 0)::bigint,
        n.source
    from nets
    join networks n on n.network_id = nets.network_id
    left join net_acts na on na.network_id = nets.network_id
)
order by item desc, name
