-- project_targets: targets stated as a number of projects. A target is a target value of an
-- indicator whose unit is 'projects' (the unit the contract names for counts of projects);
-- its year is the deadline, as_of_year the deadline or $year_to when that is earlier. actual
-- is latest_actual at as_of_year (what was last reported, in actual_year), the one the
-- Evaluation measures the same target against, and progress the shared progress macro (from
-- the baseline). Beside it the projects table's own count, so a reader sees when the two differ: counted is the
-- organisation's projects in the role the indicator's words name, status granted, running or
-- closed (secured), started (start_date) by as_of_year. The role is read from the name or
-- definition: naming a lead partner (lead partner, lead-partner, huvudpartner, ledande
-- partner, hovedpartner) gives lead_partner, else naming a partner gives partner, else every
-- role counts (role empty). without_role counts secured projects not started after
-- as_of_year that have no role recorded (they cannot be counted for a role target); undated
-- counts projects in the role and status with no start date. Targets due before $year_from
-- are left out; with a goal filter only indicators of a chosen goal are kept. source is the
-- target value's.
-- params: org, year_from, year_to, goal
-- columns: org_id, indicator_id, name, goal_code, role, target, deadline, as_of_year, actual, actual_year, progress, counted, without_role, undated, definition, source
with ind as (
    select
        i.org_id,
        i.indicator_id,
        i.name,
        i.definition,
        i.baseline,
        g.code as goal_code,
        lower(i.name || ' ' || coalesce(i.definition, '')) as words
    from indicators i
    left join goals g on g.goal_id = i.goal_id
    where i.unit = 'projects'
      and ($org is null or i.org_id = any($org))
      and ($goal is null or i.goal_id = any($goal))
),
t as (
    select
        ind.*,
        case
            when regexp_matches(
                ind.words, 'lead[ _-]?partner|huvudpartner|ledande partner|hovedpartner')
                then 'lead_partner'
            when regexp_matches(ind.words, '\bpartner') then 'partner'
        end as role,
        iv.target,
        iv.year as deadline,
        least(iv.year, coalesce($year_to, iv.year)) as as_of_year,
        iv.source,
        latest_actual(ind.indicator_id, least(iv.year, coalesce($year_to, iv.year))) as la
    from ind
    join indicator_values iv on iv.indicator_id = ind.indicator_id
    where iv.target is not null
      and ($year_from is null or iv.year >= $year_from)
),
counted as (
    select
        t.indicator_id,
        t.deadline,
        count(*) filter (
            where (t.role is null or p.role = t.role)
              and p.start_date is not null and year(p.start_date) <= t.as_of_year
        ) as counted,
        count(*) filter (
            where t.role is not null and p.role is null
              and (p.start_date is null or year(p.start_date) <= t.as_of_year)
        ) as without_role,
        count(*) filter (
            where (t.role is null or p.role = t.role) and p.start_date is null
        ) as undated
    from t
    join projects p
      on p.org_id = t.org_id and secured(p.status)
    group by t.indicator_id, t.deadline
)
select
    t.org_id,
    t.indicator_id,
    t.name,
    t.goal_code,
    t.role,
    t.target,
    t.deadline::bigint as deadline,
    t.as_of_year::bigint as as_of_year,
    t.la.actual,
    t.la.year::bigint as actual_year,
    progress(t.la.actual, t.target, t.baseline) as progress,
    coalesce(c.counted, 0)::bigint as counted,
    case when t.role is not null then coalesce(c.without_role, 0) end::bigint as without_role,
    coalesce(c.undated, 0)::bigint as undated,
    t.definition,
    t.source
from t
left join counted c on c.indicator_id = t.indicator_id and c.deadline = t.deadline
order by t.org_id, t.indicator_id, t.deadline
