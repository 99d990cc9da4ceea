-- network_membership_years: the memberships of the selected organisations, one row per
-- organisation, network and year of membership within the selected years, with the role,
-- the yearly fee (and its currency) and the activities the organisation carried out through
-- the network that year. Membership years follow network_summary: an open-ended membership
-- counts up to $year_to, or else up to the last activity year of the dataset. With a goal
-- filter only activities serving a chosen goal count, and a membership is kept only when the
-- organisation has such an activity through the network in the selected years.
-- params: org, year_from, year_to, goal
-- columns: org_id, network_id, network, acronym, kind, parent_network_id, year, role, annual_fee, currency, activities, source
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
    select org_id, network_id, role, annual_fee, currency, source,
           unnest(generate_series(y0, y1)) as year
    from m
    where y1 >= y0
),
per_year as (
    select org_id, network_id, year, sum(activities) as activities
    from acts
    group by org_id, network_id, year
)
select
    my.org_id,
    my.network_id,
    n.name as network,
    n.acronym,
    n.kind,
    n.parent_network_id,
    my.year::bigint as year,
    my.role,
    my.annual_fee,
    my.currency,
    coalesce(py.activities, 0)::bigint as activities,
    my.source
from my
join networks n on n.network_id = my.network_id
left join per_year py
  on py.org_id = my.org_id and py.network_id = my.network_id and py.year = my.year
order by my.org_id, n.name, my.year
