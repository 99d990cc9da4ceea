-- round_goals: per selected organisation with a round of $year, how many of its goals apply
-- in the year (goals_applying: the goals the Evaluation page's assessment form offers) and
-- how many of them are assessed for the year, with the codes of those not yet assessed. A
-- round closes only when every goal is assessed.
-- params: org, year
-- columns: org_id, goals, assessed, unassessed
with r as (
    select org_id from rounds where year = $year and ($org is null or org_id = any($org))
),
g as (
    select
        g.org_id,
        g.goal_id,
        g.code,
        exists (
            select 1 from goal_assessments ga
            where ga.org_id = g.org_id and ga.goal_id = g.goal_id and ga.year = $year
        ) as assessed
    from goals_applying($org, $year, $year, null) g
    where g.org_id in (select org_id from r)
)
select
    r.org_id,
    count(g.goal_id)::bigint as goals,
    count(g.goal_id) filter (where g.assessed)::bigint as assessed,
    nullif(string_agg(g.code, ', ' order by length(g.code), g.code)
        filter (where not g.assessed), '') as unassessed
from r
left join g on g.org_id = r.org_id
group by r.org_id
order by r.org_id
