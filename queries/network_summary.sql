-- network_summary: for each organisation and network it is a member of in the selected
-- years, the membership years in the selection, the fees for those years (per currency,
-- never summed across currencies), the activities carried out through the network and
-- how many distinct goals they served. An open-ended membership counts up to $year_to,
-- or else up to the last activity year of the dataset. With a goal filter only activities
-- serving a chosen goal count, and networks with none drop out.
-- params: org, year_from, year_to, goal
-- columns: org_id, network_id, network, acronym, kind, parent_network_id, parent_network, role, since_year, until_year, member_years, annual_fee, fees, currency, activities, goals_served, goal_codes, source
with m as (
    select * from network_memberships($org, $year_from, $year_to)
),
m_sel as (
    select *, greatest(y1 - y0 + 1, 0) as member_years from m where y1 >= y0
),
-- activities through a network: see queries/macros/network.sql
acts as (
    select * from network_activities($org, $year_from, $year_to, $goal)
),
served_by as (
    select * from network_goals_served($org, $year_from, $year_to, $goal)
),
act as (
    select a.org_id, a.network_id, sum(a.activities) as activities
    from acts a
    group by a.org_id, a.network_id
),
goals_of as (
    select
        sb.org_id,
        sb.network_id,
        count(distinct sb.goal_id) as goals_served,
        string_agg(distinct g.code, ', ' order by g.code) as goal_codes
    from served_by sb
    join goals g on g.goal_id = sb.goal_id
    group by sb.org_id, sb.network_id
)
select
    m.org_id,
    m.network_id,
    n.name as network,
    n.acronym,
    n.kind,
    n.parent_network_id,
    pn.name as parent_network,
    m.role,
    m.since_year,
    m.until_year,
    m.member_years::bigint as member_years,
    m.annual_fee,
    m.annual_fee * m.member_years as fees,
    m.currency,
    coalesce(act.activities, 0)::bigint as activities,
    coalesce(go.goals_served, 0)::bigint as goals_served,
    go.goal_codes,
    m.source
from m_sel m
join networks n on n.network_id = m.network_id
left join networks pn on pn.network_id = n.parent_network_id
left join act on act.org_id = m.org_id and act.network_id = m.network_id
left join goals_of go on go.org_id = m.org_id and go.network_id = m.network_id
where $goal is null or coalesce(act.activities, 0) > 0
order by m.org_id, n.name, m.since_year
