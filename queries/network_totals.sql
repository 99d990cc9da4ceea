-- network_totals: what the selection spent on networks, one row per currency (amounts in
-- different currencies are never added together): the membership fees (annual_fee of each
-- membership year in the selected years) and the other costs (the cost of the activities
-- carried out through a network), and how many networks the amounts concern
-- (networks_with_costs: not every network of the Overview has a fee or a cost). Selection,
-- membership years and the goal filter as in network_costs. source is 'illustrative' when
-- any membership or activity behind the amounts is.
-- params: org, year_from, year_to, goal
-- columns: currency, fees, other_costs, networks_with_costs, source
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
    select network_id, annual_fee, currency, source,
           unnest(generate_series(y0, y1)) as year
    from m
    where y1 >= y0
),
money_rows as (
    select network_id, currency, annual_fee as fee, null::double as cost, source
    from my
    where annual_fee is not null
    union all
    select network_id, currency, null::double, cost, source
    from acts
    where cost is not null
)
select
    currency,
    sum(fee) as fees,
    sum(cost) as other_costs,
    count(distinct network_id)::bigint as networks_with_costs,
    case when bool_or(source = 'illustrative') then 'illustrative'
         else string_agg(distinct source, ', ' order by source) end as source
from money_rows
group by currency
order by currency
