-- round_parts: the parts of the selected organisations' yearly rounds of $year (one row per
-- organisation and part: a department's activities, or ':indicators'), with the round's
-- deadline and state, the part's state, the coordinator's comment, when it was last marked
-- ready, and what it holds: rows entered, of them complete, and what is missing (activities
-- serving no goal, a cost without its currency, indicators without an actual value).
-- A department's part counts its activities of the year (`round_activities` in
-- queries/macros/round.sql); the indicators' part the organisation's indicators. Read by the
-- Round page and the reminders.
-- params: org, year
-- columns: org_id, year, part, state, due, round_state, comment, changed_by, changed_at, ready_at, expected, entered, filled, without_goal, cost_without_currency, without_actual
with r as (
    select org_id, year, due, state
    from rounds
    where year = $year and ($org is null or org_id = any($org))
),
dept as (
    select
        org_id,
        part,
        count(*) as entered,
        count(*) filter (where complete) as filled,
        count(*) filter (where not has_goal) as without_goal,
        count(*) filter (where cost_without_currency) as cost_without_currency
    from round_activities($org, $year)
    group by all
),
inds as (
    select
        i.org_id,
        ':indicators' as part,
        count(*) as expected,
        count(v.actual) as filled
    from indicators i
    left join indicator_values v on v.indicator_id = i.indicator_id and v.year = $year
    where i.org_id in (select org_id from r)
    group by all
),
ready as (
    select org_id, part, max("time") as ready_at
    from round_events
    where year = $year and event = 'ready' and org_id in (select org_id from r)
    group by all
)
select
    p.org_id,
    p.year,
    p.part,
    p.state,
    r.due,
    r.state as round_state,
    p.comment,
    p.changed_by,
    p.changed_at,
    ready.ready_at,
    coalesce(case when p.part = ':indicators' then inds.expected else dept.entered end, 0)
        ::bigint as expected,
    coalesce(case when p.part = ':indicators' then inds.filled else dept.entered end, 0)
        ::bigint as entered,
    coalesce(case when p.part = ':indicators' then inds.filled else dept.filled end, 0)
        ::bigint as filled,
    coalesce(dept.without_goal, 0)::bigint as without_goal,
    coalesce(dept.cost_without_currency, 0)::bigint as cost_without_currency,
    case when p.part = ':indicators' then coalesce(inds.expected - inds.filled, 0) else 0 end
        ::bigint as without_actual
from round_parts p
join r on r.org_id = p.org_id and r.year = p.year
left join dept on dept.org_id = p.org_id and dept.part = p.part
left join inds on inds.org_id = p.org_id and inds.part = p.part
left join ready on ready.org_id = p.org_id and ready.part = p.part
order by p.org_id, p.part = ':indicators', p.part
