-- network_value: cost against contribution for each network of the selection, over all the
-- selected years: the fees the selected organisations paid (annual_fee of each membership
-- year) and the other costs (the cost of the activities carried out through the network),
-- per currency and never summed across currencies, beside the activities through the network
-- and the distinct goals they served. A network without any amount has one row with an empty
-- currency; one with amounts in several currencies has a row per currency, each repeating the
-- network's activities and goals. member_years counts organisation-years of membership.
-- Selection, membership years and the goal filter as in network_costs. source is
-- 'illustrative' when any membership or activity behind the row is.
-- goal_codes lists the goals' numbers, each after its organisation's name when the goals
-- are of several organisations.
-- params: org, year_from, year_to, goal
-- columns: network_id, network, acronym, kind, members, member_years, fees, other_costs, currency, activities, goals_served, goal_codes, source
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
my as (
    select org_id, network_id, annual_fee, currency, source,
           unnest(generate_series(y0, y1)) as year
    from m
    where y1 >= y0
),
behind as (
    select network_id, org_id, source from my
    union all
    select network_id, org_id, source from acts
),
keys as (
    select
        network_id,
        string_agg(distinct org_id, ', ' order by org_id) as members,
        bool_or(source = 'illustrative') as illustrative,
        string_agg(distinct source, ', ' order by source) as sources
    from behind
    group by network_id
),
member_years as (
    select network_id, count(*) as member_years from my group by network_id
),
money_rows as (
    select network_id, currency, annual_fee as fee, null::double as cost
    from my
    where annual_fee is not null
    union all
    select network_id, currency, null::double, cost
    from acts
    where cost is not null
),
money as (
    select network_id, currency, sum(fee) as fees, sum(cost) as other_costs
    from money_rows
    group by network_id, currency
),
served_by as (
    select * from network_goals_served($org, $year_from, $year_to, $goal)
),
served as (
    select distinct sb.network_id, g.goal_id, g.org_id, o.name as org_name, g.code
    from served_by sb
    join goals g on g.goal_id = sb.goal_id
    join organisations o on o.org_id = g.org_id
),
served_agg as (
    select
        network_id,
        count(*) as goals_served,
        case when count(distinct org_id) > 1
             then string_agg(org_name || ' ' || code, ', ' order by org_name, length(code), code)
             else string_agg(code, ', ' order by length(code), code)
        end as goal_codes
    from served
    group by network_id
),
contrib as (
    select
        acts.network_id,
        sum(acts.activities) as activities,
        any_value(sa.goals_served) as goals_served,
        any_value(sa.goal_codes) as goal_codes
    from acts
    left join served_agg sa on sa.network_id = acts.network_id
    group by acts.network_id
)
select
    k.network_id,
    n.name as network,
    n.acronym,
    n.kind,
    k.members,
    coalesce(mys.member_years, 0)::bigint as member_years,
    mo.fees,
    mo.other_costs,
    mo.currency,
    coalesce(c.activities, 0)::bigint as activities,
    coalesce(c.goals_served, 0)::bigint as goals_served,
    c.goal_codes,
    case when k.illustrative then 'illustrative' else k.sources end as source
from keys k
join networks n on n.network_id = k.network_id
left join member_years mys on mys.network_id = k.network_id
left join money mo on mo.network_id = k.network_id
left join contrib c on c.network_id = k.network_id
order by n.name, mo.currency nulls last
